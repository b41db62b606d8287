import ChaosConfig
import ChaosCore
import ChaosExperiment
import ChaosProxyClient
import XCTest

/// The standard registry knows `toxic:` and `proxy:` (registered from ChaosProxyClient): a
/// file with them parses into held faults, and a bad one names file, line and field.
final class ProxyStepTests: XCTestCase {
    private let steady = """
        title: proxy steps
        steady_state:
          probes:
            - tcp: {address: "127.0.0.1:1"}
        """

    func testToxicAndProxyStepsBecomeHeldFaults() throws {
        let experiment = try ExperimentParser.parse(text: steady + """

            method:
              - toxic: {api: "127.0.0.1:18474", proxy: db, type: latency, attributes: {latency: 100}}
                duration: 2s
              - proxy: {api: "127.0.0.1:18474", name: db, enabled: false}
                duration: 1s
            """, file: "/tmp/exp.yaml", context: ExperimentContext(seed: 9), environment: [:])
        XCTAssertEqual(experiment.method.count, 2)
        guard case .fault(let toxic as ToxicFault, let toxicDuration) = experiment.method[0].action,
              case .fault(let down as ProxyDownFault, let downDuration) = experiment.method[1].action else {
            return XCTFail("\(experiment.method.map(\.summary))")
        }
        XCTAssertEqual(toxicDuration, 2)
        XCTAssertEqual(toxic.endpoint.api, "http://127.0.0.1:18474")
        XCTAssertEqual(toxic.options.attributes["latency"], 100)
        XCTAssertNotNil(toxic.options.attributes["seed"], "the run's seed gives the toxic its own")
        XCTAssertEqual(downDuration, 1)
        XCTAssertEqual(down.name, "db")
    }

    func testBadToxicStepIsRefusedWithItsLine() {
        XCTAssertThrowsError(try ExperimentParser.parse(text: steady + """

            method:
              - toxic: {proxy: db, type: latency, attributes: {latecy: 100}}
            """, file: "/tmp/exp.yaml", context: ExperimentContext(), environment: [:])) { error in
            let problems = (error as? ConfigErrors)?.problems ?? []
            XCTAssertEqual(problems.map(\.line), [6], "\(error)")
            XCTAssertEqual(problems.map(\.field), ["method.[0].toxic.attributes.latecy"], "\(error)")
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
        }
    }
}
