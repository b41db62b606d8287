/// `bandwidth`: a serial link of `rate` KB/s. As in Toxiproxy, 1 KB = 1000 bytes (it
/// computes `len * 1ms / rate`), and a chunk larger than 100 ms worth of bytes is cut into
/// 100 ms pieces so a slow link still trickles. Each piece leaves when the link has
/// "transmitted" it. Rate ≤ 0 means no limit.
final class BandwidthStage: QueueingStage {
    private let bytesPerSecond: Int64
    /// When the virtual link finishes sending what it already accepted.
    private var busyUntil: Nanos = 0

    init(spec: ToxicSpec, bytesPerSecond: Int64) {
        self.bytesPerSecond = bytesPerSecond
        super.init(spec: spec)
    }

    override func receive(_ item: StreamItem, at time: Nanos) {
        guard case .data(let bytes) = item, bytesPerSecond > 0 else { return queue.append(item, at: time) }
        let start = max(time, busyUntil)
        let pieceSize = Int(max(1, bytesPerSecond / 10))  // 100 ms of data
        var offset = 0
        var release = start
        while offset < bytes.count {
            let end = min(bytes.count, offset + pieceSize)
            // Time for all bytes up to `end`, computed from `start` to avoid rounding drift.
            release = start &+ Nanos(end) &* 1_000_000_000 / Nanos(bytesPerSecond)
            queue.append(.data(Array(bytes[offset..<end])), at: release)
            offset = end
        }
        busyUntil = release
    }
}
