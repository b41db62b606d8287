/// Counts of what a reader has seen so far, for the report and the live status line.
public struct IngestCounts: Codable, Sendable, Equatable {
    public var lines = 0
    /// Samples delivered (requests).
    public var requests = 0
    /// Lines read but not requests (other metrics, declarations).
    public var otherLines = 0
    public var unreadableLines = 0
    /// Requests whose output says nothing of success (k6 point without tags).
    public var unknownOutcome = 0
    public init() {}

    enum CodingKeys: String, CodingKey {
        case lines, requests, otherLines = "other_lines", unreadableLines = "unreadable_lines",
             unknownOutcome = "unknown_outcome"
    }
}

/// A reader of one generator output file, usable live (call `poll` while the generator runs)
/// and after the fact (poll once, then `finish`). Every line is either a sample, a line of
/// another kind, or an unreadable line counted with its number; none is dropped silently.
public protocol GeneratorOutputReader: AnyObject {
    var path: String { get }
    var counts: IngestCounts { get }
    /// Problems so far (unreadable lines, a file that shrank, …).
    var problems: [LoadProblem] { get }
    /// Reads what was appended since the last call; returns the samples delivered.
    @discardableResult func poll<Sink: LoadSampleSink>(into sink: inout Sink) -> Int
    /// The generator has ended: read the rest and report a last line cut short, or a file never written.
    func finish<Sink: LoadSampleSink>(into sink: inout Sink)
}

/// The tailing and problem bookkeeping shared by the line-based readers (k6, JSONL); each
/// supplies only how one line becomes a sample.
public class LineFileReader {
    public let path: String
    public private(set) var counts = IngestCounts()
    let tailer: LineTailer
    var log: ProblemLog
    private var failed = false

    init(path: String) {
        self.path = path
        tailer = LineTailer(path: path)
        log = ProblemLog(source: path)
    }

    public var problems: [LoadProblem] { log.all }

    /// One line to a sample, nil for a line of another kind; throws a message for an unreadable one.
    func sample(from line: UnsafeRawBufferPointer) throws -> LoadSample? {
        fatalError("subclass")
    }

    @discardableResult
    public func poll<Sink: LoadSampleSink>(into sink: inout Sink) -> Int {
        guard !failed else { return 0 }
        let before = counts.requests
        do {
            try tailer.poll { line, number in
                counts.lines += 1
                do {
                    if let sample = try sample(from: line) {
                        counts.requests += 1
                        if sample.outcome == .unknown { counts.unknownOutcome += 1 }
                        sink.record(sample)
                    } else {
                        counts.otherLines += 1
                    }
                } catch {
                    counts.unreadableLines += 1
                    log.unreadable(line: number, "\(error): \(Self.excerpt(line))")
                }
            }
        } catch {
            // A file cut shorter or unreadable: stop reading it, say so once.
            failed = true
            log.add(LoadProblem(source: path, message: "\(error); reading stopped there"))
        }
        return counts.requests - before
    }

    public func finish<Sink: LoadSampleSink>(into sink: inout Sink) {
        poll(into: &sink)
        if let (bytes, line) = tailer.finish() {
            counts.lines += 1
            counts.unreadableLines += 1
            log.unreadable(line: line, "last line cut short (no newline, \(bytes.count) bytes): " +
                bytes.withUnsafeBytes { Self.excerpt($0) })
        }
        if !tailer.fileSeen {
            log.add(LoadProblem(source: path, message: "the generator never created this file: no request was measured"))
        } else if counts.lines == 0 {
            log.add(LoadProblem(source: path, message: "the generator wrote nothing to this file: no request was measured"))
        }
    }

    /// The start of a bad line, for the message.
    static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: line.prefix(80), as: UTF8.self)
        return "'" + text + (line.count > 80 ? "…'" : "'")
    }
}

extension JSONByteScanner.Malformed: CustomStringConvertible {
    var description: String { "not k6 JSON output: expected \(expected) at byte \(offset + 1)" }
}

/// k6's `--out json=FILE`: one request per Point of `http_req_duration` (latency = value in
/// ms, outcome from `expected_response`, else `status`; name from the `name` tag).
public final class K6OutputReader: LineFileReader, GeneratorOutputReader {
    private var parser = K6LineParser()

    public override init(path: String) { super.init(path: path) }

    override func sample(from line: UnsafeRawBufferPointer) throws -> LoadSample? {
        switch try parser.parse(line) {
        case .request(let sample): return sample
        case .other: return nil
        }
    }
}
