import XCTest

/// netem for real needs a kernel with sch_netem; this host's may lack it, so the checks run
/// in a QEMU VM booting Debian's stock kernel (scripts/test-netem-vm.sh: delay, random and
/// Gilbert-Elliott loss, rate, tc's view of every parameter, SIGTERM revert, SIGKILL +
/// recover). Slow (about a minute under TCG), so opt-in: CHAOS_NETEM_VM=1.
final class NetemVMTests: XCTestCase {
    func testNetemInDebianKernelVM() throws {
        guard ProcessInfo.processInfo.environment["CHAOS_NETEM_VM"] == "1" else {
            throw XCTSkip("netem VM test skipped: set CHAOS_NETEM_VM=1 (needs qemu-system-x86 and busybox-static) or run scripts/test-netem-vm.sh")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let result = sh([root.appendingPathComponent("scripts/test-netem-vm.sh").path],
                        environment: ["CHAOS_PROBE": try probePath()])
        print(result.output)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains(" passed, 0 failed"), result.output)
    }
}
