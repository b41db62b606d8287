import ChaosSystem
import Foundation

/// Runs probes at a fixed rate and keeps every sample, tagged with the phase it ran in.
///
/// **Schedule.** Tick k fires at `start + k × interval` on the monotonic clock; the scheduler
/// sleeps to that absolute instant, so sleep overshoot never accumulates into drift. If the
/// scheduler wakes more than one interval late (machine suspended, CPU starved), the ticks it
/// missed are not run (no burst) and not recorded as samples: that gap says nothing about the
/// system under test. They are counted in ``ScheduleStatistics/missedTicks``, which the run
/// record and reports carry, so a starved loop is visible.
///
/// **Slow probes.** The scheduler never runs a probe itself: it hands each tick to a small
/// worker pool. Each probe may have at most `maxInFlightPerProbe` runs at once (default 2); a
/// tick that finds its probe at that limit is recorded as a failure "skipped: probe still
/// running" with no latency. The reasoning: a probe still busy a whole interval (or two)
/// later is not answering in time, which is what a failure means here; queueing the tick would
/// instead run it late and shift every later sample off the schedule.
///
/// **Phases and marks.** ``setPhase(_:)`` tags the checks that start after it (a skipped
/// tick carries the phase in force at the tick); ``markFaultStart(_:)``,
/// ``markFaultEnd(_:)`` and ``markOneShot(_:)`` record instants that recovery and
/// time-to-detect are measured from (see ``RecoveryAnalyzer``).
// @unchecked Sendable: all mutable state is guarded by `lock` (an NSCondition); probes are Sendable.
public final class ProbeLoop: @unchecked Sendable {
    public let probes: [Probe]
    public let intervalNanoseconds: UInt64
    public let maxInFlightPerProbe: Int
    /// Ask for SCHED_FIFO on the scheduler thread only (see ``init(probes:interval:maxInFlightPerProbe:phase:realtimeScheduler:)``).
    public let realtimeScheduler: Bool

    private let lock = NSCondition()
    private var startNanoseconds: UInt64 = 0
    private var startedAt = Date()
    private var phase: String
    private var samples: [ProbeSample] = []
    private var events: [LoopEvent] = []
    private var schedule = ScheduleStatistics()
    private var inFlight: [Int]
    private var jobs: [Job] = []
    private var state = State.idle
    private var workersLeft = 0
    private var schedulerRunning = false

    private enum State { case idle, running, stopping, stopped }

    private struct Job {
        var probe: Int
        var tick: Int
        var planned: UInt64
    }

    /// - Parameters:
    ///   - interval: seconds between ticks (each tick runs every probe once).
    ///   - maxInFlightPerProbe: concurrent runs allowed per probe before ticks are skipped.
    ///   - phase: phase of the first ticks.
    ///   - realtimeScheduler: run the scheduler thread (which only sleeps and dispatches, never a
    ///     check) under SCHED_FIFO, so ticks fire on time on a CPU-starved machine. Needs
    ///     CAP_SYS_NICE; without it the loop runs as usual and
    ///     ``ScheduleStatistics/realtime`` says false. Workers and spawned commands keep the
    ///     normal policy.
    public init(probes: [Probe], interval: Double, maxInFlightPerProbe: Int = 2, phase: String = "pre",
                realtimeScheduler: Bool = false) {
        precondition(!probes.isEmpty, "a probe loop needs at least one probe")
        precondition(interval > 0, "interval must be positive")
        self.probes = probes
        self.intervalNanoseconds = UInt64(interval * 1e9)
        self.maxInFlightPerProbe = max(1, maxInFlightPerProbe)
        self.realtimeScheduler = realtimeScheduler
        self.phase = phase
        self.inFlight = Array(repeating: 0, count: probes.count)
    }

    /// Start ticking now (tick 0 fires immediately). Call once.
    public func start() {
        lock.lock()
        precondition(state == .idle, "a probe loop starts once")
        startNanoseconds = MonotonicClock.now()
        startedAt = MonotonicClock.wallNow()
        state = .running
        schedulerRunning = true
        events.append(LoopEvent(kind: .phase, label: phase, atNanoseconds: 0, wallClock: startedAt))
        // One worker per allowed concurrent run, so a permitted run never waits for a thread.
        workersLeft = probes.count * maxInFlightPerProbe
        lock.unlock()
        for index in 0..<workersLeft {
            let worker = Thread { [self] in workerLoop() }
            worker.name = "probe-worker-\(index)"
            worker.start()
        }
        let scheduler = Thread { [self] in
            schedulerLoop()
            lock.lock()
            schedulerRunning = false
            lock.broadcast()
            lock.unlock()
        }
        scheduler.name = "probe-scheduler"
        scheduler.start()
    }

    /// Stop ticking, wait for runs in flight to finish (each is bounded by its probe's
    /// timeout), and return the record. Safe to call more than once.
    @discardableResult
    public func stop() -> ProbeRun {
        lock.lock()
        if state == .running {
            state = .stopping
            lock.broadcast()
            while schedulerRunning || workersLeft > 0 { lock.wait() }
            state = .stopped
        }
        lock.unlock()
        return record()
    }

    /// Start, run for `seconds`, stop.
    public func run(for seconds: Double) -> ProbeRun {
        start()
        MonotonicClock.sleep(until: startNanoseconds + UInt64(seconds * 1e9))
        return stop()
    }

    /// Tag checks that start from now on with this phase ("pre", "during", "post", or any name).
    public func setPhase(_ name: String) {
        mark(.phase, name) { $0.phase = name }
    }

    /// A fault began being applied.
    public func markFaultStart(_ label: String = "fault") { mark(.faultStart, label) }

