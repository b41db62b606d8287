import ChaosLoad
import ChaosSystem
import Foundation

/// Replays a real k6 `--out json` recording at a chosen request rate, for the live benchmark
/// when k6 itself cannot reach that rate on this machine. NOT k6: the lines are k6's own,
/// byte for byte, except `data.time`, re-stamped with the wall time the request is due. As
/// k6's JSON output does, requests are buffered and appended in chunks, one write per flush
/// period (k6 v1.1.0's output/json/json.go flushes every 200 ms, `flushPeriod`; the default
/// here is 1 s, the worse case the issue names).
enum K6Replay {
    /// One recorded request: its Point lines cut around the time value, so a new time goes in
    /// between; lines without a time (Metric declarations) have an empty suffix.
    struct Request {
        var lines: [(head: [UInt8], tail: [UInt8]?)] = []
        /// Its `http_req_duration` Points: what the tailer counts as requests.
        var durationPoints = 0
    }

    /// The recording cut into requests: a request starts at each `http_reqs` Point (k6 writes
    /// that metric first for every request). Metric declarations stay where k6 wrote them, so
    /// they are written once, on the first pass only.
    static func load(path: String) throws -> (firstPass: [Request], laterPasses: [Request]) {
        let text = try Data(contentsOf: URL(fileURLWithPath: path))
        var first: [Request] = []
        var later: [Request] = []
        let timeKey = Array("\"time\":\"".utf8)
        for line in text.split(separator: 0x0A) {
            let bytes = Array(line)
            let isMetric = line.starts(with: Array("{\"type\":\"Metric\"".utf8))
            let startsRequest = !isMetric && line.starts(with: Array("{\"metric\":\"http_reqs\",\"type\":\"Point\"".utf8))
            // The lines before the first request's (declarations) stay with it: no empty request.
            if first.isEmpty || (startsRequest && !later[later.count - 1].lines.isEmpty) {
                first.append(Request())
                later.append(Request())
            }
            guard !isMetric, let at = bytes.firstRange(of: timeKey),
                  let close = bytes[at.upperBound...].firstIndex(of: 0x22) else {
                first[first.count - 1].lines.append((bytes, nil))
                continue
            }
            let cut = (head: Array(bytes[..<at.upperBound]), tail: Array(bytes[close...]))
            let isDuration = line.starts(with: Array("{\"metric\":\"http_req_duration\",\"type\":\"Point\"".utf8))
            let index = first.count - 1
            first[index].lines.append(cut)
            later[index].lines.append(cut)
            first[index].durationPoints += isDuration ? 1 : 0
            later[index].durationPoints += isDuration ? 1 : 0
        }
        let requests = first.count
        guard requests > 1 else { throw CocoaError(.fileReadCorruptFile) }
        return (first, later)
    }

    /// Appends `rate` requests a second for `seconds` to `output`, one write per flush; returns
    /// the request points (`http_req_duration`) and lines written and the request rate reached.
    static func run(recording: String, output: String, rate: Double, seconds: Double,
                    flushSeconds: Double) throws -> (requests: Int, lines: Int, rate: Double) {
        let (firstPass, laterPasses) = try load(path: recording)
        let fd = open(output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        defer { close(fd) }
        let total = Int(rate * seconds)
        let startWall = ClockReading.now().wallNanoseconds
        let startMono = MonotonicClock.now()
        let text = TimeText()
        var written = 0
        var points = 0
        var lines = 0
        var flushes = 0
        var buffer: [UInt8] = []
        while written < total {
            flushes += 1
            MonotonicClock.sleep(until: startMono + UInt64(Double(flushes) * flushSeconds * 1e9))
            let due = min(total, Int(MonotonicClock.seconds(since: startMono) * rate))
            buffer.removeAll(keepingCapacity: true)
            while written < due {
                let pass = written < firstPass.count ? firstPass : laterPasses
                let request = pass[written % pass.count]
                let stamp = Array(text.rfc3339(startWall + Int64(Double(written) / rate * 1e9)).utf8)
                for line in request.lines {
                    buffer += line.head
                    if let tail = line.tail { buffer += stamp; buffer += tail }
                    buffer.append(0x0A)
                    lines += 1
                }
                points += request.durationPoints
                written += 1
            }
            try buffer.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = write(fd, raw.baseAddress! + done, raw.count - done)
                    guard n > 0 else { throw CocoaError(.fileWriteUnknown) }
                    done += n
                }
            }
        }
        return (points, lines, Double(written) / MonotonicClock.seconds(since: startMono))
    }
}
