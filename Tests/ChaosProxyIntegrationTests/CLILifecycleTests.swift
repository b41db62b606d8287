import ChaosCore
import ChaosProxyAPI
import ChaosProxyClient
import ChaosTestSupport
import Foundation
import Glibc
import XCTest

/// The chaosctl binary against a real server: proxies and toxics are journaled, shown by
/// `status`, cleared by `recover`, forgotten by explicit removal, and held with `--for`.
final class CLILifecycleTests: IntegrationTestCase {
    private var temp: TempDir!
    private var chaosctl: Chaosctl!

    override func setUpWithError() throws {
        try super.setUpWithError()
        temp = try TempDir()
        chaosctl = Chaosctl(stateDir: temp.path)
    }

    override func tearDown() {
        // XCTest keeps test case objects until the run ends: drop the directory now.
        temp = nil
        super.tearDown()
    }

    private func ok(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try chaosctl.run(args + ["--host", stack.api])
        XCTAssertEqual(result.status, 0, "chaosctl \(args.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    private func kinds() throws -> [String] { try chaosctl.faults().compactMap { $0["kind"] as? String } }

    func testRoundTripJournalsCreatesAndRemoves() throws {
        XCTAssertEqual(try ok(["proxy", "create", "-l", "127.0.0.1:0", "-u", stack.upstream.address, "pg"]),
                       "Created new proxy pg\n")
        let port = try ProxyStack.port(of: try stack.client.proxy("pg").listen)
        XCTAssertEqual(try ok(["toxic", "add", "-t", "latency", "-a", "latency=1000", "pg"]),
                       "Added downstream latency toxic 'latency_downstream' on proxy 'pg'\n")
        XCTAssertEqual(try kinds(), ["proxy", "toxic"])
        let table = try chaosctl.run(["status"]).stdout
        XCTAssertTrue(table.contains("latency_downstream: latency downstream latency=1000"), table)
        XCTAssertTrue(table.contains("proxy pg at \(stack.api)"), table)

        let fd = try Sockets.connect(port: port)
        defer { close(fd) }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(ProxyStack.ping(fd)), 0.995, "the CLI's toxic is live")

        XCTAssertEqual(try ok(["toxic", "remove", "-n", "latency_downstream", "pg"]),
                       "Removed toxic 'latency_downstream' on proxy 'pg'\n")
        XCTAssertEqual(try kinds(), ["proxy"], "toxic remove forgot the toxic's record")
        // Pinged at once: the removal is live when the API answers. Half the latency as the
        // bound, so only a toxic still in place fails it.
        XCTAssertLessThan(try XCTUnwrap(ProxyStack.ping(fd)), 0.5)

        XCTAssertEqual(try ok(["proxy", "delete", "pg"]), "Deleted proxy pg\n")
        XCTAssertEqual(try kinds(), [], "proxy delete forgot the proxy's record")
    }

    func testRecoverAllDeletesWhatTheCLICreated() throws {
        _ = try ok(["proxy", "create", "-l", "127.0.0.1:0", "-u", stack.upstream.address, "web"])
        _ = try ok(["toxic", "add", "-t", "bandwidth", "-a", "rate=100", "-u", "web"])
        _ = try ok(["toxic", "add", "-n", "slow", "-t", "latency", "-a", "latency=50", "web"])
        XCTAssertEqual(try stack.client.proxy("web").toxics.count, 2)
        let recover = try chaosctl.run(["recover", "--all"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertThrowsError(try stack.client.proxy("web")) { error in
            XCTAssertEqual((error as? ToxiproxyClientError)?.status, 404)
        }
        XCTAssertEqual(try kinds(), [])
    }

    func testTakenNamesFailWithoutTouchingWhatExists() throws {
        _ = try stack.createProxy("mine")
        _ = try stack.client.addToxic(proxy: "mine", name: "keep", type: "latency", attributes: ["latency": 10])
        let create = try chaosctl.run(["proxy", "create", "-l", "127.0.0.1:0", "-u", stack.upstream.address,
                                       "mine", "--host", stack.api])
        XCTAssertEqual(create.status, ExitCode.conflict.rawValue, create.stderr)
        let add = try chaosctl.run(["toxic", "add", "-n", "keep", "-t", "noop", "mine", "--host", stack.api])
        XCTAssertEqual(add.status, ExitCode.conflict.rawValue, add.stderr)
        XCTAssertEqual(try stack.client.proxy("mine").toxics.map(\.name), ["keep"], "the existing proxy and toxic stay")
        XCTAssertEqual(try kinds(), [], "nothing journaled for a refused command")
        let missing = try chaosctl.run(["toxic", "add", "-t", "noop", "nosuch", "--host", stack.api])
        XCTAssertEqual(missing.status, ExitCode.notFound.rawValue, missing.stderr)
    }

    func testServerSideTTLIsReachableAsOptionAndAttribute() throws {
        _ = try stack.createProxy("ttl")
        _ = try ok(["toxic", "add", "-n", "a", "-t", "noop", "--ttl", "30s", "ttl"])
        _ = try ok(["toxic", "add", "-n", "b", "-t", "latency", "-a", "latency=5", "-a", "ttl=20s", "ttl"])
        let toxics = try stack.client.proxy("ttl").toxics
        XCTAssertEqual(toxics.map(\.name).sorted(), ["a", "b"])
        for toxic in toxics {
            let remaining = try XCTUnwrap(toxic.ttlRemainingMs, toxic.name)
            XCTAssertTrue((1...30_000).contains(remaining), "\(toxic.name): \(remaining)")
        }
        XCTAssertEqual(toxics.first { $0.name == "b" }?.attributes.keys.sorted(), ["jitter", "latency"], "ttl is not an attribute")
    }

    func testHeldToxicIsRemovedOnSIGTERM() throws {
        _ = try stack.createProxy("held")
        let process = try chaosctl.start(["toxic", "add", "-n", "h", "-t", "noop", "--for", "60s", "held", "--host", stack.api])
        try waitForToxic("held", present: true)
        XCTAssertEqual(try chaosctl.faults().first?["owner_pid"] as? Int, Int(process.processIdentifier))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 128 + SIGTERM)
        XCTAssertEqual(try stack.client.proxy("held").toxics.count, 0)
        XCTAssertEqual(try kinds(), [])
    }

    func testHeldToxicExpires() throws {
        _ = try stack.createProxy("brief")
        let result = try chaosctl.run(["toxic", "add", "-t", "noop", "--for", "700ms", "brief", "--host", stack.api])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix("Removed toxic 'noop_downstream' on proxy 'brief'\n"), result.stdout)
        XCTAssertEqual(try stack.client.proxy("brief").toxics.count, 0)
        XCTAssertEqual(try kinds(), [])
    }

    func testRecoverRemovesAToxicWhoseHolderWasKilled() throws {
        _ = try stack.createProxy("killed")
        let process = try chaosctl.start(["toxic", "add", "-n", "k", "-t", "latency", "-a", "latency=100",
                                          "--for", "60s", "killed", "--host", stack.api])
        try waitForToxic("killed", present: true)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(try stack.client.proxy("killed").toxics.map(\.name), ["k"], "SIGKILL left the toxic")
        let status = try chaosctl.run(["status"]).stdout
        XCTAssertTrue(status.contains("gone"), status)
        let recover = try chaosctl.run(["recover"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertEqual(try stack.client.proxy("killed").toxics.count, 0, "recover removed it")
        XCTAssertEqual(try kinds(), [])
    }

    func testTokenIsNeverJournaledAndIsTakenFromTheEnvironmentAtRevert() throws {
        let record = FaultRecord(kind: ToxicFault.kindName, target: "t", summary: "s",
                                 revertData: try ToxicFault(endpoint: ToxiproxyEndpoint(api: "127.0.0.1:1", token: "s3cret"),
                                                            options: ToxicOptions(proxy: "p", type: "noop")).revertData())
        XCTAssertEqual(record.revertData, ["api": "http://127.0.0.1:1", "token": "required",
                                           "proxy": "p", "toxic": "noop_downstream",
                                           "toxic_type": "noop", "toxic_stream": "downstream",
                                           "toxic_toxicity": "1.0", "toxic_attributes": ""])
        XCTAssertThrowsError(try ToxicReverter().revert(record)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unauthorized, "\(error)")
        }
    }

    private func waitForToxic(_ proxy: String, present: Bool) throws {
        for _ in 0..<500 {
            if (try? stack.client.proxy(proxy).toxics.isEmpty == !present) == true { return }
            usleep(20_000)
        }
        XCTFail("toxic on \(proxy) never became \(present ? "present" : "absent")")
    }
}
