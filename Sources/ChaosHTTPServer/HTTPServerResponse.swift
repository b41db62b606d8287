import Glibc

/// An HTTP response, serialised like Go's net/http: handler headers in the given order,
/// then Date, then Content-Length.
public struct HTTPServerResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Go omits Content-Length on 204 and 1xx; `false` for those.
    public var sendsContentLength: Bool

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                sendsContentLength: Bool? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.sendsContentLength = sendsContentLength ?? (status != 204 && status >= 200)
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    public static func == (lhs: HTTPServerResponse, rhs: HTTPServerResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.sendsContentLength == rhs.sendsContentLength
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The wire form. For HEAD the body is left out (and, like Go for an empty handler
    /// reply, the Content-Length too).
    public func serialized(forHead: Bool = false, closing: Bool = false, date: String = HTTPServerResponse.dateNow()) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        if closing { head += "Connection: close\r\n" }
        head += "Date: \(date)\r\n"
        if sendsContentLength && !forHead { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if !forHead { bytes += body }
        return bytes
    }

    /// Reason phrases as Go's http.StatusText gives them.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Request Entity Too Large"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        default: return "Status \(status)"
        }
    }

    /// IMF-fixdate, e.g. "Sun, 22 Nov 2026 17:10:08 GMT".
    public static func dateNow() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
