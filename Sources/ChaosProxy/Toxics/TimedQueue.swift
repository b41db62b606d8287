/// A FIFO of items, each with the time it may leave. Release times never go backwards, so
/// an item scheduled earlier than its predecessor waits for it: order is always preserved.
struct TimedQueue {
    private var items: [(item: StreamItem, at: Nanos)] = []
    private var head = 0
    private(set) var heldBytes = 0
    /// Release time of the last item appended (0 before the first).
    private(set) var lastRelease: Nanos = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ item: StreamItem, at time: Nanos) {
        let release = Swift.max(time, lastRelease)
        lastRelease = release
        items.append((item, release))
        heldBytes += item.byteCount
    }

    /// The release time of the first item, if any.
    var nextRelease: Nanos? { isEmpty ? nil : items[head].at }

    mutating func popReady(now: Nanos) -> (item: StreamItem, at: Nanos)? {
        guard !isEmpty, items[head].at <= now else { return nil }
        let entry = items[head]
        head += 1
        heldBytes -= entry.item.byteCount
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)  // amortised compaction
            head = 0
        }
        return entry
    }

    /// Everything still queued, in order; the queue is left empty (release times are kept
    /// so that later items still follow the ones taken).
    mutating func takeAll() -> [StreamItem] {
        let out = items[head...].map { $0.item }
        items.removeAll(keepingCapacity: false)
        head = 0
        heldBytes = 0
        return out
    }
}
