/// `timeout`: stops all data (it is dropped, as Toxiproxy's docs say) and closes the
/// connection `timeout` ms after the toxic took effect on it. With timeout 0 nothing is
/// closed: data is dropped until the toxic is removed, then flows again. A FIN that
/// arrives meanwhile is held, and handed on when the toxic is removed.
final class TimeoutStage: ToxicStage {
    let spec: ToxicSpec
    private let closeAt: Nanos?
    private var closeSent = false
    private var passing = TimedQueue()
    private var heldEnd = false

    init(spec: ToxicSpec, timeout: Nanos, startedAt: Nanos) {
        self.spec = spec
        self.closeAt = timeout > 0 ? startedAt &+ timeout : nil
    }

    func receive(_ item: StreamItem, at time: Nanos) {
        switch item {
        case .data: break  // dropped on the floor
        case .end: heldEnd = true
        case .close, .reset: passing.append(item, at: time)
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

    func takeBuffered() -> [StreamItem] {
        var out = passing.takeAll()
        if heldEnd { out.append(.end); heldEnd = false }
        return out
    }
}
