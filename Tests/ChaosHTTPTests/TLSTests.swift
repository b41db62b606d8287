import ChaosHTTP
import Foundation
import XCTest

final class TLSTests: XCTestCase {
    private static var pki: TestPKI?

    override class func tearDown() {
        pki?.remove()
        pki = nil
    }

    private func pki() throws -> TestPKI {
        if let p = Self.pki { return p }
        let p = try TestPKI.make()
        Self.pki = p
        return p
    }

    private func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func testServerVerifiedWithCAFileAndBlob() throws {
        let pki = try pki()
        let server = try TestServer(arguments: ["tcp", "--tls", pki.serverCert, pki.serverKey])
        defer { server.stop() }
        let base = "https://localhost:\(server.port)"
        let fromFile = HTTPClient(HTTPClientConfiguration(baseURL: base, tls: TLSOptions(certificateAuthority: .file(pki.caCert))))
        XCTAssertEqual(try fromFile.get("/echo").status, 200)
        let fromMemory = HTTPClient(HTTPClientConfiguration(baseURL: base, tls: TLSOptions(certificateAuthority: .pem(try read(pki.caCert)))))
        XCTAssertEqual(try fromMemory.get("/echo").status, 200)
        // kubeconfig carries base64 PEM.
        let b64 = try read(pki.caCert).base64EncodedString()
        let fromBase64 = HTTPClient(HTTPClientConfiguration(baseURL: base, tls: TLSOptions(certificateAuthority: PEMSource.base64(b64))))
        XCTAssertEqual(try fromBase64.get("/echo").status, 200)
    }

    func testWrongCAFailsAsTLSErrorUnlessInsecure() throws {
        let pki = try pki()
        let server = try TestServer(arguments: ["tcp", "--tls", pki.serverCert, pki.serverKey])
        defer { server.stop() }
        let base = "https://localhost:\(server.port)"
        let wrong = HTTPClient(HTTPClientConfiguration(baseURL: base, tls: TLSOptions(certificateAuthority: .pem(try read(pki.otherCACert)))))
        XCTAssertThrowsError(try wrong.get("/echo")) { error in
            XCTAssertEqual((error as? HTTPError)?.kind, .tls, "\(error)")
            XCTAssertEqual((error as? HTTPError)?.exitCode, .unreachable)
            XCTAssertTrue("\(error)".contains(base), "\(error)")
        }
        let insecure = HTTPClient(HTTPClientConfiguration(baseURL: base, tls: TLSOptions(insecureSkipVerify: true)))
        XCTAssertEqual(try insecure.get("/echo").status, 200)
    }

    func testClientCertificateFromMemoryAndFromFiles() throws {
        let pki = try pki()
        let server = try TestServer(arguments: ["tcp", "--tls", pki.serverCert, pki.serverKey, "--client-ca", pki.caCert])
        defer { server.stop() }
        let base = "https://localhost:\(server.port)"
        let inMemory = TLSOptions(certificateAuthority: .pem(try read(pki.caCert)),
                                  clientCertificate: .pem(try read(pki.clientCert)),
                                  clientKey: .pem(try read(pki.clientKey)))
        let response = try HTTPClient(HTTPClientConfiguration(baseURL: base, tls: inMemory)).get("/client-cert")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual((try response.jsonObject() as? [String: String])?["cn"], "chaos-client")

        let files = TLSOptions(certificateAuthority: .file(pki.caCert), clientCertificate: .file(pki.clientCert),
                               clientKey: .file(pki.clientKey))
        XCTAssertEqual(try HTTPClient(HTTPClientConfiguration(baseURL: base, tls: files)).get("/client-cert").status, 200)

        // Without a client certificate the server refuses the handshake.
        let none = HTTPClient(HTTPClientConfiguration(baseURL: base, tls: TLSOptions(certificateAuthority: .file(pki.caCert))))
        XCTAssertThrowsError(try none.get("/client-cert")) { error in
            let kind = (error as? HTTPError)?.kind
            // TLS 1.3 reports the rejected client certificate after the handshake, as a receive error.
            XCTAssertTrue(kind == .tls || kind == .unreachable, "\(error)")
        }
    }
}
