import CChaosLinux
import ChaosSystem
import Foundation
import Glibc
import Synchronization

/// Something registered with an event loop's epoll set.
protocol EpollTarget: AnyObject {
    func handle(fd: Int32, events: UInt32, now: Nanos)
}

/// One thread running one epoll set, level-triggered. It owns everything registered with it
/// (sockets, timers, pipes); other threads talk to it through `execute`, a queue drained
/// after a write to an eventfd wakes `epoll_wait`. The one exception is its
/// `TimerUnderstudy`, which may fire a late toxic deadline: the loop thread holds `turnLock`
/// for each turn (not while it waits in epoll), and the understudy takes it to stand in.
///
/// Timers: a min-heap of deadlines; `epoll_pwait2` sleeps until the nearest one with a
/// nanosecond timeout, and the thread's timer slack is set to 1 µs (the default 50 µs would
/// be most of our error budget). The last stretch before a deadline can be spent polling
/// instead of sleeping, as `TimerSpin` decides.
// @unchecked Sendable: commands are guarded by `commandLock`, everything else only by whoever holds `turnLock` (the loop thread or its understudy).
final class EventLoop: @unchecked Sendable {
    let index: Int
    let pipes = PipePool()
    let copyBuffer = CopyBuffer()
    private let epollFd: Int32
    private let wakeFd: Int32
    /// Indexed by descriptor number (small, dense integers): an array read per event
    /// instead of a hash lookup.
    private var targets: [EpollTarget?] = []
    private var timers = TimerHeap()
    private var pendingCloses: [Int32] = []
    private let commandLock = NSLock()
    private var commands: [() -> Void] = []
    private var wakeArmed = false
    /// Set (under `commandLock`) once the loop has torn down: later commands are dropped,
    /// never written to a wake descriptor whose number may belong to someone else by then.
    private var closedForCommands = false
    private var running = true
    private let finished = DispatchSemaphore(value: 0)
    private var thread: Thread?
    /// Held by whoever runs a turn: the loop thread, or its understudy standing in.
    private let turnLock = NSLock()
    private var understudy: TimerUnderstudy?
    /// The nearest toxic (precise) deadline, 0 when none, published for the understudy.
    let publishedDeadline = Atomic<UInt64>(0)
    /// The CPU the loop thread ran its last turn on: the one the understudy avoids.
    let lastCPU = Atomic<Int32>(-1)
    /// Tests: the loop thread sleeps this long (once) before its next wait for a toxic
    /// deadline, as if the host had taken its vCPU away.
    let stallOnceForTesting = Atomic<UInt64>(0)

    /// Connections handed to this loop and not yet finished (any thread reads it to
    /// balance new connections; it counts a hand-off still queued, unlike `connections`).
    let assignedConnections = Atomic<Int>(0)

    /// Connections this loop owns, per proxy (keyed by the proxy runtime's identity).
    var connections: [ObjectIdentifier: [UInt64: ProxyConnection]] = [:]

    /// Monotonic nanoseconds, the clock every stage deadline is expressed in.
    static func now() -> Nanos { MonotonicClock.now() }

    /// How long before a timer deadline the loop stops sleeping and polls instead.
    private var spin: TimerSpinGovernor

    /// Deadlines the understudy served because this loop's thread had not.
    var understudyTakeovers: UInt64 { understudy?.takeovers.load(ordering: .relaxed) ?? 0 }

    init(index: Int, timerSpin: TimerSpin = .off, understudy: Bool = false) {
        self.index = index
        self.spin = TimerSpinGovernor(policy: timerSpin)
        epollFd = cchaos_epoll_create()
        wakeFd = cchaos_eventfd_nonblock()
        precondition(epollFd >= 0 && wakeFd >= 0, "epoll_create1/eventfd failed: errno \(errno)")
        _ = cchaos_epoll_ctl(epollFd, Epoll.add, wakeFd, Epoll.input, UInt64(wakeFd))
        // On one CPU an understudy would only compete with the loop thread it backs up.
        if understudy && cchaos_allowed_cpu_count() > 1 {
            self.understudy = TimerUnderstudy(loop: self, timerSpin: timerSpin)
        }
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "chaos-proxy-loop-\(index)"
        self.thread = thread
        thread.start()
        understudy?.start()
    }

