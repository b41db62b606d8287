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
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
