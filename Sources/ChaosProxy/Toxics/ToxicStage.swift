import ChaosCore

/// One toxic acting on one direction of one connection: a small state machine that takes
/// items in, holds them, and lets them out at the right time. It never touches sockets or
/// clocks, so it can be tested with a fake clock (see `Tests/ChaosProxyTests/ToxicStageTests`).
///
/// This replaces Toxiproxy's goroutine-per-toxic chain: each stage's output feeds the next
/// stage's input, driven by the connection's event loop.
protocol ToxicStage: AnyObject {
    /// The toxic this stage was built from (used to keep a stage's state across updates).
    var spec: ToxicSpec { get }
    /// An item arrives at `time` (the time it left the previous stage, or was read).
    func receive(_ item: StreamItem, at time: Nanos)
    /// The next item whose release time is ≤ `now`, with that release time.
    func popReady(now: Nanos) -> (item: StreamItem, at: Nanos)?
    /// When the next item becomes ready (nil: nothing scheduled).
    var nextDeadline: Nanos? { get }
    /// Payload bytes the stage holds, for back-pressure.
    var heldBytes: Int { get }
    /// Hand over everything held that came from upstream (data, FIN), in order, as the
    /// stage is taken out of or rebuilt into a chain. Self-generated events (a pending close
    /// or reset) are state, not data: they are not handed over.
    func takeBuffered() -> [StreamItem]
    /// The toxic of the same name was updated: keep what must outlive the update.
    func carryState(from previous: ToxicStage)
}

/// A stage whose whole behaviour is "compute a release time for each item", on a TimedQueue.
class QueueingStage: ToxicStage {
    let spec: ToxicSpec
    var queue = TimedQueue()

    init(spec: ToxicSpec) { self.spec = spec }

    func receive(_ item: StreamItem, at time: Nanos) { queue.append(item, at: time) }
    func popReady(now: Nanos) -> (item: StreamItem, at: Nanos)? { queue.popReady(now: now) }
    var nextDeadline: Nanos? { queue.nextRelease }
    var heldBytes: Int { queue.heldBytes }
    func takeBuffered() -> [StreamItem] { queue.takeAll() }
    func carryState(from previous: ToxicStage) {}
}

/// Builds the stage for a toxic, or nil for toxics that act on new connections only
/// (`refuse_connections`, `reset_connections`) and have no per-direction stage.
func makeToxicStage(_ spec: ToxicSpec, now: Nanos, random: SeededRandom) -> ToxicStage? {
    switch spec.kind {
    case let .latency(latencyMs, jitterMs):
        return LatencyStage(spec: spec, latency: latencyMs.msAsNanos, jitter: jitterMs.msAsNanos, random: random)
    case let .bandwidth(rateKBps):
        return BandwidthStage(spec: spec, bytesPerSecond: rateKBps * 1000)
    case let .slowClose(delayMs):
        return SlowCloseStage(spec: spec, delay: delayMs.msAsNanos)
    case let .timeout(timeoutMs):
        return TimeoutStage(spec: spec, timeout: timeoutMs.msAsNanos, startedAt: now)
    case let .resetPeer(timeoutMs):
        return ResetPeerStage(spec: spec, timeout: timeoutMs.msAsNanos)
    case let .slicer(averageSize, sizeVariation, delayUs):
        return SlicerStage(spec: spec, averageSize: Int(averageSize), sizeVariation: Int(sizeVariation),
                           delay: delayUs.usAsNanos, random: random)
    case let .limitData(bytes):
        return LimitDataStage(spec: spec, limit: bytes)
    case .refuseConnections, .resetConnections:
        return nil
    }
}

extension ToxicKind {
    /// `refuse_connections` and `reset_connections` decide a connection's fate at accept
    /// and have no per-direction stage.
    var actsOnNewConnectionsOnly: Bool {
        switch self {
        case .refuseConnections, .resetConnections: return true
        default: return false
        }
    }
}
