/// Small text helpers for HTTP heads.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    public var trimmedOWS: String {
        String(String(self).drop(while: { $0 == " " || $0 == "\t" }).reversed()
            .drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

extension String {
    /// The lines of an HTTP head, split on CRLF only (a lone CR or LF stays in the line).
    public var crlfLines: [String] {
        var lines: [String] = []
        var current = ""
        var previousWasCR = false
        for scalar in unicodeScalars {
            if previousWasCR {
                previousWasCR = false
                if scalar == "\n" { lines.append(current); current = ""; continue }
                current.unicodeScalars.append("\r")
            }
            if scalar == "\r" { previousWasCR = true } else { current.unicodeScalars.append(scalar) }
        }
        if previousWasCR { current.unicodeScalars.append("\r") }
        lines.append(current)
        return lines
    }
}
