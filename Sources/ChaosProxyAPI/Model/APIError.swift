/// A failure the HTTP API reports as Toxiproxy does: `{"error":message,"status":status}`.
public struct APIError: Error, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "HTTP \(status): \(message)" }

    static func badRequestBody(_ error: Error) -> APIError {
        APIError(status: 400, message: "bad request body: \(error)")
    }

    static func missingField(_ field: String) -> APIError {
        APIError(status: 400, message: "missing required field: \(field)")
    }

    static let proxyNotFound = APIError(status: 404, message: "proxy not found")
    static let proxyExists = APIError(status: 409, message: "proxy already exists")
    static let toxicNotFound = APIError(status: 404, message: "toxic not found")
    static let toxicExists = APIError(status: 409, message: "toxic already exists")
    static let invalidToxicType = APIError(status: 400, message: "invalid toxic type")
    static let invalidStream = APIError(status: 400, message: "stream was invalid, can be either upstream or downstream")
}
