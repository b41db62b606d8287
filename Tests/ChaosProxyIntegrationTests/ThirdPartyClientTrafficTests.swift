import ChaosTestSupport
import Foundation
import XCTest

/// The `toxiproxy-python` client (PyPI) driving chaosctl's server over the real data plane:
/// its proxy carries traffic and its latency toxic delays it.
final class ThirdPartyClientTrafficTests: IntegrationTestCase {
    private let script = """
        import socket, sys, time
        from toxiproxy import Toxiproxy
        server = Toxiproxy()
        server.update_api_consumer("127.0.0.1", int(sys.argv[1]))
        proxy = server.create(upstream=sys.argv[2], name="py", listen=sys.argv[3])
        host, port = sys.argv[3].split(":")
        def rtt(sock):
            start = time.monotonic()
            sock.sendall(b"ping")
            got = b""
            while len(got) < 4:
                chunk = sock.recv(4 - len(got))
                assert chunk, "closed"
                got += chunk
            assert got == b"ping"
            return time.monotonic() - start
        sock = socket.create_connection((host, int(port)), timeout=10)
        print("plain", rtt(sock) < 0.2)
        proxy.add_toxic(type="latency", attributes={"latency": 300})
        print("toxic", rtt(sock) >= 0.295)
        proxy.destroy_toxic("latency_downstream")
        print("removed", rtt(sock) < 0.2)
        proxy.disable()
        print("closed", sock.recv(16) == b"")
        proxy.destroy()
        print("proxies", len(server.proxies()))
        """

    func testToxiproxyPythonClientDrivesRealTraffic() throws {
        try requirePythonModule("toxiproxy")

        let run = Process()
        run.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        run.arguments = ["python3", "-c", script, String(stack.server.port), stack.upstream.address,
                         "127.0.0.1:\(try Sockets.freePort())"]
        let out = Pipe()
        run.standardOutput = out
        try run.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        XCTAssertEqual(run.terminationStatus, 0, text)
        XCTAssertEqual(text, "plain True\ntoxic True\nremoved True\nclosed True\nproxies 0\n")
    }
}
