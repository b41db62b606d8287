import ChaosCore
import Glibc
import Synchronization

/// One proxied connection: the client socket, the upstream socket, and the two directions
/// between them. Lives on one event loop and is only touched by whoever holds that loop's
/// turn lock: the loop thread, or the loop's `TimerUnderstudy` firing a late toxic deadline
/// in its place (`EventLoop.fireDueTimers(standingInFor:)`). So never by two threads at once;
/// its sockets are closed by the loop thread alone, at the end of a turn (`closeAfterBatch`).
///
/// Close rules: a FIN is passed on per direction (the other side is shut for writing once
/// everything before it was written); when both directions carried their FIN, both sockets
/// are closed. A reset or an error on either side resets the other (SO_LINGER 0).
final class ProxyConnection: EpollTarget, TimerTarget {
    let id: UInt64
    let runtime: ProxyRuntime
    let record: ConnectionRecord
    private unowned let loop: EventLoop
    private let clientFd: Int32
    private let serverFd: Int32
    private var upstream: Direction!
    private var downstream: Direction!
    private var connecting = true
    private(set) var closed = false
    private var random: SeededRandom
    /// This connection's place among its proxy's connections (1, 2, …): seeded toxics draw by it.
    private let ordinal: UInt64
    /// Per toxic name: the toxicity the decision was drawn for, and whether the toxic applies.
    private var decisions: [String: (toxicity: Double, applies: Bool)] = [:]
    private var appliedVersion: UInt64 = .max
    /// Epoll state of one of the two sockets (plain fields: this is on every event's path).
    private struct SocketState {
        var registered = false
        var interest: UInt32 = 0
        var hungUp = false
    }
    private var clientState = SocketState()
    private var serverState = SocketState()
    private var timerAt: Nanos?

    init(id: UInt64, runtime: ProxyRuntime, loop: EventLoop, clientFd: Int32, serverFd: Int32,
         record: ConnectionRecord, random: SeededRandom, ordinal: UInt64) {
        self.id = id
        self.runtime = runtime
        self.loop = loop
        self.clientFd = clientFd
        self.serverFd = serverFd
        self.record = record
        self.random = random
        self.ordinal = ordinal
        let counters = runtime.counters
        upstream = Direction(stream: .upstream, source: clientFd, destination: serverFd, pipes: loop.pipes,
                             copyBuffer: loop.copyBuffer, lateness: counters.releaseLateness) { [record] n in
            record.bytesUpstream.wrappingAdd(UInt64(n), ordering: .relaxed)
            counters.bytesUpstream.wrappingAdd(UInt64(n), ordering: .relaxed)
        }
        downstream = Direction(stream: .downstream, source: serverFd, destination: clientFd, pipes: loop.pipes,
                             copyBuffer: loop.copyBuffer, lateness: counters.releaseLateness) { [record] n in
            record.bytesDownstream.wrappingAdd(UInt64(n), ordering: .relaxed)
            counters.bytesDownstream.wrappingAdd(UInt64(n), ordering: .relaxed)
        }
        upstream.opposite = downstream
        downstream.opposite = upstream
    }

    /// Register the upstream socket for its non-blocking connect and build the toxic chains,
    /// so toxics with a clock (timeout) start at accept. The client socket is registered
    /// once the upstream answers (the client is not read before that, as with Toxiproxy,
    /// which dials first); a client that leaves meanwhile is seen then.
    func begin(now: Nanos) -> Bool {
        guard loop.register(serverFd, events: Epoll.output, target: self) else { return false }
        serverState.registered = true
        serverState.interest = Epoll.output
        let (specs, version) = runtime.toxics
        settle(rebuildChains(specs, version: version, now: now), now: now)  // arms the toxics' timers
        return true
    }

    // MARK: events

    func handle(fd: Int32, events: UInt32, now: Nanos) {
        guard !closed else { return }
        if connecting {
            handleConnecting(fd: fd, events: events, now: now)
            return
        }
        var outcome = DirectionOutcome.ok
        if events & Epoll.error != 0 {
            outcome = .reset  // RST (or another hard error) on this side: reset the other
        } else {
            let isClient = fd == clientFd
            let reading = isClient ? upstream! : downstream!
            let writing = isClient ? downstream! : upstream!
            if events & Epoll.output != 0 { outcome = writing.onWritable(now: now) }
            if outcome == .ok && events & (Epoll.input | Epoll.hangUp) != 0 {
                outcome = reading.onReadable(now: now)
            }
            if events & Epoll.hangUp != 0 {
                if isClient { clientState.hungUp = true } else { serverState.hungUp = true }
            }
        }
        settle(outcome, now: now)
    }

    private func handleConnecting(fd: Int32, events: UInt32, now: Nanos) {
        guard fd == serverFd else { return }  // the client is registered once we are connected
        // EPOLLOUT without an error is a finished connect. (It cannot be a stale event of an
        // earlier socket with the same number: the loop closes descriptors only after the
        // batch of events they may appear in.)
        // A failed connect reports EPOLLERR (with EPOLLHUP).
        if events & (Epoll.error | Epoll.hangUp) != 0 {
            finish(reset: false)  // upstream refused: the client sees a close, as with Toxiproxy
            return
        }
        guard events & Epoll.output != 0 else { return }
        connecting = false
        // The client may have sent data (and timers may be due) while we connected; settle
        // registers the client socket with what it needs.
        var outcome = upstream.onTimer(now: now)
        if outcome == .ok { outcome = downstream.onTimer(now: now) }
        settle(outcome, now: now)
    }

