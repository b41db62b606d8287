import ChaosExperiment
import ChaosProbe
import ChaosProxy
import ChaosProxyAPI
import ChaosProxyClient
import ChaosTestSupport
import Foundation
import XCTest

/// The prometheus probe against a real Prometheus (Debian's package) scraping a real target
/// on loopback: chaosctl's own proxy, whose /metrics uses Toxiproxy's metric names.
final class PrometheusProbeTests: XCTestCase {
    func testInstantQueryAgainstARealPrometheus() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus") else {
            throw fixtureUnavailable("prometheus is not installed (scripts/install-deps.sh installs it)")
        }
        let dir = NSTemporaryDirectory() + "chaos-prom-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // A target with traffic: a proxy in front of a one-shot echo server.
        let upstream = try EchoOnce()
        let engine = EpollProxyEngine(loops: 1)
        defer { engine.shutdown() }
        let api = ToxiproxyServer(dataPlane: engine, port: 0, config: [ProxyDefinition(name: "db", upstream: "127.0.0.1:\(upstream.port)")])
        try api.start()
        defer { api.stop() }
        let listen = try ToxiproxyClient(baseURL: "http://127.0.0.1:\(api.port)").proxy("db").listen
        try upstream.roundTrip(via: listen, payload: "hello through the proxy")

        let promPort = try FreePort.find()
        try """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: chaosctl
            static_configs: [{targets: ['127.0.0.1:\(api.port)']}]
        """.write(toFile: dir + "/prometheus.yml", atomically: true, encoding: .utf8)
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        prometheus.arguments = ["--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/data",
                                "--web.listen-address=127.0.0.1:\(promPort)", "--log.level=warn"]
        prometheus.standardOutput = FileHandle.nullDevice
        prometheus.standardError = FileHandle.nullDevice
        try prometheus.run()
        defer { prometheus.terminate(); prometheus.waitUntilExit() }

        let base = "http://127.0.0.1:\(promPort)"
        let transport = CurlProbeTransport()
        let seen = PrometheusProbe(baseURL: base, query: #"sum(toxiproxy_proxy_received_bytes_total{proxy="db"})"#,
                                   condition: try NumericCondition("> 0"), transport: transport)
        // Wait (bounded) for Prometheus to start and scrape the proxy at least once.
        let deadline = Date().addingTimeInterval(60)
        var last = seen.check()
        while !last.ok && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
            last = seen.check()
        }
        XCTAssertTrue(last.ok, "never saw the proxy's bytes in Prometheus: \(last.reason ?? "")")

        let tooMuch = PrometheusProbe(baseURL: base, query: #"sum(toxiproxy_proxy_received_bytes_total{proxy="db"})"#,
                                      condition: try NumericCondition("> 1000000000"), transport: transport)
        let refused = tooMuch.check()
        XCTAssertFalse(refused.ok)
        XCTAssertNotNil(refused.reason)

        let missing = PrometheusProbe(baseURL: base, query: #"toxiproxy_proxy_received_bytes_total{proxy="nope"}"#,
                                      condition: try NumericCondition("> 0"), transport: transport)
        XCTAssertFalse(missing.check().ok, "an empty vector must not count as healthy")

        let broken = PrometheusProbe(baseURL: base, query: "sum(", condition: try NumericCondition("> 0"), transport: transport)
        let error = broken.check()
        XCTAssertFalse(error.ok)
        XCTAssertTrue(error.reason?.contains("parse") ?? false, error.reason ?? "")
    }
}

/// A loopback TCP server that echoes one message per connection.
final class EchoOnce {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { close(fd); throw NSError(domain: "EchoOnce", code: Int(errno)) }
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }

    func roundTrip(via listen: String, payload: String) throws {
        let serverFD = fd
        let echo = Thread {
            let c = accept(serverFD, nil, nil)
            guard c >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 1024)
            let n = recv(c, &buffer, buffer.count, 0)
            if n > 0 { _ = send(c, buffer, n, 0) }
            close(c)
        }
        echo.start()
        let parts = listen.split(separator: ":")
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(parts.last!)!.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        let bytes = Array(payload.utf8)
        XCTAssertEqual(send(client, bytes, bytes.count, 0), bytes.count)
        var reply = [UInt8](repeating: 0, count: 1024)
        XCTAssertEqual(recv(client, &reply, reply.count, 0), bytes.count)
    }
}

enum FreePort {
    /// A port the kernel just handed out on 127.0.0.1 (closed again for the caller to use).
    static func find() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
