import ChaosProxy
import ChaosProxyAPI
import XCTest

/// The `seed` attribute, chaosctl's extension (docs/proxy-api.md): taken, shown and passed to
/// the data plane when given; range-checked; absent from the JSON of toxics without one, so
/// Toxiproxy clients see nothing new. (Toxiproxy 2.12 itself drops unknown attributes:
/// /work/shared/reference/toxiproxy-2.12-api-transcript.md, case 62.)
final class ToxicSeedAPITests: XCTestCase {
    private var harness: APIHarness!

    override func setUpWithError() throws {
        harness = try APIHarness()
        let created = try harness.send("POST", "/proxies", body:
            "{\"name\":\"redis\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"127.0.0.1:17000\"}")
        XCTAssertEqual(created.status, 201)
    }

    override func tearDown() { harness = nil }

    func testSeedAttributeIsKeptShownAndReachesTheDataPlane() throws {
        let added = try harness.send("POST", "/proxies/redis/toxics", body:
            "{\"name\":\"cut\",\"type\":\"limit_data\",\"toxicity\":0.5,\"attributes\":{\"bytes\":10,\"seed\":9007199254740991}}")
        XCTAssertEqual(added.status, 200, added.body)
        XCTAssertEqual(added.body, "{\"attributes\":{\"bytes\":10,\"seed\":9007199254740991},\"name\":\"cut\",\"type\":\"limit_data\",\"stream\":\"downstream\",\"toxicity\":0.5}")
        XCTAssertEqual(harness.dataPlane.currentToxics("redis")?.first?.seed, 9_007_199_254_740_991)

        let updated = try harness.send("POST", "/proxies/redis/toxics/cut", body: "{\"attributes\":{\"seed\":7}}")
        XCTAssertEqual(updated.status, 200, updated.body)
        XCTAssertTrue(updated.body.contains("\"seed\":7"), updated.body)
        XCTAssertEqual(harness.dataPlane.currentToxics("redis")?.first?.seed, 7)

        let plain = try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"attributes\":{\"latency\":5}}")
        XCTAssertEqual(plain.body, "{\"attributes\":{\"latency\":5,\"jitter\":0},\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}")
    }

    func testSeedOutOfRangeIsA400AndChangesNothing() throws {
        harness.dataPlane.clearCalls()
        for bad in ["9007199254740992", "-1"] {
            let response = try harness.send("POST", "/proxies/redis/toxics", body:
                "{\"type\":\"latency\",\"attributes\":{\"latency\":5,\"seed\":\(bad)}}")
            XCTAssertEqual(response.status, 400, bad)
            XCTAssertEqual(response.body, "{\"error\":\"invalid attribute seed=\(bad) for latency toxic: must be between 0 and 9007199254740991\",\"status\":400}\n")
        }
        XCTAssertEqual(harness.dataPlane.calls.count, 0)
        XCTAssertEqual(try harness.send("GET", "/proxies/redis/toxics").body, "[]")
    }
}
