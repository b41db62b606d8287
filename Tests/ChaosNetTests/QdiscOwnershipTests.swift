import ChaosTestSupport
import ChaosCore
@testable import ChaosNet
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Ownership, errors, and crash recovery, on this kernel's tbf (netem where it exists).
final class QdiscOwnershipTests: XCTestCase {
    private var pair: NetnsPair!
    private var state: String!

    override func setUpWithError() throws {
        try requireRootAndIproute2()
        pair = try NetnsPair(tag: "o")
        state = temporaryStateDirectory()
    }

    override func tearDown() {
        pair?.destroy()
        if let state { try? FileManager.default.removeItem(atPath: state) }
    }

    private var lifecycle: FaultLifecycle {
        FaultLifecycle(journal: FaultJournal(directory: state), reverters: QdiscReverter.all)
    }
    private var tbfSpec: TbfSpec { TbfSpec(rateBytesPerSecond: 125_000, burstBytes: 10_000, limitBytes: 20_000) }

    func testForeignRootIsRefusedWithoutForceAndRestoredExactlyAfterForce() throws {
        XCTAssertEqual(sh(["tc", "-n", pair.a, "qdisc", "add", "dev", pair.devA, "root", "handle", "1:", "pfifo", "limit", "77"]).status, 0)
        let before = pair.qdiscs(ns: pair.a, dev: pair.devA)
        let place = QdiscFaultTarget(target: .named(pair.a), device: pair.devA)
        XCTAssertThrowsError(try lifecycle.apply(try TbfFault(tbfSpec, on: place), held: true)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .conflict)
            XCTAssertTrue("\(error)".contains("did not install"), "\(error)")
            XCTAssertTrue("\(error)".contains("--force"), "\(error)")
        }
        XCTAssertEqual(pair.qdiscs(ns: pair.a, dev: pair.devA), before)
        XCTAssertTrue(FaultJournal(directory: state).records().records.isEmpty)

