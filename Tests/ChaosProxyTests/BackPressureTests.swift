import ChaosProxy
import Foundation
import Glibc
import XCTest

/// A reader that does not read must stop the proxy from reading the writer: what the
/// writer manages to push stalls at roughly the sum of the socket buffers, never the
/// whole stream.
final class BackPressureTests: ProxyTestCase {
    // @unchecked Sendable: `value` is guarded by `lock`.
    private final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add(_ n: Int) { lock.withLock { value += n } }
        var bytes: Int { lock.withLock { value } }
    }

    private func assertWriterStalls(toxics: [ToxicSpec], file: StaticString = #filePath, line: UInt = #line) throws {
        let total = 48 << 20
        let progress = Progress()
        let server = track(TestServer { fd in
            let chunk = [UInt8](repeating: 0x5a, count: 64 * 1024)
            var sent = 0
            while sent < total, TestSockets.writeAll(fd, chunk) {
                sent += chunk.count
                progress.add(chunk.count)
            }
            close(fd)
        })
        let port = try startProxy(to: server, toxics: toxics)
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        usleep(800_000)
        let first = progress.bytes
        usleep(300_000)
        let second = progress.bytes
        XCTAssertEqual(first, second, "the writer kept going while nobody read", file: file, line: line)
        XCTAssertLessThan(second, total, file: file, line: line)
        // Reading resumes the flow: every byte still arrives.
        let (count, end) = TestSockets.readAll(fd) { _ in }
        XCTAssertEqual(count, total, file: file, line: line)
        XCTAssertEqual(end, .eof, file: file, line: line)
    }

    func testSlowReaderStopsReadsOnTheSplicePath() throws {
        try assertWriterStalls(toxics: [])
    }

    func testSlowReaderStopsReadsOnTheBufferedPath() throws {
        try assertWriterStalls(toxics: [Self.toxic("lat", .downstream, .latency(latencyMs: 1, jitterMs: 0))])
    }
}
