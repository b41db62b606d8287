import ChaosCore
import ChaosTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// experiments/postgres-port-block.yaml, run for real and shortened: Debian's PostgreSQL on
/// 127.0.0.1:5432 in a namespace the test creates (scripts/postgres-netns.sh), psql as probe
/// and load, port 5432 rejected for 4 s. Every probe during the block fails, queries come
/// back after it, and the namespace's ruleset and the journal are empty at the end.
final class PostgresPortBlockExperimentTests: XCTestCase {
    func testPostgresBlockedUnderLoadRecovers() throws {
        try requireRootAndIproute2()
        try requireNft()
        let hasServer = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.isEmpty == false
        guard hasServer, sh(["psql", "--version"]).status == 0 else {
            throw fixtureUnavailable("needs PostgreSQL (package postgresql; scripts/install-deps.sh installs it)")
        }
        let probe = try probePath()
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let ns = "pgb\(getpid())"
        let dir = NSTemporaryDirectory() + "pgblock-\(getpid())"
        let state = temporaryStateDirectory()
        let reports = state + "/reports"
        let script = packageRoot + "/scripts/postgres-netns.sh"
        defer {
            _ = shellStatus("'\(script)' stop \(ns) '\(dir)' >/dev/null 2>&1 </dev/null")
            try? FileManager.default.removeItem(atPath: state)
        }
        // The server outlives the script: its output goes to a file, not to a pipe we would wait on.
        let startLog = state + "/postgres-start.log"
        guard shellStatus("'\(script)' start \(ns) '\(dir)' >'\(startLog)' 2>&1 </dev/null") == 0 else {
            throw FixtureFailure(reason: "PostgreSQL did not start: \((try? String(contentsOfFile: startLog, encoding: .utf8)) ?? "")")
        }

        let run = sh([probe, "run", "-f", packageRoot + "/experiments/postgres-port-block.yaml", "--report-dir", reports],
                     environment: ["CHAOSCTL_STATE_DIR": state, "PG_NETNS": ns, "PG_BEFORE": "3s", "PG_BLOCK": "4s",
                                   "PG_AFTER": "6s", "PG_LOAD_SECONDS": "11"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("block netns \(ns): reject tcp port 5432 ingress for 4s"), run.output)
        XCTAssertNotNil(run.output.range(of: "probe: during +[0-9.]+s  ok 0.0%", options: String.CompareOptions.regularExpression),
                        "every probe during the block fails: \(run.output)")
        XCTAssertTrue(run.output.contains("[pass] block postgres: recovered in"), run.output)
        let load = (try? String(contentsOfFile: reports + "/load.log", encoding: .utf8)) ?? ""
        let tally = load.range(of: "queries ok=([0-9]+) failed=([0-9]+)", options: String.CompareOptions.regularExpression).map { String(load[$0]) }
        let numbers = tally?.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) } ?? []
        XCTAssertEqual(numbers.count, 2, load)
        XCTAssertGreaterThan(numbers.first ?? 0, 0, "the load got queries through: \(load)")
        XCTAssertGreaterThan(numbers.last ?? 0, 0, "and saw the outage: \(load)")
        XCTAssertEqual(sh(["ip", "netns", "exec", ns, "nft", "list", "ruleset"]).output, "")
        XCTAssertTrue(FaultJournal(directory: state).records().records.isEmpty)
    }

    /// `/bin/sh -c command`, waited for with waitpid. Foundation's Process never saw this
    /// child's exit once pg_ctl had left the server running (the test hung on a zombie),
    /// so the daemonising start and stop go through posix_spawn.
    private func shellStatus(_ command: String) -> Int32 {
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xff
    }
}
