/// `timeout`: stops all data (it is dropped, as in Toxiproxy) and closes the connection
/// once `timeout` ms pass without data arriving, counted from when the toxic took effect
/// (Toxiproxy re-arms its timer for every chunk it drops). With timeout 0 nothing is closed: data
/// is dropped until the toxic is removed, then flows again (Toxiproxy's docs; its current
/// code closes the connection on removal instead). A FIN or close from the source passes
/// through, as Toxiproxy's stub closes on end of input.
final class TimeoutStage: ToxicStage {
    let spec: ToxicSpec
    private let timeout: Nanos
    private var closeAt: Nanos?
    private var closeSent = false
    private var passing = TimedQueue()

    init(spec: ToxicSpec, timeout: Nanos, startedAt: Nanos) {
        self.spec = spec
        self.timeout = timeout
        self.closeAt = timeout > 0 ? startedAt &+ timeout : nil
    }

    func receive(_ item: StreamItem, at time: Nanos) {
        switch item {
        case .data:  // dropped on the floor; the countdown starts again
            if timeout > 0 && !closeSent { closeAt = max(closeAt ?? 0, time &+ timeout) }
        case .end, .close, .reset: passing.append(item, at: time)
        }
    }

    func popReady(now: Nanos) -> (item: StreamItem, at: Nanos)? {
        if let ready = passing.popReady(now: now) { return ready }
        if let closeAt, !closeSent, closeAt <= now {
            closeSent = true
            return (.close, closeAt)
        }
        return nil
    }

    var nextDeadline: Nanos? {
        if let next = passing.nextRelease { return next }
        return closeSent ? nil : closeAt
    }

    var heldBytes: Int { 0 }

    func takeBuffered() -> [StreamItem] { passing.takeAll() }
    func carryState(from previous: ToxicStage) {}
}
