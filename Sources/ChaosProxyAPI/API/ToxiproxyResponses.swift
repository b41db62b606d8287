import ChaosHTTPServer
import ChaosJSON

/// The response shapes Toxiproxy 2.12 sends, header for header (see the transcript in
/// shared/reference): JSON successes without a trailing newline, errors through Go's
/// http.Error (text/plain, nosniff, trailing newline), router 404/405 without a request id.
enum ToxiproxyResponses {
    static func json(_ status: Int, _ body: String, requestID: String,
                     contentType: String = "application/json") -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: [("Content-Type", contentType),
                                               ("X-Toxiproxy-Request-Id", requestID)], text: body)
    }

    static func noContent(requestID: String) -> HTTPServerResponse {
        HTTPServerResponse(status: 204, headers: [("X-Toxiproxy-Request-Id", requestID)])
    }

    /// Go's http.Error: the text plus "\n".
    static func plainError(_ status: Int, _ text: String, requestID: String?,
                           extraHeaders: [(name: String, value: String)] = []) -> HTTPServerResponse {
        var headers: [(name: String, value: String)] = [("Content-Type", "text/plain; charset=utf-8")]
        headers += extraHeaders
        headers.append(("X-Content-Type-Options", "nosniff"))
        if let requestID { headers.append(("X-Toxiproxy-Request-Id", requestID)) }
        return HTTPServerResponse(status: status, headers: headers, text: text + "\n")
    }

    /// Toxiproxy's apiError: `{"error":...,"status":N}` sent through http.Error.
    static func error(_ error: APIError, requestID: String,
                      extraHeaders: [(name: String, value: String)] = []) -> HTTPServerResponse {
        plainError(error.status, errorJSON(error), requestID: requestID, extraHeaders: extraHeaders)
    }

    static func errorJSON(_ error: APIError) -> String {
        JSONWriter.object([("error", JSONWriter.string(error.message)), ("status", String(error.status))])
    }

    /// `/populate` writes its errors itself: JSON content type, "proxies":null, no newline.
    static func populateError(_ error: APIError, requestID: String) -> HTTPServerResponse {
        let body = JSONWriter.object([("error", JSONWriter.string(error.message)), ("status", String(error.status)),
                                      ("proxies", "null")])
        return json(error.status, body, requestID: requestID)
    }

    static let notFound = plainError(404, "404 page not found", requestID: nil)
    static let methodNotAllowed = HTTPServerResponse(status: 405, sendsContentLength: true)
}
