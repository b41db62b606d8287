/// `limit_data`: lets `bytes` bytes through in this direction, then closes the connection
/// (the partial chunk that reaches the limit is cut). As a Toxiproxy stateful toxic, the
/// count lives as long as the toxic: it survives updates of this or other toxics.
final class LimitDataStage: QueueingStage {
    private let limit: Int64
    private(set) var passed: Int64 = 0
    private var closed = false

    init(spec: ToxicSpec, limit: Int64) {
        self.limit = max(0, limit)
        super.init(spec: spec)
    }

    override func carryState(from previous: ToxicStage) {
        if let previous = previous as? LimitDataStage { passed = previous.passed }
    }

    override func receive(_ item: StreamItem, at time: Nanos) {
        guard case .data(let bytes) = item else { return queue.append(item, at: time) }
        guard !closed else { return }  // after the close, nothing more goes through
        let allowed = Int(min(Int64(bytes.count), max(0, limit - passed)))
        if allowed > 0 {
            queue.append(.data(allowed == bytes.count ? bytes : Array(bytes[0..<allowed])), at: time)
            passed += Int64(allowed)
        }
        if passed >= limit {
            closed = true
            queue.append(.close, at: time)
        }
    }
}
