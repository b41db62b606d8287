import ChaosTestSupport
import ChaosCore
import ChaosHTTP
@testable import ChaosTargets
import Foundation
import XCTest

/// Against a real dockerd: every action is checked by inspecting the engine afterwards.
final class DockerEngineIntegrationTests: XCTestCase {
    private static var engine: DockerTestEngine?
    private static var skipReason = ""
    private static var started = Date()

    override class func setUp() {
        started = Date()
        (engine, skipReason) = DockerTestEngine.acquire()
        if engine == nil { print("DockerEngineIntegrationTests: skipped: \(skipReason)") }
    }

    override class func tearDown() {
        engine?.release()
        engine = nil
        print("DockerEngineIntegrationTests: engine start + tests + stop took \(String(format: "%.1f", Date().timeIntervalSince(started)))s")
    }

    private var docker: DockerTestEngine!
    private var client: DockerClient!
    private var label = ""
    private var stateDir = ""
    private var lifecycle: FaultLifecycle!

    override func setUpWithError() throws {
        guard let e = Self.engine else { throw fixtureUnavailable("no Docker engine: \(Self.skipReason)") }
        docker = e
        client = DockerClient(host: e.host)
        label = "chaosctl.case=\(name.filter { $0.isLetter || $0.isNumber })-\(UInt32.random(in: 0...UInt32.max))"
        stateDir = NSTemporaryDirectory() + "chaosctl-state-\(UInt32.random(in: 0...UInt32.max))"
        lifecycle = FaultLifecycle(journal: FaultJournal(directory: stateDir))
    }

    override func tearDown() {
        docker?.removeContainers(label: label)
        try? FileManager.default.removeItem(atPath: stateDir)
    }

    private var labels: [String: String] {
        let parts = label.split(separator: "=", maxSplits: 1)
        return [String(parts[0]): String(parts[1]), "app": "web"]
    }

    private func make(_ n: Int, restart: String = "no") throws -> [String] {
        let tag = label.split(separator: "-").last!
        return try (1...n).map { try docker.startContainer(name: "t\(tag)-\($0)", labels: labels, restart: restart) }
    }

    private func summary(_ id: String) throws -> ContainerSummary {
        try XCTUnwrap(client.list(labels: [label], statuses: [], all: true).first { $0.id == id })
    }

    private func chaos() -> ContainerChaos { ContainerChaos(engine: client, lifecycle: lifecycle) }

    // MARK: -

    func testVersionNegotiationAgainstRealEngine() throws {
        let info = try client.engineInfo()
        XCTAssertEqual(info.apiVersion, DockerAPIVersion(1, 41))
        XCTAssertTrue(info.server.contains("Docker"), info.server)
        XCTAssertFalse(info.isPodman)
    }

    func testSelectionByLabelNameAndCount() throws {
        let ids = try make(3)
        let selector = ContainerSelector(labels: [label], pick: .count(2))
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        let first = try selector.select(in: client, using: &a)
        let second = try selector.select(in: client, using: &b)
        XCTAssertEqual(first.count, 2)
        XCTAssertEqual(first.map(\.id), second.map(\.id), "same seed, same pick")
        XCTAssertTrue(Set(first.map(\.id)).isSubset(of: Set(ids)))
        var r = SeededRandom(seed: 1)
        XCTAssertEqual(try ContainerSelector(labels: [label], pick: .percent(50)).select(in: client, using: &r).count, 2)
        XCTAssertEqual(try ContainerSelector(labels: [label], pick: .all).select(in: client, using: &r).count, 3)
        let byName = try ContainerSelector(labels: [label], name: NamePattern("*-2"), pick: .all).select(in: client, using: &r)
        XCTAssertEqual(byName.map(\.id), [ids[1]])
        // A label nobody has matches nothing: notFound, not a silent no-op.
        XCTAssertThrowsError(try ContainerSelector(labels: [label + "x"]).select(in: client, using: &r)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
        }
    }

    func testKillThenKillAgainIsNotRunning() throws {
        let id = try make(1)[0]
        let result = chaos().run(.kill(signal: "SIGKILL"), on: [try summary(id)], dryRun: false)
        XCTAssertTrue(result.outcomes[0].ok)
        let state = try client.inspect(id).state
        XCTAssertEqual(state.status, "exited")
        XCTAssertEqual(state.exitCode, 137)
        XCTAssertThrowsError(try client.kill(id, signal: "SIGKILL")) { error in
            let e = error as? ContainerEngineError
            XCTAssertEqual(e?.reason, .notRunning)
            XCTAssertEqual(e?.exitCode, .conflict)
            XCTAssertTrue("\(error)".contains("is not running"), "\(error)")
        }
        let events = lifecycle.journal.events()
        XCTAssertEqual(events.map(\.kind), ["container-kill"])
        XCTAssertTrue(events[0].target.contains(String(id.prefix(12))))
    }

