import ChaosConfig
import ChaosCore
import ChaosProxyClient
import XCTest

/// The `toxic:` and `proxy:` step parsers: what a file asks for becomes the same fault the
/// CLI builds, and a bad step is refused with the field and value named.
final class ToxiproxyStepsTests: XCTestCase {
    private func node(_ yaml: String) throws -> ConfigNode {
        try XCTUnwrap(ConfigNode.parse(yaml, file: "exp.yaml")["toxic"] ?? ConfigNode.parse(yaml, file: "exp.yaml")["proxy"])
    }

    func testToxicStepBuildsTheFaultWithADerivedSeed() throws {
        let step = try node("""
            toxic: {api: "127.0.0.1:9999", proxy: pg, type: latency, stream: upstream, toxicity: 0.5,
                    attributes: {latency: 100, jitter: 10}}
            """)
        let fault = try XCTUnwrap(ToxiproxySteps.toxic(step, runSeed: 42))
        XCTAssertEqual(step.diagnostics.problems, [])
        XCTAssertEqual(fault.endpoint.api, "http://127.0.0.1:9999")
        XCTAssertEqual(fault.name, "latency_upstream")
        let seed = Int64(SeedDerivation.seed(42, for: "toxic") & UInt64(9_007_199_254_740_991))
        XCTAssertEqual(fault.options, ToxicOptions(proxy: "pg", type: "latency", stream: "upstream", toxicity: 0.5,
                                                   attributes: ["latency": 100, "jitter": 10, "seed": seed]))
        XCTAssertNil(try ToxiproxySteps.toxic(node("toxic: {proxy: pg, type: noop}"), runSeed: nil)?.options.attributes["seed"],
                     "no run seed, no derived seed")
        XCTAssertEqual(try ToxiproxySteps.toxic(node("toxic: {proxy: pg, type: noop, attributes: {seed: 5}}"), runSeed: 42)?
                        .options.attributes["seed"], 5, "the step's own seed wins")
    }

    func testToxicStepProblemsNameTheField() throws {
        let step = try node("""
            toxic: {proxy: pg, type: latency, attributes: {latecy: 100, jitter: -1}}
            """)
        XCTAssertNil(ToxiproxySteps.toxic(step, runSeed: nil))
        XCTAssertEqual(step.diagnostics.problems.map(\.field), ["toxic.attributes.jitter", "toxic.attributes.latecy"])
        XCTAssertEqual(step.diagnostics.problems.map(\.value), ["-1", "100"])
        XCTAssertTrue(step.diagnostics.problems[1].message.contains("unknown attribute 'latecy' for a latency toxic (known: latency, jitter, seed)"),
                      step.diagnostics.problems[1].message)

        let badType = try node("toxic: {proxy: pg, type: latancy}")
        XCTAssertNil(ToxiproxySteps.toxic(badType, runSeed: nil))
        XCTAssertEqual(badType.diagnostics.problems.map(\.field), ["toxic.type"])
        XCTAssertEqual(badType.diagnostics.problems.map(\.value), ["latancy"])

        let missing = try node("toxic: {type: latency, stream: sideways}")
        XCTAssertNil(ToxiproxySteps.toxic(missing, runSeed: nil))
        XCTAssertEqual(Set(missing.diagnostics.problems.map(\.field)), ["toxic", "toxic.stream"])
    }

    func testProxyStepIsOnlyATakeDown() throws {
        let down = try node("proxy: {name: pg, enabled: false}")
        let fault = try XCTUnwrap(ToxiproxySteps.proxyDown(down))
        XCTAssertEqual(fault.name, "pg")
        XCTAssertEqual(fault.endpoint.api, ToxiproxySteps.defaultAPI)

        let up = try node("proxy: {name: pg, enabled: true}")
        XCTAssertNil(ToxiproxySteps.proxyDown(up))
        XCTAssertEqual(up.diagnostics.problems.map(\.field), ["proxy.enabled"])
        let unnamed = try node("proxy: {enabled: false}")
        XCTAssertNil(ToxiproxySteps.proxyDown(unnamed))
        XCTAssertEqual(unnamed.diagnostics.problems.map(\.field), ["proxy"])
    }
}
