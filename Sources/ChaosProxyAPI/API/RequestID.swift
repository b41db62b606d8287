import Foundation
import Glibc

/// Request ids shaped like Toxiproxy's (xid: 12 bytes as 20 base32hex characters):
/// 4 bytes of seconds, 5 random bytes fixed per process, 3 bytes of counter.
// @unchecked Sendable: `counter` is guarded by `lock`; the rest is fixed at init.
final class RequestIDGenerator: @unchecked Sendable {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuv".utf8)
    private let lock = NSLock()
    private var counter = UInt32.random(in: 0..<(1 << 24))
    private let processBytes: [UInt8] = (0..<5).map { _ in UInt8.random(in: 0...255) }

    func next() -> String {
        lock.lock()
        counter = (counter + 1) & 0xFF_FFFF
        let count = counter
        lock.unlock()
        let seconds = UInt32(truncatingIfNeeded: time(nil))
        var raw: [UInt8] = [UInt8(seconds >> 24), UInt8((seconds >> 16) & 0xFF), UInt8((seconds >> 8) & 0xFF),
                            UInt8(seconds & 0xFF)]
        raw += processBytes
        raw += [UInt8(count >> 16), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
        // 96 bits → 20 characters of 5 bits, most significant first (last one padded).
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in raw {
            accumulator = (accumulator << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(Self.alphabet[Int((accumulator >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 { output.append(Self.alphabet[Int((accumulator << UInt32(5 - bits)) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }
}