    func testKillWithSIGTERMLetsTheTrapExitCleanly() throws {
        let id = try make(1)[0]
        try client.kill(id, signal: "SIGTERM")
        // Bounded wait for the exit to be recorded.
        let deadline = Date().addingTimeInterval(10)
        while try client.inspect(id).state.running && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let state = try client.inspect(id).state
        XCTAssertEqual(state.status, "exited")
        XCTAssertEqual(state.exitCode, 0)
    }

    func testStopStartAndTheirNoOpAnswers() throws {
        let id = try make(1)[0]
        let t0 = Date()
        XCTAssertTrue(try client.stop(id, timeout: 5))
        XCTAssertLessThan(Date().timeIntervalSince(t0), 4, "PID 1 traps SIGTERM, so stop must not wait for the timeout")
        XCTAssertEqual(try client.inspect(id).state.status, "exited")
        XCTAssertFalse(try client.stop(id, timeout: 5), "second stop answers 304")
        XCTAssertTrue(try client.start(id))
        XCTAssertTrue(try client.inspect(id).state.running)
        XCTAssertFalse(try client.start(id), "second start answers 304")
    }

    func testRestartStartsANewProcess() throws {
        let id = try make(1)[0]
        let before = try client.inspect(id).state
        let result = chaos().run(.restart(timeout: 2), on: [try summary(id)], dryRun: false, waitRecovered: 20)
        XCTAssertTrue(result.outcomes[0].ok)
        XCTAssertEqual(result.outcomes[0].recovery?.recovered, true)
        let after = try client.inspect(id).state
        XCTAssertTrue(after.running)
        XCTAssertNotEqual(after.startedAt, before.startedAt)
        XCTAssertNotEqual(after.pid, before.pid)
    }

