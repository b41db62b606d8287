#if canImport(Glibc)
import Glibc
#endif

/// What one line of k6's `--out json` output holds.
/// Format (k6 v1.1.0, recorded in Tests/ChaosLoadTests/Fixtures/k6-v1.1.0-out.json):
/// `{"metric":"http_req_duration","type":"Point","data":{"time":"…Z","value":8.06,"tags":{…}}}`;
/// `"type":"Metric"` lines declare a metric once; `tags` may be `{}` or `null`.
enum K6Line {
    /// A Point of the request metric: one request.
    case request(LoadSample)
    /// A Point of another metric (http_reqs, vus, iterations, …) or a Metric declaration.
    case other
}

/// Parses one k6 JSON line with `JSONByteScanner`.
///
/// Why by hand: on the same 10,000,016-line file in k6's exact format, Foundation's
/// JSONDecoder (into Codable structs of these fields) ran at 0.06 M lines per CPU-second and
/// this scanner, cutting into phases too, at 1.75 M: 27.9x (`scripts/bench-load.sh 10000000
/// --foundation`, 2026-12-03, this project's shared 2-core machine).
struct K6LineParser {
    /// The metric whose points are requests (latency in ms in `value`).
    let requestMetric: StaticString
    private var lastName: [UInt8] = []
    private var lastNameString: String?

    init(requestMetric: StaticString = "http_req_duration") {
        self.requestMetric = requestMetric
    }

    mutating func parse(_ line: UnsafeRawBufferPointer) throws(JSONByteScanner.Malformed) -> K6Line {
        guard line.count > 0 else { throw JSONByteScanner.Malformed(offset: 0, expected: "a JSON object, not an empty line") }
        var s = JSONByteScanner(line)
        var isRequestMetric: Bool?
        var isPoint: Bool?
        var time: Int64?
        var value: Double?
        var tags = Tags()
        try s.expect(0x7B, "'{'")
        if !s.take(0x7D) {
            repeat {
                let key = try s.readString()
                try s.expect(0x3A, "':'")
                if s.equals(key, "metric") {
                    isRequestMetric = s.equals(try s.readString(), requestMetric)
                } else if s.equals(key, "type") {
                    isPoint = s.equals(try s.readString(), "Point")
                } else if s.equals(key, "data"), isPoint != false, isRequestMetric != false {
                    try readData(&s, time: &time, value: &value, tags: &tags)
                } else {
                    try s.skipValue()
                }
            } while s.take(0x2C)
            try s.expect(0x7D, "'}' or ','")
        }
        try s.expectEnd()
        guard isPoint == true, isRequestMetric == true else {
            guard isPoint != nil else { throw JSONByteScanner.Malformed(offset: 0, expected: "a \"type\" field") }
            return .other
        }
        guard let time else { throw JSONByteScanner.Malformed(offset: 0, expected: "data.time as an RFC 3339 timestamp") }
        guard let value, value.isFinite, value >= 0 else { throw JSONByteScanner.Malformed(offset: 0, expected: "data.value as a latency in ms") }
        var requestName: String?
        if let range = tags.name { requestName = name(s, range) }
        return .request(LoadSample(wallNanoseconds: time, latencyMilliseconds: value,
                                   outcome: tags.outcome, name: requestName))
    }

    private struct Tags {
        var expectedResponse: Bool?
        var status: Int?
        var name: JSONByteScanner.StringRange?

        /// k6 sets `expected_response` from the script's response callback (by default, status
        /// 200–399); without it, the status tag decides the same way; without both, unknown.
        var outcome: LoadSample.Outcome {
            if let expectedResponse { return expectedResponse ? .success : .failure }
            if let status { return (200..<400).contains(status) ? .success : .failure }
            return .unknown
        }
    }

    private func readData(_ s: inout JSONByteScanner, time: inout Int64?, value: inout Double?,
                          tags: inout Tags) throws(JSONByteScanner.Malformed) {
        try s.expect(0x7B, "'{' for data")
        if s.take(0x7D) { return }
        repeat {
            let key = try s.readString()
            try s.expect(0x3A, "':'")
            if s.equals(key, "time") {
                let text = try s.readString()
                time = RFC3339Time.nanoseconds(s.bytes + text.start, count: text.end - text.start)
                if time == nil { throw JSONByteScanner.Malformed(offset: text.start, expected: "an RFC 3339 time") }
            } else if s.equals(key, "value") {
                value = try s.readNumber()
            } else if s.equals(key, "tags") {
                try readTags(&s, into: &tags)
            } else {
                try s.skipValue()
            }
        } while s.take(0x2C)
        try s.expect(0x7D, "'}' or ',' in data")
    }

    private func readTags(_ s: inout JSONByteScanner, into tags: inout Tags) throws(JSONByteScanner.Malformed) {
        if s.peekAfterWhitespace() == 0x6E { try s.literal("null"); return }
        try s.expect(0x7B, "'{' or null for tags")
        if s.take(0x7D) { return }
        repeat {
            let key = try s.readString()
            try s.expect(0x3A, "':'")
            if s.peekAfterWhitespace() != 0x22 {
                try s.skipValue()
            } else if s.equals(key, "expected_response") {
                let v = try s.readString()
                tags.expectedResponse = s.equals(v, "true") ? true : (s.equals(v, "false") ? false : nil)
            } else if s.equals(key, "status") {
                let v = try s.readString()
                tags.status = Self.integer(s, v)
            } else if s.equals(key, "name") {
                tags.name = try s.readString()
            } else {
                _ = try s.readString()
            }
        } while s.take(0x2C)
        try s.expect(0x7D, "'}' or ',' in tags")
    }

    private static func integer(_ s: JSONByteScanner, _ range: JSONByteScanner.StringRange) -> Int? {
        guard range.end > range.start, range.end - range.start <= 6 else { return nil }
        var value = 0
        for i in range.start..<range.end {
            let d = s.bytes[i] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    /// Names repeat from line to line: reuse the last String when the bytes are the same.
    private mutating func name(_ s: JSONByteScanner, _ range: JSONByteScanner.StringRange) -> String {
        let length = range.end - range.start
        if let last = lastNameString, !range.escaped, length == lastName.count,
           lastName.withUnsafeBufferPointer({ memcmp($0.baseAddress!, s.bytes + range.start, length) == 0 }) {
            return last
        }
        let made = s.string(range)
        lastName = range.escaped ? [] : Array(UnsafeBufferPointer(start: s.bytes + range.start, count: length))
        lastNameString = range.escaped ? nil : made
        return made
    }
}
