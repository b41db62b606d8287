/// The request line and header fields of one complete head, checked byte by byte as
/// RFC 9112 and Go's net/http (textproto, httpguts) check them: a method is a token, a
/// target has no space or control byte, the version is HTTP/1.0 or HTTP/1.1, a field
/// name is a token followed directly by ":", a value has no control byte but tab, and a
/// line folded onto the previous one (obs-fold) is refused, as RFC 9112 §5.2 allows.
/// Bytes above 0x7F are allowed in targets and values (obs-text) and decoded leniently.
enum HTTPHeadSyntax {
    static func parse(_ head: ArraySlice<UInt8>, maximumHeaderCount: Int) throws -> HTTPServerRequest {
        var lines = splitLines(head)
        guard !lines.isEmpty else { throw HTTPParseError.badRequest }
        let requestLine = lines.removeFirst()
        guard lines.count <= maximumHeaderCount else { throw HTTPParseError.headTooLarge }
        var request = try parseRequestLine(requestLine)
        request.headers.reserveCapacity(lines.count)
        for line in lines { request.headers.append(try parseField(line)) }
        return request
    }

    /// Lines without their LF or CRLF; the empty line that ends the head is dropped.
    static func splitLines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        for index in head.indices where head[index] == 10 {
            var end = index
            if end > start, head[end - 1] == 13 { end -= 1 }
            lines.append(head[start..<end])
            start = index + 1
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    static func parseRequestLine(_ line: ArraySlice<UInt8>) throws -> HTTPServerRequest {
        let parts = line.split(separator: 32, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw HTTPParseError.badRequest }
        let method = parts[0], target = parts[1], version = parts[2]
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else { throw HTTPParseError.badRequest }
        guard !target.isEmpty, target.allSatisfy({ $0 > 32 && $0 != 127 }) else { throw HTTPParseError.badRequest }
        let targetText = String(decoding: target, as: UTF8.self)
        guard targetText.hasPrefix("/") || targetText == "*" || targetText.hasPrefix("http://") else {
            throw HTTPParseError.badRequest
        }
        let versionText = String(decoding: version, as: UTF8.self)
        guard versionText == "HTTP/1.1" || versionText == "HTTP/1.0" else { throw HTTPParseError.badRequest }
        return HTTPServerRequest(method: String(decoding: method, as: UTF8.self), target: targetText, version: versionText)
    }

    static func parseField(_ line: ArraySlice<UInt8>) throws -> (name: String, value: String) {
        guard let colon = line.firstIndex(of: 58), colon != line.startIndex else { throw HTTPParseError.badRequest }
        let name = line[line.startIndex..<colon]
        // A leading space or tab would be obs-fold; a space before ":" is refused by RFC 9112 §5.1.
        guard name.allSatisfy(isTokenByte) else { throw HTTPParseError.badRequest }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
        while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
        guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else { throw HTTPParseError.badRequest }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// RFC 9110 §5.6.2 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