    func testPauseIsHeldThenRevertedAtExpiry() throws {
        let id = try make(1)[0]
        let seenPaused = ResultBox<Bool>()
        let seenRecords = ResultBox<Int>()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.6) { [client, lifecycle] in
            seenPaused.set((try? client!.inspect(id).state.paused) ?? false)
            seenRecords.set(lifecycle!.journal.records().records.count)
        }
        let t0 = Date()
        let result = chaos().run(.pause(duration: 1.5), on: [try summary(id)], dryRun: false, waitRecovered: 5)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(t0), 1.4)
        XCTAssertNil(result.interrupted)
        XCTAssertTrue(result.outcomes[0].ok)
        XCTAssertEqual(seenPaused.get(), true, "paused while held")
        XCTAssertEqual(seenRecords.get(), 1, "journaled while held")
        let state = try client.inspect(id).state
        XCTAssertFalse(state.paused)
        XCTAssertTrue(state.running)
        XCTAssertEqual(lifecycle.journal.records().records.count, 0, "record dropped after revert")
        XCTAssertEqual(result.outcomes[0].recovery?.recovered, true)
    }

    func testPauseRevertedOnSIGINT() throws {
        let id = try make(1)[0]
        // SIGINT once the container is paused (so the revert path is the one tested), and a
        // trap of the test's own meanwhile: a signal that came before the hold's trap would
        // otherwise end the whole test process.
        let guardTrap = SignalTrap { _ in }
        defer { guardTrap.cancel() }
        let engineHost = client.host
        Thread.detachNewThread {
            let observer = DockerClient(host: engineHost)
            _ = pollUntil(timeout: 30, every: 0.05) { (try? observer.inspect(id).state.paused) == true }
            kill(getpid(), SIGINT)
        }
        let t0 = Date()
        let result = chaos().run(.pause(duration: 60), on: [try summary(id)], dryRun: false)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 50, "ended by the signal, not the 60 s hold")
        XCTAssertEqual(result.interrupted, SIGINT)
        XCTAssertFalse(try client.inspect(id).state.paused)
        XCTAssertEqual(lifecycle.journal.records().records.count, 0)
    }

    func testRecoverUnpausesAfterTheOwnerDied() throws {
        let id = try make(1)[0]
        lifecycle.register(ContainerPauseReverter())
        let fault = ContainerPauseFault(engine: client, container: try summary(id), duration: 60)
        var record = try lifecycle.apply(fault, held: true, expiresAt: Date().addingTimeInterval(60))
        XCTAssertTrue(try client.inspect(id).state.paused)
        // Pretend the owner was SIGKILLed: a PID that has exited.
        let (_, pidText) = DockerTestEngine.run(["/bin/sh", "-c", "echo $$"])
        record.owner = FaultRecord.Owner(pid: Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines))!, startTicks: 1)
        try lifecycle.journal.write(record)

        let fresh = FaultLifecycle(journal: FaultJournal(directory: stateDir), reverters: [ContainerPauseReverter()])
        let outcome = fresh.recover()
        XCTAssertEqual(outcome.reverted.map(\.id), [record.id])
        XCTAssertTrue(outcome.failed.isEmpty)
        XCTAssertFalse(try client.inspect(id).state.paused)
        // Idempotent: reverting again, and reverting a stopped container, succeed.
        XCTAssertNoThrow(try ContainerPauseReverter().revert(record))
        try client.kill(id, signal: "SIGKILL")
        XCTAssertNoThrow(try ContainerPauseReverter().revert(record))
    }

    func testPauseTwiceIsAlreadyPaused() throws {
        let id = try make(1)[0]
        try client.pause(id)
        XCTAssertThrowsError(try client.pause(id)) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .alreadyPaused)
        }
        try client.unpause(id)
        XCTAssertThrowsError(try client.unpause(id)) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .notPaused)
        }
    }

    func testCrashIsRestartedByPolicyButAPIKillIsNot() throws {
        let ids = try make(2, restart: "always")
        let before = try client.inspect(ids[0])
        let result = chaos().run(.crash, on: [try summary(ids[0])], dryRun: false, waitRecovered: 20)
        let outcome = result.outcomes[0]
        XCTAssertTrue(outcome.ok, "\(String(describing: outcome.error))")
        XCTAssertEqual(outcome.recovery?.recovered, true)
        XCTAssertLessThan(outcome.recovery?.seconds ?? 99, 10)
        let after = try client.inspect(ids[0])
        XCTAssertTrue(after.state.running)
        XCTAssertNotEqual(after.state.pid, before.state.pid)
        XCTAssertEqual(after.restartCount, before.restartCount + 1)
        XCTAssertEqual(lifecycle.journal.events().map(\.kind), ["container-crash"])
        print("crash recovery (restart=always): \(String(format: "%.3f", outcome.recovery?.seconds ?? -1))s")

        // The same engine does not restart a container killed through the API.
        try client.kill(ids[1], signal: "SIGKILL")
        Thread.sleep(forTimeInterval: 1.5)
        let killed = try client.inspect(ids[1])
        XCTAssertEqual(killed.state.status, "exited")
        XCTAssertEqual(killed.restartCount, 0)
    }

    func testDryRunChangesNothing() throws {
        let ids = try make(2, restart: "always")
        let before = try ids.map { try client.inspect($0).state }
        let targets = try ids.map(summary)
        for action: ContainerAction in [.kill(signal: "SIGKILL"), .crash, .stop(timeout: 1), .restart(timeout: 1), .pause(duration: 5)] {
            let result = chaos().run(action, on: targets, dryRun: true)
            XCTAssertEqual(result.outcomes.count, 2)
            XCTAssertTrue(result.outcomes.allSatisfy { $0.dryRun && $0.ok })
        }
        let crashPlan = chaos().run(.crash, on: [targets[0]], dryRun: true).outcomes[0].detail
        XCTAssertTrue(crashPlan.contains("pid \(before[0].pid)"), crashPlan)
        let after = try ids.map { try client.inspect($0).state }
        XCTAssertEqual(after, before)
        XCTAssertTrue(lifecycle.journal.events().isEmpty)
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    func testRepeatedCrashRounds() throws {
        let id = try make(1, restart: "always")[0]
        let c = chaos()
        var recoveries: [Recovery] = []
        let rounds = RepeatedChaos(interval: 1, duration: 2.5).run(stop: StopFlag()) { _ in
            let r = c.run(.crash, on: [(try? self.summary(id))!], dryRun: false, waitRecovered: 15)
            recoveries += r.outcomes.compactMap(\.recovery)
            return r.outcomes.allSatisfy(\.ok)
        }
        XCTAssertEqual(rounds, 3)
        XCTAssertEqual(recoveries.filter(\.recovered).count, 3)
        XCTAssertEqual(try client.inspect(id).restartCount, 3)
    }

    func testEventsStreamFollowsARestart() throws {
        let id = try make(1)[0]
        let token = CancellationToken()
        let seen = ResultBox<[String]>()
        let gotStart = expectation(description: "start event")
        let client = self.client!
        Thread.detachNewThread {
            var actions: [String] = []
            _ = try? client.events(filters: ["container": [id], "event": ["die", "start"]], timeout: 30, token: token) { event in
                actions.append(event.action)
                seen.set(actions)
                if actions.contains("start") { gotStart.fulfill(); return false }
                return true
            }
        }
        // Let the stream connect before anything happens (it only reports new events).
        Thread.sleep(forTimeInterval: 0.5)
        try client.restart(id, timeout: 1)
        wait(for: [gotStart], timeout: 20)
        token.cancel()
        XCTAssertEqual(seen.get(), ["die", "start"])
    }

    func testMissingContainerIsNotFound() throws {
        for call in [{ _ = try self.client.inspect("doesnotexist") }, { try self.client.kill("doesnotexist", signal: "SIGKILL") },
                     { try self.client.pause("doesnotexist") }] {
            XCTAssertThrowsError(try call()) { error in
                XCTAssertEqual((error as? ContainerEngineError)?.reason, .notFound)
                XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
            }
        }
        XCTAssertThrowsError(try client.kill(try make(1)[0], signal: "SIGBOGUS")) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .invalidSignal)
        }
    }
}

// @unchecked Sendable: the value is guarded by `lock`.
final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T? { lock.lock(); defer { lock.unlock() }; return value }
}
