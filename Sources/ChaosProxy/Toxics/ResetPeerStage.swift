/// `reset_peer`: on the first data in this direction, start a `timeout` ms timer (0 = at
/// once) and then reset the connection (RST, SO_LINGER 0). The data that triggered it, and
/// anything after, is swallowed, as in Toxiproxy's `reset_peer`.
final class ResetPeerStage: ToxicStage {
    let spec: ToxicSpec
    private let timeout: Nanos
    private var resetAt: Nanos?
    private var resetSent = false
    private var passing = TimedQueue()

    init(spec: ToxicSpec, timeout: Nanos) {
        self.spec = spec
        self.timeout = timeout
    }

    func receive(_ item: StreamItem, at time: Nanos) {
        switch item {
        case .data:
            if resetAt == nil { resetAt = time &+ timeout }
        case .end, .close, .reset:
            passing.append(item, at: time)
        }
    }

    func popReady(now: Nanos) -> (item: StreamItem, at: Nanos)? {
        if let resetAt, !resetSent, resetAt <= now {
            resetSent = true
            return (.reset, resetAt)
        }
        return passing.popReady(now: now)
    }

    var nextDeadline: Nanos? {
        if let resetAt, !resetSent { return min(resetAt, passing.nextRelease ?? .max) }
        return passing.nextRelease
    }

    var heldBytes: Int { 0 }

    func takeBuffered() -> [StreamItem] { passing.takeAll() }
    func carryState(from previous: ToxicStage) {}
}