    /// Whether the caller runs on this loop's thread.
    var isCurrentThread: Bool { Thread.current === thread }

    /// Run `command` on the loop thread soon. Never blocks on the loop; callable from any
    /// thread. Returns false (dropping it) once the loop has torn down.
    @discardableResult
    func execute(_ command: @escaping () -> Void) -> Bool {
        commandLock.lock()
        if closedForCommands {
            commandLock.unlock()
            return false
        }
        commands.append(command)
        let mustWake = !wakeArmed
        wakeArmed = true
        commandLock.unlock()
        if mustWake { EventFD.signal(wakeFd) }
        return true
    }

    /// Stop the thread and wait (bounded) for it to end. Call from outside the loop.
    func stopAndJoin() {
        execute { [self] in self.running = false }
        _ = finished.wait(timeout: .now() + 5)
    }

    // MARK: registration (loop thread only)

    func register(_ fd: Int32, events: UInt32, target: EpollTarget) -> Bool {
        guard fd >= 0 else { return false }
        let slot = Int(fd)
        if slot >= targets.count {
            targets.append(contentsOf: repeatElement(nil, count: max(slot + 1 - targets.count, targets.count)))
        }
        targets[slot] = target
        if cchaos_epoll_ctl(epollFd, Epoll.add, fd, events, UInt64(UInt32(bitPattern: fd))) != 0 {
            targets[slot] = nil
            return false
        }
        return true
    }

    func modify(_ fd: Int32, events: UInt32) {
        _ = cchaos_epoll_ctl(epollFd, Epoll.modify, fd, events, UInt64(UInt32(bitPattern: fd)))
    }

    /// Remove from epoll; call before closing the descriptor.
    func unregister(_ fd: Int32) {
        let slot = Int(fd)
        if slot >= 0 && slot < targets.count && targets[slot] != nil {
            targets[slot] = nil
            _ = cchaos_epoll_ctl(epollFd, Epoll.delete, fd, 0, 0)
        }
    }

    /// Call `target` back at `deadline`. Only `precise` timers (a toxic's) are worth
    /// polling for; housekeeping ones (a muted listener) just sleep.
    func schedule(_ target: TimerTarget, at deadline: Nanos, precise: Bool = true) {
        timers.schedule(target, at: deadline, precise: precise)
    }

    /// Close `fd` (already unregistered) at the end of this loop turn. Until then its number
    /// cannot be reused, so an event of this batch that still names it can never reach a
    /// new socket that got the same number.
    func closeAfterBatch(_ fd: Int32) { pendingCloses.append(fd) }

    private func closePending() {
        for fd in pendingCloses { close(fd) }
        pendingCloses.removeAll(keepingCapacity: true)
    }

    /// The understudy's turn: if `deadline` is still the published one (the loop thread has
    /// not served it), fire what is due. Closes it causes wait for the loop thread's turn.
    /// Returns whether it fired anything.
    func fireDueTimers(standingInFor deadline: Nanos) -> Bool {
        turnLock.lock()
        defer { turnLock.unlock() }
        guard running, publishedDeadline.load(ordering: .sequentiallyConsistent) == deadline else { return false }
        let fired = fireDueTimers()
        publishDeadline()
        if !pendingCloses.isEmpty { EventFD.signal(wakeFd) }
        return fired > 0
    }

    /// Bounded per turn, so a target that keeps rescheduling in the past cannot starve the
    /// sockets.
    private func fireDueTimers() -> Int {
        var fired = 0
        while fired < 4_096, let (target, _) = timers.popDue(now: EventLoop.now()) {
            target.timerFired(now: EventLoop.now())
            fired += 1
        }
        return fired
    }

