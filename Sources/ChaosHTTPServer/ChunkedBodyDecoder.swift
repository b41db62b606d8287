/// Decodes a chunked body (RFC 9112 §7.1) out of a connection's buffer as it grows.
/// It remembers where it stopped, so each byte is looked at a bounded number of times.
/// A chunk size is 1 to 16 hex digits and nothing else (Go's parseHexUint: no sign, no
/// "0x"), with extensions after ";" ignored; a size line is at most
/// `maximumChunkLineBytes`; trailer fields are skipped but count against the head limits.
struct ChunkedBodyDecoder {
    private(set) var body: [UInt8] = []
    /// Where the next chunk-size line, or the next trailer line, starts.
    private var cursor: Int?
    private var inTrailers = false
    private var trailerBytes = 0
    private var trailerCount = 0

    /// The end of the whole body (after the trailers) once it has arrived, else nil.
    mutating func decode(_ buffer: [UInt8], from start: Int, limits: HTTPRequestParser.Limits) throws -> Int? {
        var index = cursor ?? start
        while true {
            cursor = index
            if inTrailers {
                guard let lineEnd = Self.lineFeed(in: buffer, from: index, within: limits.maximumHeadBytes - trailerBytes)
                else {
                    if buffer.count - index > limits.maximumHeadBytes - trailerBytes { throw HTTPParseError.headTooLarge }
                    return nil
                }
                let isEmpty = lineEnd == index || (lineEnd == index + 1 && buffer[index] == 13)
                if isEmpty { return lineEnd + 1 }
                trailerBytes += lineEnd + 1 - index
                trailerCount += 1
                guard trailerCount <= limits.maximumHeaderCount else { throw HTTPParseError.headTooLarge }
                index = lineEnd + 1
                continue
            }
            guard let lineEnd = Self.lineFeed(in: buffer, from: index, within: limits.maximumChunkLineBytes) else {
                if buffer.count - index > limits.maximumChunkLineBytes { throw HTTPParseError.badRequest }
                return nil
            }
            let size = try Self.chunkSize(buffer[index..<lineEnd], room: limits.maximumBodyBytes - body.count)
            let dataStart = lineEnd + 1
            if size == 0 {
                inTrailers = true
                index = dataStart
                continue
            }
            guard buffer.count >= dataStart + size + 1 else { return nil }
            let afterData = dataStart + size
            let next: Int
            if buffer[afterData] == 10 {
                next = afterData + 1
            } else if buffer[afterData] == 13 {
                guard buffer.count >= afterData + 2 else { return nil }
                guard buffer[afterData + 1] == 10 else { throw HTTPParseError.badRequest }
                next = afterData + 2
            } else {
                throw HTTPParseError.badRequest
            }
            body.append(contentsOf: buffer[dataStart..<afterData])
            index = next
        }
    }

    /// The index of the first LF at or after `start` within `limit` bytes, else nil.
    static func lineFeed(in buffer: [UInt8], from start: Int, within limit: Int) -> Int? {
        let end = min(buffer.count, start + max(0, limit))
        var index = start
        while index < end {
            if buffer[index] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// The size in a chunk-size line (without its LF), refusing anything but hex digits
    /// before the extensions, and a size beyond `room` (what the body limit leaves).
    static func chunkSize(_ line: ArraySlice<UInt8>, room: Int) throws -> Int {
        var text = line
        if text.last == 13 { text = text.dropLast() }
        guard text.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else { throw HTTPParseError.badRequest }
        var digits = text
        if let semicolon = text.firstIndex(of: 59) { digits = text[..<semicolon] }
        while let last = digits.last, last == 32 || last == 9 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 16 else { throw HTTPParseError.badRequest }
        var size: UInt64 = 0
        for byte in digits {
            guard let value = HTTPServerRequest.hexValue(byte) else { throw HTTPParseError.badRequest }
            size = size << 4 | UInt64(value)
        }
        guard size <= UInt64(max(0, room)) else { throw HTTPParseError.bodyTooLarge }
        return Int(size)
    }
}
