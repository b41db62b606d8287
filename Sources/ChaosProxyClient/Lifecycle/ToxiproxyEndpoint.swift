import ChaosCore
import Foundation

/// Where a journaled proxy fault lives: the API base URL and whether a token is needed.
/// The token itself is never journaled; a reverter reads it from the environment
/// (`CHAOSCTL_PROXY_TOKEN`) when it runs, so the state directory holds no secret.
public struct ToxiproxyEndpoint: Sendable, Equatable {
    /// The environment variable a reverter takes the bearer token from.
    public static let tokenVariable = "CHAOSCTL_PROXY_TOKEN"

    /// Base URL as "http://HOST:PORT" (a bare "HOST:PORT" is given the scheme).
    public var api: String
    /// The token used when applying; only its presence is journaled.
    public var token: String?

    public init(api: String, token: String?) {
        self.api = Self.normalize(api)
        self.token = (token?.isEmpty ?? true) ? nil : token
    }

    /// "127.0.0.1:8474" and "http://127.0.0.1:8474/" name the same server.
    public static func normalize(_ api: String) -> String {
        var text = api.hasPrefix("http://") ? api : "http://" + api
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// A client for this server, with the token if there is one.
    public func client() throws -> ToxiproxyClient { try ToxiproxyClient(baseURL: api, token: token) }

    /// The journal keys shared by every proxy-related fault kind.
    func revertData() -> [String: String] {
        ["api": api, "token": token == nil ? "none" : "required"]
    }

    /// Rebuilds the endpoint from a record, taking the token from `environment` when one
    /// was used to apply the fault.
    static func from(_ record: FaultRecord,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ToxiproxyEndpoint {
        guard let api = record.revertData["api"] else {
            throw ChaosError("record \(record.id) has no API address", exitCode: .usage)
        }
        var token: String?
        if record.revertData["token"] == "required" {
            token = environment[tokenVariable]
            guard token?.isEmpty == false else {
                throw ChaosError("record \(record.id): the server at \(api) needs a bearer token; set \(tokenVariable) and retry",
                                 exitCode: .unauthorized)
            }
        }
        return ToxiproxyEndpoint(api: api, token: token)
    }
}

extension ToxiproxyClientError {
    /// A revert that finds its target already gone has nothing left to do.
    var isNotFound: Bool { status == 404 }
}
