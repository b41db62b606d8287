import Foundation

/// Where a certificate or key comes from: a file on disk, or PEM bytes held in memory
/// (kubeconfig `certificate-authority-data` etc.), which are handed to libcurl as a blob
/// so no secret is ever written to a temporary file.
public enum PEMSource: Equatable, Sendable {
    case file(String)
    case pem(Data)

    /// PEM from base64 text, as kubeconfig `*-data` fields carry it.
    public static func base64(_ text: String) -> PEMSource? {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines),
                              options: .ignoreUnknownCharacters) else { return nil }
        return .pem(data)
    }
}

/// TLS settings for HTTPS endpoints.
public struct TLSOptions: Equatable, Sendable {
    /// Trust anchors; nil uses the system store.
    public var certificateAuthority: PEMSource?
    /// Client certificate for mutual TLS.
    public var clientCertificate: PEMSource?
    /// Private key matching `clientCertificate`.
    public var clientKey: PEMSource?
    /// Skip server certificate and host name checks (`insecure-skip-tls-verify`).
    public var insecureSkipVerify: Bool

    public init(certificateAuthority: PEMSource? = nil, clientCertificate: PEMSource? = nil,
                clientKey: PEMSource? = nil, insecureSkipVerify: Bool = false) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
    }
}
