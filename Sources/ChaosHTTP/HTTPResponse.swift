import Foundation

/// A complete response (for streamed requests the body holds only what was not streamed,
/// i.e. the body of an error status).
public struct HTTPResponse: Sendable {
    /// The URL that was requested.
    public var url: String
    public var status: Int
    /// Header fields in arrival order (names as sent).
    public var headers: [(String, String)]
    public var body: Data
    /// Seconds from start to the end of the transfer (libcurl's total time).
    public var totalTime: Double

    public init(url: String, status: Int, headers: [(String, String)], body: Data, totalTime: Double) {
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.totalTime = totalTime
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Decode the body as JSON into `T`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        do {
            return try decoder.decode(T.self, from: body)
        } catch {
            throw HTTPError(kind: .invalidResponse, url: url,
                            message: "response is not the expected JSON (\(error)); body starts: \(String(text.prefix(200)))")
        }
    }

    /// The body parsed as untyped JSON (dictionaries, arrays, strings, numbers).
    public func jsonObject() throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        } catch {
            throw HTTPError(kind: .invalidResponse, url: url,
                            message: "response is not JSON; body starts: \(String(text.prefix(200)))")
        }
    }
}
