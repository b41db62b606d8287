/// Something that wants to be called back at a deadline.
protocol TimerTarget: AnyObject {
    func timerFired(now: Nanos)
}

/// A binary min-heap of deadlines. Cancelling is lazy: a target whose entry became stale
/// just gets a harmless early call and reschedules, which is cheaper than removal by key.
struct TimerHeap {
    private struct Entry {
        var deadline: Nanos
        var sequence: UInt64  // ties fire in scheduling order
        var target: TimerTarget
        var precise: Bool
    }
    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var earliest: Nanos? { entries.first?.deadline }
    /// Whether the earliest entry asked for precision (worth polling for, see `TimerSpin`).
    var earliestIsPrecise: Bool { entries.first?.precise ?? false }

    mutating func schedule(_ target: TimerTarget, at deadline: Nanos, precise: Bool = true) {
        entries.append(Entry(deadline: deadline, sequence: nextSequence, target: target, precise: precise))
        nextSequence &+= 1
        siftUp(entries.count - 1)
    }

    /// Remove and return the earliest entry if it is due by `now`.
    mutating func popDue(now: Nanos) -> (target: TimerTarget, deadline: Nanos)? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return (first.target, first.deadline)
    }

    mutating func removeAll() { entries.removeAll() }

    private func less(_ a: Int, _ b: Int) -> Bool {
        entries[a].deadline != entries[b].deadline
            ? entries[a].deadline < entries[b].deadline
            : entries[a].sequence < entries[b].sequence
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { return }
            var smallest = left
            if left + 1 < entries.count && less(left + 1, left) { smallest = left + 1 }
            guard less(smallest, parent) else { return }
            entries.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
