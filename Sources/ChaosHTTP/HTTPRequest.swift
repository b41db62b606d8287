import Foundation

/// One HTTP request. `target` is either an absolute URL or a path (with query) that the
/// client appends to its base URL.
public struct HTTPRequest: Sendable {
    public var method: String
    public var target: String
    public var headers: [(String, String)]
    public var body: Data?
    /// Overrides the client's total timeout for this request (seconds; 0 = none).
    public var timeout: Double?

    public init(method: String = "GET", _ target: String, headers: [(String, String)] = [],
                body: Data? = nil, timeout: Double? = nil) {
        self.method = method.uppercased()
        self.target = target
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// A request whose body is `value` encoded as JSON.
    public static func json<T: Encodable>(method: String, _ target: String, _ value: T,
                                          headers: [(String, String)] = []) throws -> HTTPRequest {
        let data = try JSONEncoder().encode(value)
        return HTTPRequest(method: method, target, headers: headers + [("Content-Type", "application/json")], body: data)
    }
}
