import ChaosProxyClient
import XCTest

/// `ToxiproxyClient` plus `ToxiproxyCLIText` replay the toxiproxy-cli session of the
/// transcript (/work/shared/reference) against chaosctl's real server on 127.0.0.1,
/// printing the same lines.
final class ClientTests: XCTestCase {
    func testCLISessionFromTranscript() throws {
        let server = try LiveToxiproxy()
        let client = server.client
        XCTAssertEqual(ToxiproxyCLIText.list(try client.proxies()), "")

        let created = try client.createProxy(name: "redis", listen: "127.0.0.1:0", upstream: "127.0.0.1:17000")
        let listen = created.listen
        XCTAssertNotEqual(listen, "127.0.0.1:0", "the server reports the bound port")
        XCTAssertEqual(ToxiproxyCLIText.created(created.name), "Created new proxy redis\n")
        XCTAssertThrowsError(try client.createProxy(name: "redis", listen: "127.0.0.1:0", upstream: "127.0.0.1:17000")) {
            XCTAssertEqual(ToxiproxyCLIText.createFailed($0), "Failed to create proxy: Create: HTTP 409: proxy already exists\n\n")
        }

        let latency = try client.addToxic(proxy: "redis", name: nil, type: "latency",
                                          attributes: try ToxicAttributeInput.parse(["latency=100", "jitter=0"], type: "latency"))
        XCTAssertEqual(ToxiproxyCLIText.toxicAdded(latency, proxy: "redis"),
                       "Added downstream latency toxic 'latency_downstream' on proxy 'redis'\n")
        let bandwidth = try client.addToxic(proxy: "redis", name: "bw", type: "bandwidth", stream: "upstream", toxicity: 0.5,
                                            attributes: ["rate": 10])
        XCTAssertEqual(ToxiproxyCLIText.toxicAdded(bandwidth, proxy: "redis"), "Added upstream bandwidth toxic 'bw' on proxy 'redis'\n")
        XCTAssertEqual(ToxiproxyCLIText.inspect(try client.proxy("redis")), """
            bw\ttype=bandwidth\tstream=upstream\ttoxicity=0.50\tattributes=[\trate=10\t]
            latency_downstream\ttype=latency\tstream=downstream\ttoxicity=1.00\tattributes=[\tjitter=0\tlatency=100\t]

            """)

        _ = try client.updateToxic(proxy: "redis", name: "bw", attributes: ["rate": 20])
        XCTAssertEqual(ToxiproxyCLIText.toxicUpdated("bw", proxy: "redis"), "Updated toxic 'bw' on proxy 'redis'\n")
        XCTAssertEqual(ToxiproxyCLIText.inspect(try client.proxy("redis")), """
            bw\ttype=bandwidth\tstream=upstream\ttoxicity=1.00\tattributes=[\trate=20\t]
            latency_downstream\ttype=latency\tstream=downstream\ttoxicity=1.00\tattributes=[\tjitter=0\tlatency=100\t]

            """)
        XCTAssertEqual(ToxiproxyCLIText.list(try client.proxies()), "redis\t\(listen)\t127.0.0.1:17000\tenabled\t2\n")

        XCTAssertEqual(ToxiproxyCLIText.toggled(try client.toggle("redis")), "Proxy redis is now disabled\n")
        XCTAssertEqual(ToxiproxyCLIText.toggled(try client.toggle("redis")), "Proxy redis is now enabled\n")
        try client.removeToxic(proxy: "redis", name: "bw")
        XCTAssertEqual(ToxiproxyCLIText.toxicRemoved("bw", proxy: "redis"), "Removed toxic 'bw' on proxy 'redis'\n")

        XCTAssertThrowsError(try client.addToxic(proxy: "redis", name: nil, type: "bogus")) {
            XCTAssertEqual(ToxiproxyCLIText.addToxicFailed($0, proxy: "redis"),
                           "Failed to add toxic: failed to add toxic to proxy redis: AddToxic: HTTP 400: invalid toxic type\n\n")
        }
        XCTAssertThrowsError(try client.proxy("nope")) {
            XCTAssertEqual(ToxiproxyCLIText.retrieveFailed($0, proxy: "nope"), "Failed to retrieve proxy nope: HTTP 404: proxy not found\n\n")
            XCTAssertEqual(($0 as? ToxiproxyClientError)?.exitCode, .notFound)
        }
        try client.deleteProxy("redis")
        XCTAssertEqual(ToxiproxyCLIText.deleted("redis"), "Deleted proxy redis\n")
        XCTAssertEqual(ToxiproxyCLIText.list(try client.proxies()), "")
        XCTAssertEqual(try client.version(), "2.12.0")
    }

    func testNamesNeedingEscapesAndTTLRoundTrip() throws {
        let server = try LiveToxiproxy()
        let client = try ToxiproxyClient(baseURL: server.api + "/")
        _ = try client.createProxy(name: "has space", listen: "127.0.0.1:0", upstream: "u:1", enabled: false)
        XCTAssertEqual(try client.proxy("has space").enabled, false)
        let added = try client.addToxic(proxy: "has space", name: nil, type: "latency", ttl: "60000")
        XCTAssertEqual(added.name, "latency_downstream")
        let toxic = try XCTUnwrap(try client.proxy("has space").toxics.first)
        XCTAssertEqual(toxic.name, "latency_downstream")
        XCTAssertTrue((59_000...60_000).contains(toxic.ttlRemainingMs ?? 0), "\(String(describing: toxic.ttlRemainingMs))")
        _ = try client.addToxic(proxy: "has space", name: "a/b", type: "noop", ttl: "30s")
        XCTAssertEqual(try client.proxy("has space").toxics.map(\.name).sorted(), ["a/b", "latency_downstream"],
                       "a \"/\" in a name is sent escaped and kept")
        try client.removeToxic(proxy: "has space", name: "a/b")
        XCTAssertEqual(try client.proxy("has space").toxics.map(\.name), ["latency_downstream"])
    }

    func testTokenIsSentAndRequired() throws {
        let server = try LiveToxiproxy(token: "s3cret")
        XCTAssertEqual(try server.client.proxies(), [])
        let anonymous = try ToxiproxyClient(baseURL: server.api)
        XCTAssertThrowsError(try anonymous.proxies()) {
            XCTAssertEqual(($0 as? ToxiproxyClientError)?.status, 401)
            XCTAssertEqual(($0 as? ToxiproxyClientError)?.exitCode, .unauthorized)
        }
    }

    func testUnreachableServerIsATransportError() throws {
        let server = try LiveToxiproxy()
        let api = server.api
        server.stop()
        let client = try ToxiproxyClient(baseURL: api, timeoutSeconds: 2)
        XCTAssertThrowsError(try client.proxies()) {
            let error = $0 as? ToxiproxyClientError
            XCTAssertNil(error?.status)
            XCTAssertEqual(error?.exitCode, .unreachable)
        }
    }

    func testBadBaseURL() {
        XCTAssertThrowsError(try ToxiproxyClient(baseURL: "https://x:1"))
        XCTAssertThrowsError(try ToxiproxyClient(baseURL: "http://host:notaport"))
    }
}
