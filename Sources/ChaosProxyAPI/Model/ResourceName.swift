/// Which proxy names, toxic names and upstreams the API stores. Toxiproxy 2.12 takes any
/// non-empty string, but then a name with a line break corrupts `/metrics` and the
/// CLI's tab-separated lines, and "." or ".." can never be addressed (clients and Go's
/// router remove such path segments). chaosctl refuses those with 400; every other
/// name is kept as given, "/" included: it is reached as "%2F" in a path, because
/// paths are split before they are decoded.
public enum ResourceName {
    /// Why `text` cannot be used as a name, or nil.
    public static func problem(_ text: String) -> String? {
        if text == "." || text == ".." { return "\".\" and \"..\" cannot be used in a URL path" }
        if text.unicodeScalars.contains(where: isControl) { return "control characters are not allowed" }
        return nil
    }

    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

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
