import ChaosTargets
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #11 item 7: chaosctl blocks SIGINT/SIGTERM from launch, so every child it starts must
/// get them back: an exec credential plugin (run by KubeExecCredentialRunner) used to start
/// through Foundation's Process, which passes the blocked mask and ignored signals on.
final class ExecPluginSignalTests: XCTestCase {
    func testPluginStartsWithSigintAndSigtermUnblockedAndAtTheirDefault() throws {
        let dir = NSTemporaryDirectory() + "exec-plugin-signals-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plugin = dir + "/plugin.sh", masks = dir + "/masks"
        try """
        #!/bin/sh
        grep -E '^Sig(Blk|Ign):' /proc/self/status > \(masks)
        echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'
        """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)

        // As in chaosctl: the calling thread has SIGINT/SIGTERM blocked, and SIGINT is ignored
        // (a background job of a non-interactive shell).
        let box = CredentialBox()
        let done = DispatchSemaphore(value: 0)
        let caller = Thread {
            var interrupts = sigset_t()
            sigemptyset(&interrupts)
            sigaddset(&interrupts, SIGINT)
            sigaddset(&interrupts, SIGTERM)
            pthread_sigmask(SIG_BLOCK, &interrupts, nil)
            let previous = signal(SIGINT, SIG_IGN)
            box.result = Result {
                try KubeExecCredentialRunner().credential(for: KubeExecConfig(command: plugin, user: "u", sourceFile: "cfg"))
            }
            signal(SIGINT, previous)
            done.signal()
        }
        caller.start()
        XCTAssertEqual(done.wait(timeout: .now() + 40), .success)
        XCTAssertEqual(try XCTUnwrap(box.result).get().token, "t")

        let status = try String(contentsOfFile: masks, encoding: .utf8)
        for line in status.split(separator: "\n") {
            let bits = UInt64(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
            XCTAssertEqual(bits & (1 << UInt64(SIGINT - 1) | 1 << UInt64(SIGTERM - 1)), 0, "plugin started with \(status)")
        }
    }
}

// @unchecked Sendable: written by the caller thread before it signals, read only after the wait.
private final class CredentialBox: @unchecked Sendable {
    var result: Result<KubeExecCredential, Error>?
}
