import Foundation

/// A kubeconfig file (kind: Config) as written: only the fields chaosctl uses, unknown ones
/// ignored. Field names as in k8s.io/client-go/tools/clientcmd/api/v1.
struct KubeConfigFile: Decodable {
    /// The body of a named entry, and the key it sits under beside `name`.
    protocol EntryBody: Decodable {
        static var field: String { get }
    }

    /// `{name: N, <field>: {...}}`, the shape of every entry of clusters, users and contexts.
    struct Named<Body: EntryBody>: Decodable {
        var name: String?
        var body: Body?

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            name = try container.decodeIfPresent(String.self, forKey: AnyKey("name"))
            body = try container.decodeIfPresent(Body.self, forKey: AnyKey(Body.field))
        }
    }

    struct ClusterFields: EntryBody {
        static let field = "cluster"
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }

    struct UserFields: EntryBody {
        static let field = "user"
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var exec: ExecFields?

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token, tokenFile, exec
        }
    }

    /// `users[].user.exec` (client.authentication.k8s.io ExecConfig).
    struct ExecFields: Decodable {
        struct EnvVar: Decodable {
            var name: String?
            var value: String?
        }
        var command: String?
        var args: [String]?
        var env: [EnvVar]?
        var apiVersion: String?
    }

    struct ContextFields: EntryBody {
        static let field = "context"
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    var currentContext: String?
    var clusters: [Named<ClusterFields>]?
    var users: [Named<UserFields>]?
    var contexts: [Named<ContextFields>]?

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case clusters, users, contexts
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    /// A decoding failure as "FIELD.PATH is not a TYPE", e.g. `clusters is not a list`.
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [CodingKey]) -> String {
            path.reduce("") { text, key in
                key.intValue.map { "\(text)[\($0)]" } ?? (text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)")
            }
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let place = field(context.codingPath)
            // Yams names the node kind it needed (Node.Sequence, Node.Mapping, Node.Scalar).
            let expected = String(describing: type)
            let kind = expected.contains("Sequence") || type is [Any].Type ? "a list"
                : expected.contains("Mapping") ? "a mapping"
                : type is Bool.Type ? "true or false" : "a plain value"
            return place.isEmpty ? "top level is not \(kind)" : "\(place) is not \(kind)"
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            let place = field(context.codingPath)
            return (place.isEmpty ? "" : "\(place): ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