        var forced = place
        forced.force = true
        let lc = lifecycle
        let record = try lc.apply(try TbfFault(tbfSpec, on: forced), held: true)
        XCTAssertEqual(record.revertData["prevKind"], "pfifo")
        XCTAssertEqual(record.revertData["prevHandle"], "1:")
        XCTAssertTrue(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("tbf ca05: root"))
        // A second fault on the same device is refused even with force: one chaosctl root at a time.
        XCTAssertThrowsError(try lc.apply(try TbfFault(tbfSpec, on: forced), held: true)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .conflict)
        }
        XCTAssertTrue(lc.revertHeld().isEmpty)
        XCTAssertEqual(pair.qdiscs(ns: pair.a, dev: pair.devA), before)
    }

    func testSigkilledHolderIsRecoveredToTheExactQdiscList() throws {
        let probe = try probePath()
        // A foreign htb root with non-default options: only a byte-exact restore brings them back.
        XCTAssertEqual(sh(["tc", "-n", pair.a, "qdisc", "add", "dev", pair.devA, "root", "handle", "7:",
                           "htb", "default", "12", "r2q", "7"]).status, 0)
        // direct_packets_stat counts traffic (IPv6 router solicitations pass by), not config.
        func config() -> String {
            pair.qdiscs(ns: pair.a, dev: pair.devA).replacingOccurrences(of: "direct_packets_stat [0-9]+ ", with: "",
                                                                          options: .regularExpression)
        }
        let before = config()
        XCTAssertTrue(before.contains("htb 7: root") && before.contains("r2q 7 default 0x12"), before)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: probe)
        child.arguments = ["tbf", "apply", "--dev", pair.devA, "--netns", pair.a, "--rate", "1mbit",
                           "--burst", "10k", "--limit", "20k", "--force", "--for", "300s"]
        child.environment = ["CHAOSCTL_STATE_DIR": state]
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        XCTAssertTrue(pair.waitForChaosQdisc(ns: pair.a, dev: pair.devA, present: true))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        XCTAssertTrue(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("tbf ca05:"), "SIGKILL cannot revert; the fault must still be there")
        let journaled = FaultJournal(directory: state).records().records
        XCTAssertEqual(journaled.count, 1)
        XCTAssertEqual(journaled.first?.state, .applied)
        XCTAssertEqual(journaled.first?.owner?.pid, child.processIdentifier)

        let outcome = lifecycle.recover()
        XCTAssertEqual(outcome.reverted.count, 1)
        XCTAssertTrue(outcome.failed.isEmpty, "\(outcome.failed)")
        XCTAssertEqual(config(), before)
        XCTAssertTrue(FaultJournal(directory: state).records().records.isEmpty)
        // Recovering again finds nothing: revert is idempotent and the journal is clear.
        XCTAssertTrue(lifecycle.recover(all: true).reverted.isEmpty)
    }

    func testNetemOnAKernelWithoutSchNetemSaysSoPlainly() throws {
        if FileManager.default.fileExists(atPath: "/sys/module/sch_netem") {
            throw fixtureUnavailable("this kernel has sch_netem loaded; the missing-module message cannot be provoked")
        }
        var spec = NetemSpec()
        spec.delayNs = 100_000_000
        let place = QdiscFaultTarget(target: .named(pair.a), device: pair.devA)
        let before = pair.qdiscs(ns: pair.a, dev: pair.devA)
        XCTAssertThrowsError(try lifecycle.apply(try NetemFault(spec, on: place), held: true)) { error in
            let text = "\(error)"
            // If modprobe succeeded the kernel would have netem; then this test has nothing to say.
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unsupported, text)
            XCTAssertTrue(text.contains("Specified qdisc kind is unknown"), text)
            XCTAssertTrue(text.contains("modprobe sch_netem"), text)
            XCTAssertTrue(text.contains("CONFIG_NET_SCH_NETEM"), text)
        }
        XCTAssertEqual(pair.qdiscs(ns: pair.a, dev: pair.devA), before)
        XCTAssertTrue(FaultJournal(directory: state).records().records.isEmpty, "the failed apply must leave no record")

        let cli = sh([try probePath(), "netem", "apply", "--dev", pair.devA, "--netns", pair.a, "--delay", "100ms", "--detach"],
                     environment: ["CHAOSCTL_STATE_DIR": state])
        XCTAssertEqual(cli.status, ExitCode.unsupported.rawValue, cli.output)
        XCTAssertTrue(cli.output.contains("sch_netem"), cli.output)
    }

    func testUnknownDeviceNamespaceAndProcessAreNamed() throws {
        XCTAssertThrowsError(try QdiscControl(target: .named(pair.a), device: "nosuch0")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
            XCTAssertTrue("\(error)".contains("'nosuch0'"), "\(error)")
            XCTAssertTrue("\(error)".contains(pair.a), "\(error)")
        }
        let missing = "cn\(getpid())-no-such-ns"
        XCTAssertThrowsError(try QdiscControl(target: .named(missing), device: "lo")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
            XCTAssertTrue("\(error)".contains("'\(missing)'"), "\(error)")
        }
        XCTAssertThrowsError(try QdiscControl(target: .process(Int32.max - 1), device: "lo")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
        }
        let probe = try probePath()
        let cli = sh([probe, "tbf", "apply", "--dev", "nosuch0", "--netns", pair.a, "--rate", "1mbit", "--burst", "10k", "--limit", "20k"],
                     environment: ["CHAOSCTL_STATE_DIR": state])
        XCTAssertEqual(cli.status, ExitCode.notFound.rawValue, cli.output)
        XCTAssertTrue(cli.output.contains("nosuch0"), cli.output)
        let bad = sh([probe, "netem", "apply", "--dev", pair.devA, "--netns", pair.a, "--loss", "150%"],
                     environment: ["CHAOSCTL_STATE_DIR": state])
        XCTAssertEqual(bad.status, ExitCode.usage.rawValue, bad.output)
        XCTAssertTrue(bad.output.contains("out of range"), bad.output)
    }

    func testWithoutCapNetAdminTheErrorSaysSo() throws {
        let probe = try probePath()
        guard sh(["setpriv", "--help"]).status == 0 else { throw fixtureUnavailable("needs setpriv (util-linux) to drop privileges") }
        // As nobody, in this namespace, on lo: the kernel refuses RTM_NEWQDISC with EPERM.
        let nobodyState = state + "/nobody"
        try FileManager.default.createDirectory(atPath: nobodyState, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(state, 0o755), 0)
        XCTAssertEqual(chmod(nobodyState, 0o777), 0)
        let cli = sh(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                      probe, "tbf", "apply", "--dev", "lo", "--rate", "1mbit", "--burst", "10k", "--limit", "20k", "--detach"],
                     environment: ["CHAOSCTL_STATE_DIR": nobodyState])
        XCTAssertEqual(cli.status, ExitCode.permission.rawValue, cli.output)
        XCTAssertTrue(cli.output.contains("CAP_NET_ADMIN"), cli.output)
        XCTAssertFalse(sh(["tc", "qdisc", "show", "dev", "lo"]).output.contains("ca05:"))
    }
}
