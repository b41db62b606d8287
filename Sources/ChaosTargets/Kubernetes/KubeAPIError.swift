import ChaosCore
import ChaosHTTP
import Foundation

/// A non-2xx answer from the API server, decoded from its `Status` body
/// (`{"kind":"Status","status":"Failure","message":…,"reason":…,"details":…,"code":…}`).
public struct KubeAPIError: ChaosFailure {
    public var code: Int
    /// Status.reason: Unauthorized, Forbidden, NotFound, Conflict, TooManyRequests, …
    public var reason: String
    /// Status.message, verbatim: for 403 it names the user, verb, resource and namespace.
    public var message: String
    /// details.causes[].message (the PodDisruptionBudget explanation on 429).
    public var causes: [String]
    /// The request, "DELETE /api/v1/namespaces/chaos/pods/web-0".
    public var request: String
    /// Where the credentials came from, so a 401 says which context to fix.
    public var origin: String

    public init(code: Int, reason: String, message: String, causes: [String] = [], request: String, origin: String = "") {
        self.code = code
        self.reason = reason
        self.message = message
        self.causes = causes
        self.request = request
        self.origin = origin
    }

    /// Decode a response's Status body; falls back to the raw text for non-Status bodies.
    public init(response: HTTPResponse, request: String, origin: String) {
        let object = try? response.decode(KubeStatusObject.self)
        let causes = (object?.details?.causes ?? []).compactMap(\.message)
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.init(code: response.status,
                  reason: object?.reason ?? "",
                  message: object?.message ?? String(text.prefix(300)),
                  causes: causes, request: request, origin: origin)
    }

    public var exitCode: ExitCode {
        switch code {
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 409, 429: return .conflict
        default: return .failure
        }
    }

    public var description: String {
        switch code {
        case 401:
            return "the API server rejected the credentials (401 Unauthorized) for \(request); check the token, certificate or exec plugin of \(origin)"
        case 403:
            // The server's message already says "User X cannot VERB resource R in the namespace N".
            return "forbidden (403) \(request): \(message); grant the verb on that resource (Role/RoleBinding) or use another context"
        case 429 where !causes.isEmpty:
            return "\(request): \(message) (\(causes.joined(separator: "; ")))"
        default:
            return "\(request): HTTP \(code)\(reason.isEmpty ? "" : " \(reason)"): \(message)"
        }
    }
}
