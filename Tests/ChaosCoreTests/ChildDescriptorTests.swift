@testable import ChaosCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A child gets descriptors 0-2 and nothing else chaosctl holds: a descriptor left open
/// without close-on-exec (a journal lock, a socket, a pipe to another child) must not reach it.
final class ChildDescriptorTests: XCTestCase {
    /// The shell stays (`; true`), so `ls` lists the shell's own descriptors, which are exactly
    /// what ChildProcess gave it.
    static let listShellDescriptors = "ls /proc/$$/fd; true"

    func testProcessRunnerChildSeesOnlyItsThreeStreams() throws {
        let extra = try openInheritable()
        defer { close(extra) }
        let outcome = try ProcessRunner.run(argv: ["/bin/sh", "-c", Self.listShellDescriptors], timeout: 10)
        XCTAssertEqual(outcome.exitStatus, .exited(0), outcome.stderr)
        XCTAssertEqual(descriptors(in: outcome.stdout), ["0", "1", "2"],
                       "the parent held \(extra) without close-on-exec; the child saw: \(outcome.stdout)")
    }

    /// What the caller passes (here a pipe as stdin, a file as stdout) does reach the child,
    /// as 0 and 1, while the parent's other inheritable descriptor does not.
    func testSpawnKeepsTheDescriptorsItWasGiven() throws {
        let extra = try openInheritable()
        defer { close(extra) }
        var input: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&input), 0)
        let outputPath = NSTemporaryDirectory() + "child-fds-\(getpid()).txt"
        defer { unlink(outputPath) }
        let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(output, 0)
        let pid = try ChildProcess.spawn(argv: ["/bin/sh", "-c", "read line; echo \"got $line\"; " + Self.listShellDescriptors],
                                         stdin: input[0], stdout: output, stderr: output)
        close(input[0])
        close(output)
        _ = "hello\n".withCString { write(input[1], $0, 6) }
        close(input[1])
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, 0), pid)
        XCTAssertEqual(ChildProcess.decode(status), .exited(0))
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "got hello", text)
        XCTAssertEqual(descriptors(in: lines.dropFirst().joined(separator: "\n")), ["0", "1", "2"],
                       "the parent held \(extra) without close-on-exec; the child saw: \(text)")
    }

    /// A descriptor a child would inherit without the fix: no O_CLOEXEC, and above 2.
    private func openInheritable() throws -> Int32 {
        let fd = open("/dev/null", O_RDONLY)
        XCTAssertGreaterThan(fd, 2)
        XCTAssertEqual(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0, "the test descriptor must be inheritable")
        return fd
    }

    private func descriptors(in listing: String) -> [String] {
        listing.split(whereSeparator: \.isWhitespace).map(String.init).sorted()
    }
}