    /// Tell the understudy about the nearest toxic deadline. On the loop's every turn, so it
    /// costs a comparison unless the deadline changed (pass-through traffic has none).
    private func publishDeadline() {
        guard let understudy else { return }
        let deadline = timers.earliestIsPrecise ? (timers.earliest ?? 0) : 0
        guard deadline != publishedDeadline.load(ordering: .relaxed) else { return }
        publishedDeadline.store(deadline, ordering: .sequentiallyConsistent)
        understudy.deadlinePublished(deadline)
    }

    // MARK: the loop

    private func run() {
        _ = cchaos_set_timer_slack_ns(1_000)
        let batch = 256
        var datas = [UInt64](repeating: 0, count: batch)
        var events = [UInt32](repeating: 0, count: batch)
        turnLock.lock()
        while running {
            var timeout: Int64 = -1
            var before: Nanos = 0
            var spinning = false
            var spinUntil: Nanos = 0
            if let earliest = timers.earliest {
                before = EventLoop.now()
                // Sleep until `margin` before the deadline, then poll epoll without
                // sleeping: a thread (or vCPU) woken from a sleep can be late by hundreds
                // of µs, a polling one is not.
                let margin = timers.earliestIsPrecise ? spin.margin(now: before) : 0
                if earliest > before &+ margin {
                    timeout = Int64(earliest - before - margin)
                } else {
                    timeout = 0
                    spinning = earliest > before
                    spinUntil = earliest
                }
            }
            publishDeadline()
            if understudy != nil && publishedDeadline.load(ordering: .relaxed) != 0 {
                lastCPU.store(cchaos_current_cpu(), ordering: .relaxed)  // the CPU the understudy avoids
            }
            var stall: UInt64 = 0
            if timers.earliestIsPrecise && stallOnceForTesting.load(ordering: .relaxed) > 0 {
                stall = stallOnceForTesting.exchange(0, ordering: .relaxed)
            }
            turnLock.unlock()
            if stall > 0 { usleep(UInt32(stall / 1_000)) }
            var count = cchaos_epoll_wait_ns(epollFd, &datas, &events, Int32(batch), timeout)
            // Polling stays outside the turn lock until an event or the deadline: a vCPU
            // taken away meanwhile then never holds the lock the understudy needs.
            while spinning && count == 0 && EventLoop.now() < spinUntil {
                count = cchaos_epoll_wait_ns(epollFd, &datas, &events, Int32(batch), 0)
            }
            turnLock.lock()
            let now = EventLoop.now()
            if spinning {
                spin.recordSpin(from: before, to: now)
            } else if count == 0 && timeout > 0 {
                spin.recordWake(planned: before &+ Nanos(timeout), woke: now)
            }
            if count > 0 {
                for i in 0..<Int(count) {
                    let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: datas[i]))
                    if fd == wakeFd {
                        EventFD.drain(wakeFd)
                        continue
                    }
                    // A target closed earlier in this batch is gone from the table: skip it.
                    let slot = Int(fd)
                    if slot < targets.count, let target = targets[slot] {
                        target.handle(fd: fd, events: events[i], now: now)
                    }
                }
            }
            _ = fireDueTimers()
            runCommands()
            closePending()
        }
        publishedDeadline.store(0, ordering: .sequentiallyConsistent)
        turnLock.unlock()
        understudy?.stopAndJoin()
        teardown()
        finished.signal()
    }

    private func runCommands() {
        commandLock.lock()
        let batch = commands
        commands.removeAll()
        wakeArmed = false
        commandLock.unlock()
        for command in batch { command() }
    }

    private func teardown() {
        commandLock.lock()
        closedForCommands = true
        commands.removeAll()
        commandLock.unlock()
        for (_, byId) in connections {
            for connection in byId.values { connection.abort(reset: false) }
        }
        connections.removeAll()
        closePending()
        for case let listener as ProxyListener in targets.compactMap({ $0 }) {
            listener.close()
        }
        targets.removeAll()
        timers.removeAll()
        pipes.drain()
        close(epollFd)
        close(wakeFd)
    }
}
