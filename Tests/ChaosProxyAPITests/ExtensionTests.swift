import ChaosProxy
import ChaosProxyAPI
import ChaosProxyClient
import XCTest

/// chaosctl's additions to the Toxiproxy API and the data-plane calls behind each route.
final class ExtensionTests: XCTestCase {
    private var harness: APIHarness!

    override func setUpWithError() throws { harness = try APIHarness() }
    override func tearDown() { harness = nil }

    private func createRedis(enabled: Bool = true, toxics: String? = nil) throws -> RawResponse {
        var body = "{\"name\":\"redis\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"127.0.0.1:17000\",\"enabled\":\(enabled)"
        if let toxics { body += ",\"toxics\":\(toxics)" }
        return try harness.send("POST", "/proxies", body: body + "}")
    }

    func testProxyCreatedWithToxicsStartsWithThemInPlace() throws {
        let response = try createRedis(toxics: "[{\"type\":\"latency\",\"attributes\":{\"latency\":250,\"jitter\":10}},"
            + "{\"name\":\"cut\",\"type\":\"limit_data\",\"stream\":\"upstream\",\"toxicity\":0.5,\"attributes\":{\"bytes\":100}}]")
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.body, harness.fix("{\"name\":\"redis\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"127.0.0.1:17000\",\"enabled\":true,\"Logger\":{},\"toxics\":["
            + "{\"attributes\":{\"bytes\":100},\"name\":\"cut\",\"type\":\"limit_data\",\"stream\":\"upstream\",\"toxicity\":0.5},"
            + "{\"attributes\":{\"latency\":250,\"jitter\":10},\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}]}"))
        XCTAssertEqual(harness.dataPlane.calls, [.start(name: "redis", listen: harness.listen(26379), upstream: "127.0.0.1:17000", toxics: [
            ToxicSpec(name: "cut", stream: .upstream, toxicity: 0.5, kind: .limitData(bytes: 100)),
            ToxicSpec(name: "latency_downstream", stream: .downstream, toxicity: 1, kind: .latency(latencyMs: 250, jitterMs: 10)),
        ])], "one start call carrying the toxics, no window without them")
    }

    func testPopulateWithToxicsPassesThemToStart() throws {
        let response = try harness.send("POST", "/populate", body:
            "[{\"name\":\"web\",\"listen\":\"127.0.0.1:26384\",\"upstream\":\"127.0.0.1:18080\",\"toxics\":[{\"type\":\"refuse_connections\",\"toxicity\":0.3}]}]")
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(harness.dataPlane.calls, [.start(name: "web", listen: harness.listen(26384), upstream: "127.0.0.1:18080",
            toxics: [ToxicSpec(name: "refuse_connections_downstream", stream: .downstream, toxicity: Double(Float(0.3)), kind: .refuseConnections)])])
    }

    func testChaosctlToxicTypesAndNoopMapping() throws {
        XCTAssertEqual(try createRedis().status, 201)
        let refuse = try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"reset_connections\",\"toxicity\":0.2}")
        XCTAssertEqual(refuse.body, "{\"attributes\":{},\"name\":\"reset_connections_downstream\",\"type\":\"reset_connections\",\"stream\":\"downstream\",\"toxicity\":0.2}")
        XCTAssertEqual(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"noop\"}").status, 200)
        XCTAssertEqual(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"name\":\"hi\",\"toxicity\":2.5}").status, 200)
        XCTAssertEqual(harness.dataPlane.currentToxics("redis"), [
            ToxicSpec(name: "reset_connections_downstream", stream: .downstream, toxicity: Double(Float(0.2)), kind: .resetConnections),
            ToxicSpec(name: "hi", stream: .downstream, toxicity: 1, kind: .latency(latencyMs: 0, jitterMs: 0)),
        ], "noop is not sent; toxicity above 1 is clamped for the data plane")
    }

    func testOutOfRangeAttributesAreRefusedAndChangeNothing() throws {
        XCTAssertEqual(try createRedis().status, 201)
        harness.dataPlane.clearCalls()
        let cases: [(String, String)] = [
            ("{\"type\":\"latency\",\"attributes\":{\"jitter\":-1}}",
             "invalid attribute jitter=-1 for latency toxic: must be between 0 and 86400000 (ms)"),
            ("{\"type\":\"timeout\",\"attributes\":{\"timeout\":86400001}}",
             "invalid attribute timeout=86400001 for timeout toxic: must be between 0 and 86400000 (ms)"),
            ("{\"type\":\"slicer\",\"attributes\":{\"average_size\":2147483648}}",
             "invalid attribute average_size=2147483648 for slicer toxic: must be between 0 and 1073741824 (bytes)"),
            ("{\"type\":\"bandwidth\",\"attributes\":{\"rate\":1.5}}",
             "bad request body: json: cannot unmarshal number 1.5 into Go struct field BandwidthToxic.attributes.rate of type int64"),
        ]
        for (body, message) in cases {
            let response = try harness.send("POST", "/proxies/redis/toxics", body: body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.body, "{\"error\":\"\(message)\",\"status\":400}\n")
        }
        XCTAssertEqual(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\"}").status, 200)
        let update = try harness.send("POST", "/proxies/redis/toxics/latency_downstream", body: "{\"attributes\":{\"latency\":-3}}")
        XCTAssertEqual(update.status, 400)
        XCTAssertEqual(try harness.send("GET", "/proxies/redis/toxics/latency_downstream").body,
                       "{\"attributes\":{\"latency\":0,\"jitter\":0},\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}")
        XCTAssertEqual(harness.dataPlane.calls.count, 1, "only the valid add reached the data plane")
    }

    func testTTLIsListedAndTheToxicExpires() throws {
        XCTAssertEqual(try createRedis().status, 201)
        let added = try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"ttl\":\"1.5s\",\"attributes\":{\"latency\":5}}")
        XCTAssertEqual(added.status, 200)
        let remaining = try XCTUnwrap(Int(added.body.split(separator: ":").last!.dropLast()))
        XCTAssertTrue(added.body.contains(",\"ttl_remaining_ms\":"), added.body)
        XCTAssertTrue((500...1500).contains(remaining), "remaining \(remaining)")
        XCTAssertEqual(harness.dataPlane.currentToxics("redis")?.count, 1)
        // A toxic without ttl shows no extra field.
        let plain = try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"bandwidth\",\"attributes\":{\"rate\":5}}")
        XCTAssertFalse(plain.body.contains("ttl"))
        let deadline = Date().addingTimeInterval(6)
        while Date() < deadline, try harness.send("GET", "/proxies/redis/toxics/latency_downstream").status == 200 {
            usleep(50_000)
        }
        XCTAssertEqual(try harness.send("GET", "/proxies/redis/toxics/latency_downstream").status, 404)
        XCTAssertEqual(harness.dataPlane.currentToxics("redis"),
                       [ToxicSpec(name: "bandwidth_downstream", stream: .downstream, toxicity: 1, kind: .bandwidth(rateKBps: 5))])
    }

    func testTTLUpdateRearmsAndOldTimerLeavesTheToxicAlone() throws {
        XCTAssertEqual(try createRedis().status, 201)
        XCTAssertEqual(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"ttl\":1000}").status, 200)
        let rearmed = try harness.send("POST", "/proxies/redis/toxics/latency_downstream", body: "{\"ttl\":\"10s\"}")
        XCTAssertEqual(rearmed.status, 200)
        usleep(1_300_000)
        XCTAssertEqual(try harness.send("GET", "/proxies/redis/toxics/latency_downstream").status, 200)
    }

    func testInvalidTTLIsA400() throws {
        XCTAssertEqual(try createRedis().status, 201)
        for ttl in ["0", "-5", "\"soon\"", "\"30d\"", "true"] {
            let response = try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"ttl\":\(ttl)}")
            XCTAssertEqual(response.status, 400, ttl)
            XCTAssertTrue(response.body.hasPrefix("{\"error\":\"invalid ttl "), response.body)
        }
    }

    func testConnectionsRoute() throws {
        XCTAssertEqual(try createRedis().status, 201)
        harness.dataPlane.setConnections([
            ConnectionInfo(id: 7, client: "127.0.0.1:50000", upstream: "127.0.0.1:17000", bytesUpstream: 10, bytesDownstream: 2048, ageSeconds: 1.25),
        ], for: "redis")
        let response = try harness.send("GET", "/proxies/redis/connections")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        XCTAssertEqual(response.body, "[{\"id\":7,\"client\":\"127.0.0.1:50000\",\"upstream\":\"127.0.0.1:17000\",\"bytes_upstream\":10,\"bytes_downstream\":2048,\"age_seconds\":1.25}]")
        XCTAssertEqual(try harness.send("GET", "/proxies/nope/connections").status, 404)
        XCTAssertEqual(try harness.send("POST", "/proxies/redis/connections").status, 405)
    }

    func testMetricsUseToxiproxyNames() throws {
        XCTAssertEqual(try createRedis().status, 201)
        var counters = ProxyCounters()
        counters.bytesUpstream = 11
        counters.bytesDownstream = 22
        counters.acceptedConnections = 3
        counters.activeConnections = 1
        counters.toxicApplications = ["lat": 2]
        counters.releaseLateness.counts[0] = 5           // ≤ 50 µs
        counters.releaseLateness.counts[3] = 2           // ≤ 500 µs
        counters.releaseLateness.counts[9] = 1           // above 50 ms
        counters.releaseLateness.sumNanos = 61_250_000
        harness.dataPlane.setCounters(counters, for: "redis")
        let response = try harness.send("GET", "/metrics")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        let listen = harness.listen(26379)
        for line in [
            "# TYPE toxiproxy_proxy_received_bytes_total counter",
            "toxiproxy_proxy_received_bytes_total{direction=\"downstream\",listener=\"\(listen)\",proxy=\"redis\",upstream=\"127.0.0.1:17000\"} 22",
            "toxiproxy_proxy_sent_bytes_total{direction=\"upstream\",listener=\"\(listen)\",proxy=\"redis\",upstream=\"127.0.0.1:17000\"} 11",
            "chaosctl_proxy_connections_accepted_total{proxy=\"redis\"} 3",
            "chaosctl_proxy_connections_active{proxy=\"redis\"} 1",
            "chaosctl_proxy_toxic_applications_total{proxy=\"redis\",toxic=\"lat\"} 2",
            "# TYPE chaosctl_proxy_toxic_release_lateness_seconds histogram",
            "chaosctl_proxy_toxic_release_lateness_seconds_bucket{proxy=\"redis\",le=\"0.00005\"} 5",
            "chaosctl_proxy_toxic_release_lateness_seconds_bucket{proxy=\"redis\",le=\"0.00025\"} 5",
            "chaosctl_proxy_toxic_release_lateness_seconds_bucket{proxy=\"redis\",le=\"0.0005\"} 7",
            "chaosctl_proxy_toxic_release_lateness_seconds_bucket{proxy=\"redis\",le=\"0.05\"} 7",
            "chaosctl_proxy_toxic_release_lateness_seconds_bucket{proxy=\"redis\",le=\"+Inf\"} 8",
            "chaosctl_proxy_toxic_release_lateness_seconds_sum{proxy=\"redis\"} 0.06125",
            "chaosctl_proxy_toxic_release_lateness_seconds_count{proxy=\"redis\"} 8",
            "# TYPE chaosctl_proxy_timer_understudy_takeovers_total counter",
            "chaosctl_proxy_timer_understudy_takeovers_total 0",
        ] {
            XCTAssertTrue(response.body.split(separator: "\n").contains(Substring(line)), "missing: \(line)\n\(response.body)")
        }
    }

    func testDisableStopsAndEnableRestartsWithToxics() throws {
        XCTAssertEqual(try createRedis(toxics: "[{\"type\":\"timeout\",\"attributes\":{\"timeout\":5}}]").status, 201)
        harness.dataPlane.clearCalls()
        XCTAssertEqual(try harness.send("POST", "/proxies/redis", body: "{\"enabled\":false}").status, 200)
        XCTAssertEqual(harness.dataPlane.calls, [.stop(name: "redis")])
        XCTAssertFalse(harness.dataPlane.running.contains("redis"))
        XCTAssertEqual(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"slow_close\"}").status, 200)
        XCTAssertEqual(harness.dataPlane.calls.count, 1, "a disabled proxy's toxics are only stored")
        XCTAssertEqual(try harness.send("PATCH", "/proxies/redis", body: "{\"enabled\":true}").status, 200)
        XCTAssertEqual(harness.dataPlane.calls.last, .start(name: "redis", listen: harness.listen(26379), upstream: "127.0.0.1:17000", toxics: [
            ToxicSpec(name: "timeout_downstream", stream: .downstream, toxicity: 1, kind: .timeout(timeoutMs: 5)),
            ToxicSpec(name: "slow_close_downstream", stream: .downstream, toxicity: 1, kind: .slowClose(delayMs: 0)),
        ]))
        XCTAssertEqual(try harness.send("POST", "/proxies/redis", body: "{\"upstream\":\"127.0.0.1:9\"}").status, 200)
        XCTAssertEqual(harness.dataPlane.calls.last, .update(name: "redis", upstream: "127.0.0.1:9"))
    }

    func testFailedListenChangeKeepsTheOldListener() throws {
        XCTAssertEqual(try createRedis().status, 201)
        XCTAssertEqual(try harness.send("POST", "/proxies", body: "{\"name\":\"b\",\"listen\":\"127.0.0.1:26380\",\"upstream\":\"x:1\"}").status, 201)
        let response = try harness.send("POST", "/proxies/redis", body: "{\"listen\":\"127.0.0.1:26380\"}")
        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(response.body, harness.fix("{\"error\":\"listen tcp 127.0.0.1:26380: bind: address already in use\",\"status\":500}\n"))
        XCTAssertEqual(jsonStringField("listen", in: try harness.send("GET", "/proxies/redis").body), harness.listen(26379))
        XCTAssertTrue(harness.dataPlane.running.contains("redis"))
    }

    func testPopulateFailureUndoesEverything() throws {
        XCTAssertEqual(try createRedis().status, 201)
        let response = try harness.send("POST", "/populate", body:
            "[{\"name\":\"new1\",\"listen\":\"127.0.0.1:26385\",\"upstream\":\"u:1\"},{\"name\":\"clash\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"u:1\"}]")
        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(try harness.send("GET", "/proxies/new1").status, 404)
        XCTAssertEqual(harness.dataPlane.running, ["redis"])
    }

    func testPopulateFailureRestoresToxicsOfAKeptProxyWithoutRestartingIt() throws {
        XCTAssertEqual(try createRedis().status, 201)
        harness.dataPlane.clearCalls()
        let response = try harness.send("POST", "/populate", body:
            "[{\"name\":\"redis\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"127.0.0.1:17000\",\"toxics\":[{\"type\":\"timeout\"}]},"
            + "{\"name\":\"clash\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"u:1\"}]")
        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(harness.dataPlane.calls, [
            .setToxics(name: "redis", toxics: [ToxicSpec(name: "timeout_downstream", stream: .downstream, toxicity: 1, kind: .timeout(timeoutMs: 0))]),
            .setToxics(name: "redis", toxics: []),
        ])
        XCTAssertEqual(try harness.send("GET", "/proxies/redis/toxics").body, "[]")
    }

    func testDefaultListenIsLoopback() throws {
        let response = try harness.send("POST", "/proxies", body: "{\"name\":\"n\",\"upstream\":\"u:1\"}")
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(harness.dataPlane.calls.first, .start(name: "n", listen: "127.0.0.1:0", upstream: "u:1", toxics: []))
    }

    func testBearerToken() throws {
        harness = try APIHarness(token: "s3cret")
        let missing = try harness.send("GET", "/proxies")
        XCTAssertEqual(missing.normalized, """
            HTTP/1.1 401 Unauthorized
            Content-Type: text/plain; charset=utf-8
            Www-Authenticate: Bearer
            X-Content-Type-Options: nosniff
            X-Toxiproxy-Request-Id: *
            Content-Length: 69

            {"error":"unauthorized: missing or wrong bearer token","status":401}

            """)
        XCTAssertEqual(try harness.send("GET", "/proxies", headers: [("Authorization", "Bearer wrong")]).status, 401)
        XCTAssertEqual(try harness.send("GET", "/proxies", headers: [("Authorization", "Bearer s3cret0")]).status, 401)
        XCTAssertEqual(try harness.send("GET", "/proxies", headers: [("Authorization", "Bearer s3cret")]).status, 200)
        XCTAssertEqual(try harness.send("GET", "/metrics", headers: [("Authorization", "bearer s3cret")]).status, 200)
        let client = try ToxiproxyClient(baseURL: "http://127.0.0.1:\(harness.port)", token: "s3cret")
        XCTAssertEqual(try client.proxies(), [])
        let anonymous = try ToxiproxyClient(baseURL: "127.0.0.1:\(harness.port)")
        XCTAssertThrowsError(try anonymous.proxies()) { XCTAssertEqual(($0 as? ToxiproxyClientError)?.status, 401) }
    }
}
