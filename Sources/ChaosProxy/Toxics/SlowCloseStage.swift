/// `slow_close`: data passes untouched; the FIN (or a close) is held `delay` ms before it
/// goes on.
final class SlowCloseStage: QueueingStage {
    private let delay: Nanos

    init(spec: ToxicSpec, delay: Nanos) {
        self.delay = delay
        super.init(spec: spec)
    }

    override func receive(_ item: StreamItem, at time: Nanos) {
        switch item {
        case .end, .close: queue.append(item, at: time &+ delay)
        case .data, .reset: queue.append(item, at: time)
        }
    }
}
