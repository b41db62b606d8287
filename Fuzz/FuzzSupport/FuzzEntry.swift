import Foundation

/// What every fuzz target shares: turning libFuzzer's pointer into bytes, and the replay
/// mode of the normal (uninstrumented) build.
public enum FuzzEntry {
    /// libFuzzer's input as an array the harness owns.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Runs `harness` once over each file named on the command line, then exits. Without
    /// libFuzzer (the normal build) a target is this replay tool, so a saved crash input can
    /// be re-run under a debugger: `.build/debug/fuzz-http-request crash-…`.
    public static func replay(_ harness: ([UInt8]) -> Void) -> Never {
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) INPUT...\n".utf8))
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot be read\n".utf8))
                exit(2)
            }
            harness(Array(data))
            print("\(file): \(data.count) bytes, no crash")
        }
        exit(0)
    }
}
