import ChaosProxyModel

extension ResourceName {
    /// 400 `invalid proxy name "a\nb": control characters are not allowed`.
    static func check(_ text: String, as what: String) throws {
        if let problem = problem(text) {
            throw APIError(status: 400, message: "invalid \(what) \"\(text.escapingControlCharacters)\": \(problem)")
        }
    }

    /// Upstreams are not names, but they reach the same outputs.
    static func checkUpstream(_ text: String) throws {
        if text.unicodeScalars.contains(where: isControl) {
            throw APIError(status: 400, message: "invalid upstream \"\(text.escapingControlCharacters)\": control characters are not allowed")
        }
    }
}
