import ChaosCore

/// A non-2xx answer where the caller wanted success (the JSON helpers throw it). Adapters
/// usually inspect the status themselves and map it to their own errors instead.
public struct HTTPStatusError: ChaosFailure {
    public var response: HTTPResponse

    public init(response: HTTPResponse) { self.response = response }

    public var exitCode: ExitCode {
        switch response.status {
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 409: return .conflict
        default: return .failure
        }
    }

    public var description: String {
        let body = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(response.url): HTTP \(response.status)" + (body.isEmpty ? "" : ": \(body.prefix(500))")
    }
}
