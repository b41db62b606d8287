import CCurl

/// One-time libcurl initialisation. `curl_global_init` is not thread-safe itself, so it
/// runs exactly once through a Swift global `let`, which the runtime initialises under a
/// lock the first time any thread touches it.
enum CurlRuntime {
    private static let initialised: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    /// Call before creating an easy handle; cheap after the first call.
    static func ensureInitialised() throws {
        let code = initialised
        guard code == CURLE_OK else {
            throw HTTPError(kind: .other, url: "", message: "libcurl global init failed: \(describe(code))")
        }
    }

    static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