    func timerFired(now: Nanos) {
        guard !closed else { return }
        if let at = timerAt, at <= now { timerAt = nil }
        // Also while connecting: only self-made events (a timeout's close) can be due then,
        // since the client is not read before the upstream answers.
        var outcome = upstream.onTimer(now: now)
        if outcome == .ok { outcome = downstream.onTimer(now: now) }
        settle(outcome, now: now)
    }

    /// The proxy's toxics changed: rebuild both chains, keeping queued bytes.
    func toxicsChanged(now: Nanos) {
        guard !closed else { return }
        let (specs, version) = runtime.toxics
        guard version != appliedVersion else { return }
        settle(rebuildChains(specs, version: version, now: now), now: now)
    }

    /// Close now (proxy stopped, loop shutting down).
    func abort(reset: Bool) { finish(reset: reset) }

    // MARK: internals

    private func rebuildChains(_ specs: [ToxicSpec], version: UInt64, now: Nanos) -> DirectionOutcome {
        appliedVersion = version
        // refuse/reset_connections acted at accept; they have no stage and are not drawn again.
        let applying = specs.filter { !$0.kind.actsOnNewConnectionsOnly && decide($0) }
        for name in Array(decisions.keys) where !specs.contains(where: { $0.name == name }) {
            decisions[name] = nil  // removed toxics: a later toxic of that name draws again
        }
        let makeRandom: (ToxicSpec) -> SeededRandom = { [self] spec in
            // A seeded toxic's stage draws the second value of its own sequence (the first decided toxicity).
            guard var own = spec.ownRandom(connection: ordinal) else { return SeededRandom(seed: random.next()) }
            _ = own.next()
            return SeededRandom(seed: own.next())
        }
        var outcome = upstream.applyToxics(applying.filter { $0.stream == .upstream }, now: now, makeRandom: makeRandom)
        let downstreamOutcome = downstream.applyToxics(applying.filter { $0.stream == .downstream }, now: now,
                                                       makeRandom: makeRandom)
        if outcome == .ok { outcome = downstreamOutcome }
        return outcome
    }

    /// Whether `spec` applies to this connection: drawn once per toxic (again if its toxicity changes).
    private func decide(_ spec: ToxicSpec) -> Bool {
        if let known = decisions[spec.name], known.toxicity == spec.toxicity { return known.applies }
        var own = spec.ownRandom(connection: ordinal)
        let applies = own != nil ? spec.hits(drawing: &own!) : spec.hits(drawing: &random)
        decisions[spec.name] = (spec.toxicity, applies)
        if applies { runtime.counters.countToxicApplied(spec.name) }
        return applies
    }

    private func settle(_ outcome: DirectionOutcome, now: Nanos) {
        switch outcome {
        case .close: finish(reset: false)
        case .reset: finish(reset: true)
        case .ok:
            if upstream.destinationShut && downstream.destinationShut {
                finish(reset: false)
                return
            }
            if !connecting {
                updateInterest(clientFd, &clientState, reading: upstream, writing: downstream, now: now)
                updateInterest(serverFd, &serverState, reading: downstream, writing: upstream, now: now)
            }
            schedule(now: now)
        }
    }

    private func updateInterest(_ fd: Int32, _ state: inout SocketState, reading: Direction, writing: Direction,
                                now: Nanos) {
        var mask: UInt32 = 0
        if reading.wantsRead { mask |= Epoll.input }
        if writing.wantsWrite { mask |= Epoll.output }
        if mask & Epoll.input != 0 && state.interest & Epoll.input == 0 { reading.readableSince = now }
        // A hung-up socket reports EPOLLHUP whatever the mask: while we want nothing from it,
        // take it out of the epoll set so level-triggered HUP cannot spin the loop.
        if mask == 0 && state.hungUp {
            if state.registered {
                loop.unregister(fd)
                state.registered = false
            }
            return
        }
        if !state.registered {
            state.registered = loop.register(fd, events: mask, target: self)
            state.interest = mask
        } else if state.interest != mask {
            loop.modify(fd, events: mask)
            state.interest = mask
        }
    }

    private func schedule(now: Nanos) {
        // No array here: this runs after every event.
        var next = upstream.nextDeadline
        if let other = downstream.nextDeadline, next == nil || other < next! { next = other }
        guard let next else { return }
        if timerAt == nil || next < timerAt! {
            timerAt = next
            loop.schedule(self, at: max(next, now))
        }
    }

    private func finish(reset: Bool) {
        guard !closed else { return }
        closed = true
        if clientState.registered { loop.unregister(clientFd) }
        if serverState.registered { loop.unregister(serverFd) }
        clientState.registered = false
        serverState.registered = false
        upstream.teardown()
        downstream.teardown()
        if reset {
            SocketOps.setResetOnClose(clientFd)
            SocketOps.setResetOnClose(serverFd)
        }
        loop.closeAfterBatch(clientFd)
        loop.closeAfterBatch(serverFd)
        runtime.remove(id: id)
        runtime.counters.active.wrappingSubtract(1, ordering: .relaxed)
        loop.assignedConnections.wrappingSubtract(1, ordering: .relaxed)
        loop.connections[ObjectIdentifier(runtime)]?[id] = nil
    }
}