    /// A fault stopped being applied: recovery is measured from this instant.
    public func markFaultEnd(_ label: String = "fault") { mark(.faultEnd, label) }

    /// An instantaneous fault (kill, restart): detection and recovery are measured from here.
    public func markOneShot(_ label: String) { mark(.oneShot, label) }

    /// The phase new checks are tagged with.
    public var currentPhase: String {
        lock.lock(); defer { lock.unlock() }
        return phase
    }

    /// Nanoseconds since start (0 before start).
    public var elapsedNanoseconds: UInt64 {
        lock.lock(); defer { lock.unlock() }
        return state == .idle ? 0 : MonotonicClock.now() - startNanoseconds
    }

    /// Schedule accuracy so far.
    public var scheduleStatistics: ScheduleStatistics {
        lock.lock(); defer { lock.unlock() }
        return schedule
    }

    /// A copy of everything recorded so far (the loop may still be running).
    public func record() -> ProbeRun {
        lock.lock()
        let now = state == .idle ? startNanoseconds : MonotonicClock.now()
        var run = ProbeRun(intervalNanoseconds: intervalNanoseconds, startedAt: startedAt,
                           durationNanoseconds: now - startNanoseconds, samples: samples, events: events,
                           schedule: schedule)
        lock.unlock()
        // Runs finish out of order; readers want start order.
        run.samples.sort { ($0.startNanoseconds, $0.tick) < ($1.startNanoseconds, $1.tick) }
        return run
    }

    /// Samples of the phase in force now, newest last (for the live status line).
    public func currentPhaseSamples() -> (phase: String, samples: [ProbeSample]) {
        lock.lock(); defer { lock.unlock() }
        return (phase, samples.filter { $0.phase == phase })
    }

    private func mark(_ kind: LoopEvent.Kind, _ label: String, update: (ProbeLoop) -> Void = { _ in }) {
        lock.lock(); defer { lock.unlock() }
        update(self)
        let at = state == .idle ? 0 : MonotonicClock.now() - startNanoseconds
        events.append(LoopEvent(kind: kind, label: label, atNanoseconds: at, wallClock: MonotonicClock.wallNow()))
    }

    private func schedulerLoop() {
        if realtimeScheduler {
            var parameters = sched_param(sched_priority: 10)
            let applied = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters) == 0
            lock.lock()
            schedule.realtime = applied
            lock.unlock()
        }
        var tick = 0
        while true {
            let planned = startNanoseconds + UInt64(tick) * intervalNanoseconds
            // Sleep in slices of at most 50 ms so stop() is noticed quickly; the last slice
            // ends exactly at the absolute tick instant.
            while true {
                if stopRequested() { return }
                let now = MonotonicClock.now()
                if now >= planned { break }
                MonotonicClock.sleep(until: min(planned, now + 50_000_000))
            }
            let woke = MonotonicClock.now()
            let lateness = woke - planned
            lock.lock()
            schedule.ticks += 1
            schedule.maxLatenessNanoseconds = max(schedule.maxLatenessNanoseconds, lateness)
            schedule.totalLatenessNanoseconds += lateness
            for index in probes.indices {
                dispatch(probe: index, tick: tick, planned: planned - startNanoseconds)
            }
            // More than a whole interval late: the ticks in between are counted as missed and
            // not run, rather than fired as a burst that would bunch samples together.
            let behind = Int(lateness / intervalNanoseconds)
            schedule.missedTicks += behind
            lock.unlock()
            tick += 1 + behind
        }
    }

    private func stopRequested() -> Bool {
        lock.lock(); defer { lock.unlock() }
        return state != .running
    }

    /// Called with the lock held.
    private func dispatch(probe index: Int, tick: Int, planned: UInt64) {
        if inFlight[index] < maxInFlightPerProbe {
            inFlight[index] += 1
            jobs.append(Job(probe: index, tick: tick, planned: planned))
            lock.broadcast() // not signal(): stop() may be waiting on the same condition
        } else {
            appendSkipped(probe: index, tick: tick, planned: planned, reason: "skipped: probe still running")
        }
    }

    /// Called with the lock held.
    private func appendSkipped(probe index: Int, tick: Int, planned: UInt64, reason: String) {
        // Skipped ticks start at their plan: nothing ran later than that.
        samples.append(ProbeSample(probe: probes[index].name, tick: tick, plannedNanoseconds: planned,
                                   startNanoseconds: planned, latencyNanoseconds: nil, ok: false,
                                   reason: reason, phase: phase, wallClock: startedAt.addingTimeInterval(Double(planned) / 1e9)))
    }

    private func workerLoop() {
        lock.lock()
        while true {
            if jobs.isEmpty {
                // Exit only once the scheduler is done and nothing is queued.
                if !schedulerRunning {
                    workersLeft -= 1
                    lock.broadcast()
                    lock.unlock()
                    return
                }
                lock.wait()
                continue
            }
            let job = jobs.removeFirst()
            // Start time and phase are read under the lock, so a sample is ordered consistently
            // with setPhase/mark calls: its phase is the one in force when the check began.
            let started = MonotonicClock.now()
            let phaseAtStart = phase
            lock.unlock()

            let probe = probes[job.probe]
            let wall = MonotonicClock.wallNow()
            let check = probe.check()
            let measured = MonotonicClock.now() - started
            let sample = ProbeSample(probe: probe.name, tick: job.tick, plannedNanoseconds: job.planned,
                                     startNanoseconds: started - startNanoseconds,
                                     latencyNanoseconds: check.latencyNanoseconds ?? measured,
                                     ok: check.ok, reason: check.ok ? nil : (check.reason ?? "failed"),
                                     phase: phaseAtStart, wallClock: wall)
            lock.lock()
            samples.append(sample)
            inFlight[job.probe] -= 1
        }
    }
}
