import ChaosCore

/// `latency`: every chunk leaves `latency ± jitter` after it arrived (jitter uniform in
/// [-jitter, +jitter], as Toxiproxy draws it), never before the chunk ahead of it.
/// FIN and close follow the data ahead of them without extra delay.
final class LatencyStage: QueueingStage {
    private let latency: Nanos
    private let jitter: Nanos
    private var random: SeededRandom

    init(spec: ToxicSpec, latency: Nanos, jitter: Nanos, random: SeededRandom) {
        self.latency = latency
        self.jitter = jitter
        self.random = random
        super.init(spec: spec)
    }

    override func receive(_ item: StreamItem, at time: Nanos) {
        guard case .data = item else { return queue.append(item, at: time) }
        var delay = Int64(latency)
        if jitter > 0 {
            delay += Int64.random(in: -Int64(jitter)...Int64(jitter), using: &random)
        }
        queue.append(item, at: time &+ Nanos(max(0, delay)))
    }
}
