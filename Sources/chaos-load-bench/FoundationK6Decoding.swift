import Foundation

/// The reference the hand-written scanner must beat: Foundation's JSONDecoder, line by line,
/// into Codable structs of the same fields.
enum FoundationK6Decoding {
    struct Line: Decodable {
        struct DataPart: Decodable {
            struct Tags: Decodable {
                var expected_response: String?
                var status: String?
                var name: String?
            }
            var time: String?
            var value: Double?
            var tags: Tags?
        }
        var metric: String
        var type: String
        var data: DataPart
    }

    /// Returns (lines, request points). Reads the file in chunks, splitting lines itself.
    static func count(path: String) throws -> (lines: Int, requests: Int) {
        let decoder = JSONDecoder()
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
        var lines = 0
        var requests = 0
        var carry = Data()
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            carry.append(chunk)
            var start = carry.startIndex
            while let newline = carry[start...].firstIndex(of: 0x0A) {
                let line = try decoder.decode(Line.self, from: carry[start..<newline])
                lines += 1
                if line.type == "Point" && line.metric == "http_req_duration" { requests += 1 }
                start = newline + 1
            }
            carry = Data(carry[start...])
        }
        return (lines, requests)
    }
}
