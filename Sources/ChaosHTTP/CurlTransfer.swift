import CCurl
import CCurlShim
import Foundation

/// One request on its own easy handle. Easy handles are not shared between threads, so a
/// fresh one per request keeps the client free of global mutable state.
final class CurlTransfer {
    /// Receives body bytes; returning false aborts the transfer.
    typealias Sink = (Data) -> Bool

    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let url: String
    /// How errors name the endpoint: the URL, plus the socket for unix transports (libcurl's
    /// own text would say "localhost port 80").
    private let label: String
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    // Filled by the callbacks.
    fileprivate var status = 0
    fileprivate var headers: [(String, String)] = []
    fileprivate var body = Data()
    fileprivate var sink: Sink?
    fileprivate var sinkStopped = false
    fileprivate var token: CancellationToken?

    init(url: String, label: String? = nil) throws {
        try CurlRuntime.ensureInitialised()
        guard let h = curl_easy_init() else {
            throw HTTPError(kind: .other, url: url, message: "curl_easy_init failed")
        }
        self.handle = h
        self.url = url
        self.label = label ?? url
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
    }

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(ccurl_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    func set(_ option: CURLoption, _ value: String) throws {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        try check(value.withCString { ccurl_setopt_string(handle, option, $0) }, "option \(option.rawValue)")
    }

    func setBlob(_ option: CURLoption, _ data: Data) throws {
        var copy = data
        let code = copy.withUnsafeMutableBytes { raw in
            ccurl_setopt_blob(handle, option, raw.baseAddress, raw.count)  // CURL_BLOB_COPY
        }
        try check(code, "blob option \(option.rawValue)", kind: .tls)
    }

    func setBody(_ data: Data) throws {
        try check(ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(data.count)), "body size")
        if data.isEmpty {
            try check(ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""), "body")
        } else {
            var copy = data
            let code = copy.withUnsafeMutableBytes { raw in
                ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, raw.baseAddress)
            }
            try check(code, "body")
        }
    }

    func setHeaders(_ lines: [String]) throws {
        for line in lines {
            guard let next = curl_slist_append(headerList, line) else {
                throw HTTPError(kind: .other, url: label, message: "out of memory building headers")
            }
            headerList = next
        }
        if let headerList {
            try check(ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)), "headers")
        }
    }

    /// Run the transfer. With `sink`, successful (2xx) bodies go to it as they arrive;
    /// error bodies are still collected so the caller can read the server's message.
    func perform(sink: Sink?, token: CancellationToken?) throws -> HTTPResponse {
        self.sink = sink
        self.token = token
        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, me), "write data")
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, me), "header data")
        try check(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, me), "progress data")
        try check(ccurl_setopt_write_function(handle, curlWriteCallback), "write function")
        try check(ccurl_setopt_header_function(handle, curlHeaderCallback), "header function")
        try check(ccurl_setopt_xferinfo_function(handle, curlProgressCallback), "progress function")
        try set(CURLOPT_NOPROGRESS, 0)
        try check(errorBuffer.withUnsafeMutableBufferPointer {
            ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, $0.baseAddress)
        }, "error buffer")

        let code = curl_easy_perform(handle)
        // The error buffer must not outlive this call's use of it.
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        var total = 0.0
        _ = ccurl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &total)
        if code != CURLE_OK {
            if sinkStopped || (token?.isCancelled ?? false) {
                throw HTTPError(kind: .cancelled, url: label, message: "stopped by caller")
            }
            throw failure(code)
        }
        var responseCode = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        return HTTPResponse(url: url, status: responseCode, headers: headers, body: body, totalTime: total)
    }

    private func check(_ code: CURLcode, _ what: String, kind: HTTPError.Kind = .invalidRequest) throws {
        guard code == CURLE_OK else {
            throw HTTPError(kind: kind, url: label, message: "cannot set \(what): \(CurlRuntime.describe(code))")
        }
    }

    /// Classify a libcurl failure; the detail from the error buffer is usually the most
    /// specific text ("Connection refused", "unable to get local issuer certificate").
    private func failure(_ code: CURLcode) -> HTTPError {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let message = detail.isEmpty ? CurlRuntime.describe(code) : detail
        let kind: HTTPError.Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
             CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING:
            kind = .unreachable
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
             CURLE_SSL_CLIENTCERT:
            kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidRequest
        default:
            kind = .other
        }
        return HTTPError(kind: kind, url: label, message: message)
    }

    fileprivate func receive(_ data: Data) -> Bool {
        if let sink, (200..<300).contains(status) {
            if !sink(data) {
                sinkStopped = true
                return false
            }
            return true
        }
        body.append(data)
        return true
    }

    fileprivate func receiveHeader(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a redirect) starts a new header set.
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = String(trimmed[..<colon])
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
    }
}

private func curlWriteCallback(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    // Returning anything but n makes libcurl abort with CURLE_WRITE_ERROR.
    if transfer.token?.isCancelled ?? false { return 0 }
    return transfer.receive(Data(bytes: ptr, count: n)) ? n : 0
}

private func curlHeaderCallback(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                                _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
    transfer.receiveHeader(line)
    return n
}

private func curlProgressCallback(_ userdata: UnsafeMutableRawPointer?, _ dltotal: curl_off_t, _ dlnow: curl_off_t,
                                  _ ultotal: curl_off_t, _ ulnow: curl_off_t) -> Int32 {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    // Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
    return (transfer.token?.isCancelled ?? false) ? 1 : 0
}
