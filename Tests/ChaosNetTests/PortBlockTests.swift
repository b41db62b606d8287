import ChaosCore
import ChaosTestSupport
@testable import ChaosNet
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `chaosctl block` for real, in two namespaces the test creates (a client in a, a server
/// in b on 198.18.0.2): connections refused or dropped during the block, through after
/// it; `nft list ruleset` shows chaosctl's table alone and then nothing; SIGKILL + recover,
/// dry run, bad input and a missing CAP_NET_ADMIN change nothing they should not.
final class PortBlockTests: XCTestCase {
    private var pair: NetnsPair!
    private var state: String!
    private var probe: String!
    private var server: Process?
    private let port = 5432

    override func setUpWithError() throws {
        try requireRootAndIproute2()
        try requireNft()
        probe = try probePath()
        pair = try NetnsPair(tag: "k")
        state = temporaryStateDirectory()
    }

    override func tearDown() {
        if let server, server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        pair?.destroy()
        if let state { try? FileManager.default.removeItem(atPath: state) }
    }

    private func cli(_ args: [String]) -> (status: Int32, output: String) {
        sh([probe] + args, environment: ["CHAOSCTL_STATE_DIR": state])
    }

    /// chaosctl held in the background, its output collected.
    private func hold(_ args: [String]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: probe)
        p.arguments = args
        p.environment = ["CHAOSCTL_STATE_DIR": state]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        return (p, out)
    }

    private var journaled: [FaultRecord] { FaultJournal(directory: state).records().records }

    func testRejectEgressRefusesDuringAndConnectsAfterExpiry() throws {
        server = try pair.startServer(port: port)
        XCTAssertEqual(pair.connect(port: port), "ok")
        let (holder, out) = try hold(["block", "--port", "\(port)", "--netns", pair.a, "--reject", "--for", "4s"])
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        XCTAssertTrue(pair.waitForBlockTable(ns: pair.a, present: true), "the table never appeared")

        XCTAssertEqual(pair.connect(port: port), "refused")
        let record = try XCTUnwrap(journaled.first)
        XCTAssertEqual(record.kind, "block")
        XCTAssertEqual(record.summary, "reject tcp port 5432 egress")
        // chaosctl's table and nothing else, named and commented after the record.
        let table = "chaosctl_block_" + record.id.replacingOccurrences(of: "-", with: "_")
        XCTAssertEqual(pair.tables(ns: pair.a), [table])
        let ruleset = pair.ruleset(ns: pair.a)
        XCTAssertTrue(ruleset.contains("comment \"chaosctl block fault \(record.id)\""), ruleset)
        XCTAssertTrue(ruleset.contains("tcp dport 5432 counter reject with tcp reset"), ruleset)
        XCTAssertEqual(pair.tables(ns: pair.b), [], "the server's namespace is not touched")
        let status = cli(["status"])
        XCTAssertTrue(status.output.contains("block") && status.output.contains("netns \(pair.a)"), status.output)

        holder.waitUntilExit()
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(holder.terminationStatus, 0, log)
        XCTAssertTrue(log.contains("reverted block on netns \(pair.a) (time is up)"), log)
        XCTAssertEqual(pair.ruleset(ns: pair.a), "", "nothing left in the ruleset")
        XCTAssertEqual(pair.connect(port: port), "ok")
        XCTAssertTrue(journaled.isEmpty)
    }

    func testDropIngressByPidTimesOutAndSigtermReverts() throws {
        server = try pair.startServer(port: port)
        // The server's PID names its namespace (b), as a container's main process would.
        let (holder, out) = try hold(["block", "--port", "\(port)", "--direction", "ingress", "--drop",
                                      "--pid", "\(server!.processIdentifier)"])
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        XCTAssertTrue(pair.waitForBlockTable(ns: pair.b, present: true), "the table never appeared")
        XCTAssertEqual(pair.tables(ns: pair.a), [])
        XCTAssertTrue(pair.ruleset(ns: pair.b).contains("type filter hook input priority filter"), pair.ruleset(ns: pair.b))
        XCTAssertEqual(pair.connect(port: port), "timeout", "a dropped SYN gets no answer")
        XCTAssertEqual(pair.connect(port: port + 1), "refused", "other ports are not blocked (nothing listens there)")

        kill(holder.processIdentifier, SIGTERM)
        holder.waitUntilExit()
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(holder.terminationStatus, 128 + SIGTERM, log)
        XCTAssertTrue(log.contains("reverted block"), log)
        XCTAssertEqual(pair.ruleset(ns: pair.b), "")
        XCTAssertEqual(pair.connect(port: port), "ok")
        XCTAssertTrue(journaled.isEmpty)
    }

    func testUdpRejectAnswersPortUnreachableUntilRecover() throws {
        server = try pair.startServer(port: 5353, udp: true)
        let applied = cli(["block", "--port", "5353", "--protocol", "udp", "--direction", "ingress", "--reject",
                           "--netns", pair.b, "--detach"])
        XCTAssertEqual(applied.status, 0, applied.output)
        XCTAssertTrue(pair.ruleset(ns: pair.b).contains("udp dport 5353 counter reject"), pair.ruleset(ns: pair.b))
        XCTAssertEqual(pair.connect(port: 5353, udp: true), "refused", "ICMP port unreachable reaches the sender")
        let recovered = cli(["recover", "--all", "--kind", "block"])
        XCTAssertEqual(recovered.status, 0, recovered.output)
        XCTAssertEqual(pair.ruleset(ns: pair.b), "")
        XCTAssertEqual(pair.connect(port: 5353, udp: true), "ok")
    }

    func testSigkilledHolderIsRecovered() throws {
        let (holder, _) = try hold(["block", "--port", "\(port)", "--netns", pair.a, "--for", "300s"])
        XCTAssertTrue(pair.waitForBlockTable(ns: pair.a, present: true))
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationReason, .uncaughtSignal)
        XCTAssertEqual(pair.tables(ns: pair.a).count, 1, "SIGKILL cannot revert; the block must still be there")
        XCTAssertEqual(journaled.first?.owner?.pid, holder.processIdentifier)
        let status = cli(["status"])
        XCTAssertTrue(status.output.contains("(gone: run `chaosctl recover`)"), status.output)

        let recovered = cli(["recover"])
        XCTAssertEqual(recovered.status, 0, recovered.output)
        XCTAssertTrue(recovered.output.contains("block"), recovered.output)
        XCTAssertEqual(pair.ruleset(ns: pair.a), "")
        XCTAssertTrue(journaled.isEmpty)
    }

    func testDryRunChangesNothing() throws {
        let r = cli(["block", "--port", "\(port)", "--netns", pair.a, "--reject", "--dry-run"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("dry run: would block reject tcp port 5432 egress in netns \(pair.a)"), r.output)
        XCTAssertTrue(r.output.contains("tcp dport 5432 counter reject with tcp reset"), r.output)
        XCTAssertEqual(pair.ruleset(ns: pair.a), "")
        XCTAssertTrue(journaled.isEmpty)
        let missing = cli(["block", "--port", "\(port)", "--netns", pair.a + "x", "--dry-run"])
        XCTAssertEqual(missing.status, ExitCode.notFound.rawValue, missing.output)
    }

    /// What --dry-run prints is what nft then lists, rule for rule.
    func testThePlanIsWhatNftLists() throws {
        let lifecycle = FaultLifecycle(journal: FaultJournal(directory: state), reverters: [PortBlockReverter()])
        for spec in [PortBlockSpec(port: 80, direction: .ingress, transport: .tcp, verdict: .drop),
                     PortBlockSpec(port: 53, direction: .egress, transport: .udp, verdict: .reject)] {
            let fault = PortBlockFault(spec, in: .named(pair.a))
            let record = try lifecycle.apply(fault, held: true)
            func words(_ s: String) -> [Substring] { s.split(whereSeparator: { $0.isWhitespace }) }
            XCTAssertEqual(words(pair.ruleset(ns: pair.a)), words(fault.plan(recordID: record.id)))
            try lifecycle.revert(record)
            XCTAssertEqual(pair.ruleset(ns: pair.a), "")
        }
    }

    func testBadInputExitsTwoNamingTheFieldAndChangesNothing() {
        let cases: [([String], String)] = [
            (["--port", "0"], "--port: '0' is out of range"),
            (["--port", "65536"], "--port: '65536' is out of range"),
            (["--port", "http"], "--port: 'http' is out of range"),
            (["--port", "80", "--direction", "sideways"], "--direction: 'sideways' is not one of egress, ingress"),
            (["--port", "80", "--protocol", "icmp"], "--protocol: 'icmp' is not one of tcp, udp"),
            (["--port", "80", "--reject", "--drop"], "--drop: and --reject exclude each other"),
            (["--port", "80", "--pid", "1", "--netns", pair.a], "give --netns or --pid, not both"),
            (["--port", "80", "--for", "soon"], "--for"),
        ]
        for (args, message) in cases {
            let r = cli(["block", "--netns", pair.a] + args)
            XCTAssertEqual(r.status, ExitCode.usage.rawValue, "\(args): \(r.output)")
            XCTAssertTrue(r.output.contains(message), "\(args): \(r.output)")
        }
        XCTAssertEqual(pair.ruleset(ns: pair.a), "")
        XCTAssertTrue(journaled.isEmpty)
    }

    func testWithoutCapNetAdminTheErrorSaysSo() throws {
        guard sh(["setpriv", "--help"]).status == 0 else { throw fixtureUnavailable("needs setpriv (util-linux) to drop privileges") }
        let nobodyState = state + "/nobody"
        try FileManager.default.createDirectory(atPath: nobodyState, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(state, 0o755), 0)
        XCTAssertEqual(chmod(nobodyState, 0o777), 0)
        // As nobody inside namespace a (its current namespace): the kernel refuses the batch with EPERM.
        let r = sh(["ip", "netns", "exec", pair.a, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                    probe, "block", "--port", "\(port)", "--detach"], environment: ["CHAOSCTL_STATE_DIR": nobodyState])
        XCTAssertEqual(r.status, ExitCode.permission.rawValue, r.output)
        XCTAssertTrue(r.output.contains("CAP_NET_ADMIN"), r.output)
        XCTAssertEqual(pair.ruleset(ns: pair.a), "")
        XCTAssertTrue(FaultJournal(directory: nobodyState).records().records.isEmpty, "nothing journaled for a refused block")
    }

    /// Root keeping every capability but CAP_NET_ADMIN (dropped from the bounding set, so the
    /// exec cannot regain it; CAP_SYS_ADMIN still lets it enter the namespace): the kernel
    /// refuses the nf_tables batch with EPERM, and the block is refused with the permission
    /// exit code, naming CAP_NET_ADMIN and the namespace, before anything is journaled or added.
    func testRootWithoutCapNetAdminIsRefusedBeforeAnythingChanges() throws {
        guard sh(["setpriv", "--help"]).status == 0 else { throw fixtureUnavailable("needs setpriv (util-linux) to drop a capability") }
        let r = sh(["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", probe,
                    "block", "--port", "\(port)", "--netns", pair.a, "--detach"], environment: ["CHAOSCTL_STATE_DIR": state])
        XCTAssertEqual(r.status, ExitCode.permission.rawValue, r.output)
        XCTAssertTrue(r.output.contains("CAP_NET_ADMIN") && r.output.contains(pair.a), r.output)
        XCTAssertEqual(pair.ruleset(ns: pair.a), "")
        XCTAssertTrue(journaled.isEmpty, "nothing journaled for a refused block")
        let status = cli(["status"])
        XCTAssertTrue(status.output.contains("No active faults"), status.output)
    }

    func testRevertDeletesOnlyItsOwnTable() throws {
        XCTAssertEqual(sh(["ip", "netns", "exec", pair.a, "nft", "add", "table", "inet", "keepme"]).status, 0)
        let applied = cli(["block", "--port", "\(port)", "--netns", pair.a, "--detach"])
        XCTAssertEqual(applied.status, 0, applied.output)
        let record = try XCTUnwrap(journaled.first)
        let table = "chaosctl_block_" + record.id.replacingOccurrences(of: "-", with: "_")
        XCTAssertEqual(Set(pair.tables(ns: pair.a)), ["keepme", table])

        // Someone replaces chaosctl's table with one of the same name: not the record's to delete.
        XCTAssertEqual(sh(["ip", "netns", "exec", pair.a, "nft", "delete", "table", "inet", table]).status, 0)
        XCTAssertEqual(sh(["ip", "netns", "exec", pair.a, "nft", "add", "table", "inet", table]).status, 0)
        let recovered = cli(["recover", "--all"])
        XCTAssertEqual(recovered.status, 0, recovered.output)
        XCTAssertTrue(recovered.output.contains("left as it is"), recovered.output)
        XCTAssertEqual(Set(pair.tables(ns: pair.a)), ["keepme", table])
        XCTAssertTrue(journaled.isEmpty)

        // A second block alongside the user's table: its revert leaves keepme (and the stranger) alone.
        XCTAssertEqual(cli(["block", "--port", "\(port)", "--netns", pair.a, "--detach"]).status, 0)
        XCTAssertEqual(pair.tables(ns: pair.a).count, 3)
        XCTAssertEqual(cli(["recover", "--all"]).status, 0)
        XCTAssertEqual(Set(pair.tables(ns: pair.a)), ["keepme", table])
    }
}
