import Foundation

/// A home-grown load runner's per-request log: one JSON object per line, fields named by a
/// `JSONLFieldMapping`. Every line must be a request (there is no other kind), so a line
/// lacking a mapped field is unreadable and counted, never skipped.
public final class JSONLRequestReader: LineFileReader, GeneratorOutputReader {
    struct LineError: Error, CustomStringConvertible {
        let description: String
    }

    public let mapping: JSONLFieldMapping

    public init(path: String, mapping: JSONLFieldMapping) {
        self.mapping = mapping
        super.init(path: path)
    }

    override func sample(from line: UnsafeRawBufferPointer) throws -> LoadSample? {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(line)) } catch {
            throw LineError(description: "not a JSON object")
        }
        guard let record = object as? [String: Any] else { throw LineError(description: "not a JSON object") }
        let wall = try timestamp(record)
        guard let latencyValue = Self.lookup(record, mapping.latency) as? NSNumber, mapping.latencyUnit != .rfc3339,
              latencyValue.doubleValue.isFinite, latencyValue.doubleValue >= 0 else {
            throw LineError(description: "field '\(mapping.latency)': missing or not a non-negative number")
        }
        let latencyMilliseconds = latencyValue.doubleValue * mapping.latencyUnit.nanosecondsPerUnit / 1e6
        var name: String?
        if let field = mapping.name, let value = Self.lookup(record, field) {
            name = (value as? String) ?? "\(value)"
        }
        return LoadSample(wallNanoseconds: wall, latencyMilliseconds: latencyMilliseconds,
                          outcome: try outcome(record), name: name)
    }

    private func timestamp(_ record: [String: Any]) throws -> Int64 {
        let field = mapping.timestamp
        let value = Self.lookup(record, field)
        if mapping.timestampUnit == .rfc3339 {
            guard let text = value as? String,
                  let ns = Array(text.utf8).withUnsafeBufferPointer({ RFC3339Time.nanoseconds($0.baseAddress!, count: $0.count) })
            else { throw LineError(description: "field '\(field)': missing or not an RFC 3339 time") }
            return ns
        }
        guard let number = value as? NSNumber, !(value is Bool), number.doubleValue.isFinite, number.doubleValue > 0 else {
            throw LineError(description: "field '\(field)': missing or not a number of \(mapping.timestampUnit.rawValue) since 1970")
        }
        let ns = number.doubleValue * mapping.timestampUnit.nanosecondsPerUnit
        guard ns < 9e18 else { throw LineError(description: "field '\(field)': \(number) is out of range") }
        return Int64(ns)
    }

    private func outcome(_ record: [String: Any]) throws -> LoadSample.Outcome {
        switch mapping.verdict {
        case .success(let field):
            guard let value = Self.lookup(record, field) as? Bool else {
                throw LineError(description: "field '\(field)': missing or not true/false")
            }
            return value ? .success : .failure
        case .status(let field):
            let value = Self.lookup(record, field)
            guard let status = (value as? NSNumber).map(\.intValue) ?? (value as? String).flatMap({ Int($0) }),
                  !(value is Bool) else {
                throw LineError(description: "field '\(field)': missing or not a status number")
            }
            return (200..<400).contains(status) ? .success : .failure
        }
    }

    static func lookup(_ record: [String: Any], _ path: String) -> Any? {
        var current: Any? = record
        for part in path.split(separator: ".") {
            current = (current as? [String: Any])?[String(part)]
        }
        if current is NSNull { return nil }
        return current
    }
}
