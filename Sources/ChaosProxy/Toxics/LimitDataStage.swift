/// `limit_data`: lets `bytes` bytes through in this direction, then closes the connection
/// (the partial chunk that reaches the limit is cut). The count survives toxic updates
/// because the engine keeps the stage object when its spec did not change.
final class LimitDataStage: QueueingStage {
    private var remaining: Int64
    private var closed = false

    init(spec: ToxicSpec, limit: Int64) {
        self.remaining = max(0, limit)
        super.init(spec: spec)
    }

    override func receive(_ item: StreamItem, at time: Nanos) {
        guard case .data(let bytes) = item else { return queue.append(item, at: time) }
        guard !closed else { return }  // after the close, nothing more goes through
        let allowed = Int(min(Int64(bytes.count), remaining))
        if allowed > 0 {
            queue.append(.data(allowed == bytes.count ? bytes : Array(bytes[0..<allowed])), at: time)
            remaining -= Int64(allowed)
        }
        if remaining <= 0 {
            closed = true
            queue.append(.close, at: time)
        }
    }
}
