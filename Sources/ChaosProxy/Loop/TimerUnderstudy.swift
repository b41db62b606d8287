import CChaosLinux
import Foundation
import Glibc
import Synchronization

/// A second thread per event loop that stands in for the loop's own thread when a toxic's
/// deadline comes and that thread is not running.
///
/// Why: on a VM the host can take a vCPU away for milliseconds (steal time), and a loop
/// polling for its deadline on that vCPU is then late however well it polls. Measured here,
/// the two vCPUs lose time independently (two polling threads lost 42 and 101 ms in 8 s, at
/// the same moment for 1 ms of it), so a thread on the *other* vCPU is almost always running.
///
/// How: the loop publishes its nearest toxic deadline. The understudy sleeps until a margin
/// before it (learned like the loop's own, `TimerSpinGovernor`), moves off the CPU the loop
/// thread last ran on, and polls the clock. If the deadline is still unserved `grace` after
/// it passed, it takes the loop's turn lock and fires the due timers itself. Everything it
/// touches is the loop's, under the same lock the loop thread holds for each turn; it never
/// closes a descriptor (closes stay with the loop thread, at the end of its own turn).
// @unchecked Sendable: `spin` is only touched by the understudy's own thread; shared fields are atomics.
final class TimerUnderstudy: @unchecked Sendable {
    /// How long after a deadline the loop thread gets to serve it before the understudy
    /// steps in: well under the error budget, well over a punctual loop's turn.
    static let grace: Nanos = 50_000

    private unowned let loop: EventLoop
    private let wakeFd: Int32
    private let stopped = Atomic<Bool>(false)
    private var spin: TimerSpinGovernor
    private let finished = DispatchSemaphore(value: 0)
    /// The deadline the understudy is sleeping towards (`.max`: none). The loop wakes it
    /// only when it publishes an earlier one.
    let sleepingTowards = Atomic<UInt64>(.max)
    /// Deadlines the understudy served because the loop thread had not (tests read it).
    let takeovers = Atomic<UInt64>(0)

    init(loop: EventLoop, timerSpin: TimerSpin) {
        self.loop = loop
        self.spin = TimerSpinGovernor(policy: timerSpin)
        wakeFd = cchaos_eventfd_nonblock()
        precondition(wakeFd >= 0, "eventfd failed: errno \(errno)")
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "chaos-proxy-understudy-\(loop.index)"
        thread.start()
    }

    /// The loop published `deadline`: wake the understudy if it sleeps towards a later one.
    func deadlinePublished(_ deadline: Nanos) {
        if deadline != 0 && deadline < sleepingTowards.load(ordering: .sequentiallyConsistent) { EventFD.signal(wakeFd) }
    }

    func stopAndJoin() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        EventFD.signal(wakeFd)
        _ = finished.wait(timeout: .now() + 5)
        close(wakeFd)
    }


    /// Sleep until woken or `timeout` ns passed (< 0: until woken); true when woken.
    private func sleep(_ timeout: Int64) -> Bool {
        guard cchaos_wait_readable_ns(wakeFd, timeout) > 0 else { return false }
        EventFD.drain(wakeFd)
        return true
    }

    private func run() {
        _ = cchaos_set_timer_slack_ns(1_000)
        var avoiding: Int32 = -2
        while !stopped.load(ordering: .sequentiallyConsistent) {
            let deadline = loop.publishedDeadline.load(ordering: .sequentiallyConsistent)
            var now = EventLoop.now()
            if deadline == 0 {
                sleepingTowards.store(.max, ordering: .sequentiallyConsistent)
                // Re-read after announcing: a deadline published in between either is seen
                // here or finds `.max` and wakes us.
                if loop.publishedDeadline.load(ordering: .sequentiallyConsistent) == 0 { _ = sleep(-1) }
                continue
            }
            let margin = spin.margin(now: now)
            if deadline > now &+ margin {
                sleepingTowards.store(deadline, ordering: .sequentiallyConsistent)
                guard loop.publishedDeadline.load(ordering: .sequentiallyConsistent) == deadline else { continue }
                let planned = deadline - margin
                if !sleep(Int64(planned - now)) { spin.recordWake(planned: planned, woke: EventLoop.now()) }
                continue
            }
            sleepingTowards.store(deadline, ordering: .sequentiallyConsistent)
            // Poll from the other CPU: if the host stops the loop thread's vCPU, not this one.
            let cpu = loop.lastCPU.load(ordering: .relaxed)
            if cpu != avoiding {
                _ = cchaos_avoid_cpu(cpu)
                avoiding = cpu
            }
            let spinStart = now
            let stepIn = deadline &+ TimerUnderstudy.grace
            while now < stepIn && loop.publishedDeadline.load(ordering: .relaxed) == deadline
                    && !stopped.load(ordering: .relaxed) {
                now = EventLoop.now()
            }
            if now > spinStart { spin.recordSpin(from: spinStart, to: now) }
            if now >= stepIn, loop.fireDueTimers(standingInFor: deadline) {
                takeovers.wrappingAdd(1, ordering: .relaxed)
            }
        }
        finished.signal()
    }
}
