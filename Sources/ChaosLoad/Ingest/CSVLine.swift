/// Splits one CSV record (RFC 4180: fields in double quotes may hold commas, `""` is a quote).
/// Locust writes one record per line, so embedded newlines are not supported.
enum CSVLine {
    static func fields(_ line: Substring) -> [String]? {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var index = line.startIndex
        var fieldStart = true
        while index < line.endIndex {
            let c = line[index]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" { current.append("\""); index = next } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && fieldStart {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
                fieldStart = true
                index = line.index(after: index)
                continue
            } else if c != "\r" {
                current.append(c)
            }
            fieldStart = false
            index = line.index(after: index)
        }
        guard !quoted else { return nil }
        fields.append(current)
        return fields
    }
}
