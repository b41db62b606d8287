import Foundation

/// Cuts a byte stream into newline-terminated lines, keeping a partial line until its end
/// arrives (chunk boundaries in watch streams fall anywhere, even inside UTF-8 sequences).
public struct LineSplitter: Sendable {
    private var pending = Data()

    public init() {}

    /// Feed bytes; returns the complete lines they finish, without "\n" (and "\r\n").
    public mutating func feed(_ data: Data) -> [Data] {
        pending.append(data)
        var lines: [Data] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = pending[pending.startIndex..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lines.append(Data(line))
            pending = Data(pending[pending.index(after: newline)...])
        }
        return lines
    }

    /// What is left after the stream ended without a final newline.
    public mutating func finish() -> Data? {
        defer { pending = Data() }
        return pending.isEmpty ? nil : pending
    }
}
