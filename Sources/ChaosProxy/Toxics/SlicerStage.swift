import ChaosCore

/// `slicer`: cuts each chunk into pieces of `average_size ± size_variation` bytes (at least
/// 1) and lets them out `delay` µs apart, each as its own write, as Toxiproxy does
/// (it sleeps after every piece, so the next chunk also waits one delay).
/// `average_size` ≤ 0 passes data unchanged.
final class SlicerStage: QueueingStage {
    private let averageSize: Int
    private let sizeVariation: Int
    private let delay: Nanos
    private var random: SeededRandom
    private var busyUntil: Nanos = 0

    init(spec: ToxicSpec, averageSize: Int, sizeVariation: Int, delay: Nanos, random: SeededRandom) {
        self.averageSize = averageSize
        self.sizeVariation = max(0, min(sizeVariation, max(0, averageSize - 1)))
        self.delay = delay
        self.random = random
        super.init(spec: spec)
    }

    override func receive(_ item: StreamItem, at time: Nanos) {
        guard case .data(let bytes) = item, averageSize > 0 else { return queue.append(item, at: time) }
        var release = max(time, busyUntil)
        var offset = 0
        while offset < bytes.count {
            var size = averageSize
            if sizeVariation > 0 { size += Int.random(in: -sizeVariation...sizeVariation, using: &random) }
            let end = min(bytes.count, offset + max(1, size))
            queue.append(.data(Array(bytes[offset..<end])), at: release)
            release &+= delay
            offset = end
        }
        busyUntil = release
    }
}
