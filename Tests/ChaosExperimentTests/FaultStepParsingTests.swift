import ChaosConfig
import ChaosCore
import ChaosExperiment
import ChaosNet
import ChaosTargets
import Foundation
import XCTest

/// netem, tbf, pod and container steps read through the fault modules' options models:
/// a step and the CLI's option values build the same model, a bad value is reported where
/// it is written, and the run's seed reaches every step.
final class FaultStepParsingTests: XCTestCase {
    private let file = "/nonexistent/steps.yaml"

    private func parse(_ steps: [String], seed: UInt64? = nil) throws -> [PlannedStep] {
        var yaml = """
        title: steps
        steady_state:
          probes:
            - name: fine
              command: "true"
        method:

        """
        for step in steps { yaml += "  - \(step)\n" }
        let context = ExperimentContext(controlPath: "/nonexistent/control.json", seed: seed)
        return try ExperimentParser.parse(text: yaml, file: file, context: context, environment: [:]).method
    }

    private func problems(_ steps: [String]) -> [ConfigProblem] {
        do {
            _ = try parse(steps)
            XCTFail("expected problems")
            return []
        } catch let e as ConfigErrors {
            return e.problems
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    private func netem(_ step: PlannedStep) throws -> NetemFault {
        guard case .fault(let fault, _) = step.action, let netem = fault as? NetemFault else {
            throw XCTSkip("not a netem fault: \(step.summary)")
        }
        return netem
    }

    // MARK: one model for the CLI and the file

    /// The values the CLI collects (`chaosctl netem apply --dev lo --delay 100ms …`, names
    /// without dashes, every value as text) and the step's YAML (numbers, underscores,
    /// quoted and plain scalars) give the same model and the same fault.
    func testNetemStepAndCLIValuesBuildTheSameModel() throws {
        var cli = OptionValues()
        for (name, text) in [("dev", "lo"), ("netns", "red"), ("delay", "100ms"), ("jitter", "10ms"), ("correlation", "25%"),
                             ("loss", "random 5% 25%"), ("duplicate", "1%"), ("rate", "1mbit"), ("packet-overhead", "-4"),
                             ("limit", "500"), ("seed", "7")] {
            cli.set(name, text)
        }
        cli.set("ecn", flag: true)
        cli.set("force", flag: true)
        let fromCLI = try NetemFaultOptions(cli)

        let steps = try parse(["""
        netem: {dev: lo, netns: red, delay: 100ms, jitter: 10ms, correlation: 25%, loss: "random 5% 25%", duplicate: 1%,
                    rate: 1mbit, packet_overhead: -4, limit: 500, seed: 7, ecn: true, force: true}
            duration: 5s
        """])
        let fault = try netem(steps[0])
        XCTAssertEqual(fault.spec, fromCLI.spec)
        XCTAssertEqual(fault.placement.target, .named("red"))
        XCTAssertEqual(fault.placement.device, "lo")
        XCTAssertTrue(fault.placement.force)
        XCTAssertEqual(fault.summary, try fromCLI.fault().summary)
        XCTAssertEqual(fault.spec.seed, 7, "a step's own seed is kept")
    }

    func testTbfPodAndContainerStepsBuildTheCLIModels() throws {
        var tbf = OptionValues()
        for (name, text) in [("dev", "lo"), ("rate", "1mbit"), ("burst", "32kbit"), ("latency", "50ms")] { tbf.set(name, text) }
        let tbfSteps = try parse(["tbf: {dev: lo, rate: 1mbit, burst: 32kbit, latency: 50ms}\n    duration: 1s"])
        guard case .fault(let fault as TbfFault, let duration) = tbfSteps[0].action else { return XCTFail(tbfSteps[0].summary) }
        XCTAssertEqual(fault.spec, try TbfFaultOptions(tbf).spec)
        XCTAssertEqual(duration, 1)

        // The pod and container models themselves, as the CLI builds them and as a step does.
        var pod = OptionValues()
        for (name, text) in [("namespace", "shop"), ("selector", "app=api"), ("count", "2"), ("grace-period", "0"),
                             ("max-percent", "60"), ("interval", "10s"), ("duration", "1m"), ("wait-recovered", "2m"), ("seed", "5")] {
            pod.set(name, text)
        }
        pod.set("dry-run", flag: true)
        pod.set("allow-namespace", ["shop"])
        let node = try ConfigNode.parse("""
        {namespace: shop, selector: app=api, count: 2, grace_period: 0s, max-percent: 60%, interval: 10s, duration: 1m,
         wait-recovered: 2m, seed: 5, dry-run: true, allow-namespace: [shop]}
        """, file: file)
        let values = try XCTUnwrap(node.optionValues(allowed: PodFaultOptions.optionNames))
        XCTAssertEqual(try PodFaultOptions(action: .kill, values), try PodFaultOptions(action: .kill, pod))

        var container = OptionValues()
        for (name, text) in [("docker-host", "unix:///run/x.sock"), ("name", "web-*"), ("percent", "50"), ("for", "10s"), ("seed", "3")] {
            container.set(name, text)
        }
        container.set("label", ["app=web", "tier=front"])
        let containerNode = try ConfigNode.parse("""
        {docker_host: "unix:///run/x.sock", label: [app=web, tier=front], name: "web-*", percent: 50%, for: 10s, seed: 3}
        """, file: file)
        let containerValues = try XCTUnwrap(containerNode.optionValues(allowed: ContainerFaultOptions.optionNames(action: "pause")))
        let model = try ContainerFaultOptions(action: "pause", containerValues)
        XCTAssertEqual(model, try ContainerFaultOptions(action: "pause", container))
        XCTAssertEqual(model.action, .pause(duration: 10))
        XCTAssertEqual(model.pick, .percent(50))
    }

    // MARK: located errors

    func testABadStepValueIsReportedWithFileLineFieldAndValue() {
        let found = problems([
            "netem: {dev: lo, delay: 10xs}\n    duration: 1s",
            "tbf: {dev: lo, burst: 32kbit, latency: 50ms}\n    duration: 1s",
            "pod: {action: kill, selector: app=api, count: 0, grace-period: soon}",
            "container: {action: stop, label: app=web, timeout: soon}",
            "container: {action: pause, label: app=web}\n    duration: 0s",
            "netem: {dev: lo, dely: 10ms}\n    duration: 1s",
        ])
        func problem(_ field: String) -> ConfigProblem? { found.first { $0.field == field } }

        let delay = problem("method.[0].netem.delay")
        XCTAssertEqual(delay?.file, file)
        XCTAssertEqual(delay?.line, 7, "\(found)")
        XCTAssertEqual(delay?.value, "10xs")
        XCTAssertTrue(delay?.message.contains("is not a time") ?? false, "\(found)")
        XCTAssertFalse(delay?.message.contains("--delay: '10xs'") ?? true, "the field and value are said once: \(found)")

        XCTAssertTrue(problem("method.[1].tbf")?.message.contains("rate: is required") ?? false, "\(found)")
        XCTAssertEqual(problem("method.[1].tbf")?.line, 9)

        let count = problem("method.[2].pod.count")
        XCTAssertEqual(count?.value, "0", "\(found)")
        XCTAssertEqual(count?.line, 11)
        XCTAssertEqual(problem("method.[2].pod.grace-period")?.value, "soon", "every bad option of a step is reported: \(found)")

        XCTAssertEqual(problem("method.[3].container.timeout")?.value, "soon", "\(found)")
        XCTAssertTrue(problem("method.[4].container")?.message.contains("'duration' must be longer than 0") ?? false, "\(found)")
        XCTAssertTrue(problem("method.[5].netem.dely")?.message.contains("did you mean 'delay'") ?? false, "\(found)")
    }

    /// `disconnect` and `limit` are held container faults: the step's duration is the
    /// hold, and their values are checked by ContainerFaultOptions as the CLI's are.
    func testContainerDisconnectAndLimitSteps() throws {
        let steps = try parse(["container: {action: disconnect, name: redis, network: backend}\n    duration: 20s",
                               "container: {action: limit, label: app=web, cpus: 0.5, memory: 64MiB}\n    duration: 30s"])
        XCTAssertEqual(steps.count, 2)
        let found = problems([
            "container: {action: disconnect, name: redis}\n    duration: 5s",
            "container: {action: limit, name: web, memory: 1MiB}\n    duration: 5s",
            "container: {action: limit, name: web, cpus: 0.5}",
            "container: {action: limit, name: web}\n    duration: 5s",
            "container: {action: disconnect, name: redis, network: backend, cpus: 1}\n    duration: 5s",
        ])
        func problem(_ field: String) -> ConfigProblem? { found.first { $0.field == field } }
        XCTAssertTrue(problem("method.[0].container")?.message.contains("--network: is required") ?? false, "\(found)")
        XCTAssertEqual(problem("method.[1].container.memory")?.value, "1MiB", "\(found)")
        XCTAssertTrue(problem("method.[2].container")?.message.contains("a limit step needs a duration") ?? false, "\(found)")
        XCTAssertTrue(problem("method.[3].container")?.message.contains("--cpus, --cpu-shares or --memory") ?? false, "\(found)")
        XCTAssertTrue(problem("method.[4].container.cpus")?.message.contains("unknown field") ?? false, "limit's options are not disconnect's: \(found)")
    }

    // MARK: the run's seed

    func testTheRunSeedReachesNetemPodAndContainerSteps() throws {
        let steps = [
            "netem: {dev: lo, delay: 10ms}\n    duration: 1s",
            "netem: {dev: lo, delay: 10ms, seed: 99}\n    duration: 1s",
            "pod: {action: kill, selector: app=api}",
            "container: {action: kill, label: app=web}",
        ]
        let first = try parse(steps, seed: 9)
        XCTAssertEqual(try netem(first[0]).spec.seed, SeedDerivation.seed(9, for: "method.[0].netem"))
        XCTAssertTrue(try netem(first[0]).seedIsDerived)
        XCTAssertEqual(try netem(first[1]).spec.seed, 99, "a step's own seed wins")
        XCTAssertFalse(try netem(first[1]).seedIsDerived)
        XCTAssertNotEqual(try netem(try parse(steps, seed: 10)[0]).spec.seed, try netem(first[0]).spec.seed)
        XCTAssertNil(try netem(try parse(steps)[0]).spec.seed, "no run seed, no netem seed")
        // Pod and container steps are checked end to end (RunSeedPodTests, ContainerExperimentTests);
        // here only that they parse with the seed in place.
        guard case .oneShot = first[2].action, case .oneShot = first[3].action else { return XCTFail("one-shot steps") }
    }
}
