import ChaosTestSupport
import Foundation
import XCTest

/// Drives chaosctl's server with a third-party Toxiproxy client, the `toxiproxy-python`
/// package from PyPI (scripts/install-deps.sh installs it); skipped when it is missing,
/// except under CI, where that fails.
final class ThirdPartyClientTests: XCTestCase {
    private let script = """
        import sys
        from toxiproxy import Toxiproxy
        from toxiproxy.exceptions import ProxyExists, NotFound, InvalidToxic
        server = Toxiproxy()
        server.update_api_consumer("127.0.0.1", int(sys.argv[1]))
        listen = sys.argv[2]
        assert server.running()
        print("version", server.version().decode().strip())
        proxy = server.create(upstream="127.0.0.1:17000", name="redis", listen=listen)
        print("created", proxy.name, proxy.listen, proxy.enabled)
        try:
            server.create(upstream="127.0.0.1:17000", name="redis", listen=listen)
        except ProxyExists:
            print("exists ok")
        proxy.add_toxic(type="latency", attributes={"latency": 100, "jitter": 5})
        proxy.add_toxic(type="bandwidth", stream="upstream", name="bw", toxicity=0.5, attributes={"rate": 10})
        for name, toxic in sorted(proxy.toxics().items()):
            print("toxic", name, toxic.type, toxic.stream, toxic.toxicity, sorted(toxic.attributes.items()))
        try:
            proxy.add_toxic(type="bogus")
        except InvalidToxic as error:
            print("invalid", error)
        proxy.disable()
        print("disabled", server.get_proxy("redis").enabled)
        proxy.enable()
        print("enabled", server.get_proxy("redis").enabled)
        proxy.destroy_toxic("bw")
        print("after destroy", sorted(proxy.toxics().keys()))
        server.reset()
        print("after reset", sorted(proxy.toxics().keys()))
        server.destroy_all()
        print("proxies", server.proxies())
        try:
            server.get_proxy("nope").destroy()
        except AttributeError:
            print("missing ok")
        """

    func testToxiproxyPythonClient() throws {
        try requirePythonModule("toxiproxy")

        let harness = try APIHarness()
        let (status, text) = runProcess(["/usr/bin/env", "python3", "-c", script, String(harness.port), harness.listen(26379)])
        XCTAssertEqual(status, 0, text)
        XCTAssertEqual(text, """
            version {"version": "2.12.0"}
            created redis \(harness.listen(26379)) True
            exists ok
            toxic bw bandwidth upstream 0.5 [('rate', 10)]
            toxic latency_downstream latency downstream 1 [('jitter', 5), ('latency', 100)]
            invalid b'{"error":"invalid toxic type","status":400}\\n'
            disabled False
            enabled True
            after destroy ['latency_downstream']
            after reset []
            proxies {}
            missing ok

            """)
    }
}
