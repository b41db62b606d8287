extension String {
    /// The text with control characters made visible ("\n", "\r", "\t", "\u{0}"), for
    /// output a terminal or a line-based reader consumes. Everything else is unchanged.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: ResourceName.isControl) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where ResourceName.isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
