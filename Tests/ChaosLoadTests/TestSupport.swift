@testable import ChaosLoad
import Foundation

/// Collects samples, for tests that look at each one.
struct CollectingSink: LoadSampleSink {
    var samples: [LoadSample] = []
    mutating func record(_ sample: LoadSample) { samples.append(sample) }
}

func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

/// A clock reading `seconds` after `base` on both clocks (the wall clock not stepped).
func reading(_ base: ClockReading, plus seconds: Double, wallSkew: Double = 0) -> ClockReading {
    ClockReading(monotonicNanoseconds: base.monotonicNanoseconds + UInt64(seconds * 1e9),
                 wallNanoseconds: base.wallNanoseconds + Int64((seconds + wallSkew) * 1e9))
}

func append(_ text: String, to path: String) throws {
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(text.utf8))
    try handle.close()
}
