import Foundation

/// The threads that run request handlers, so a slow handler never stalls the loop that
/// reads every connection. Threads are started on demand, up to `maximumThreads`, and
/// stay for the server's life; jobs beyond that wait in order.
// @unchecked Sendable: all mutable state is guarded by `condition`.
final class HandlerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var jobStart = 0
    private var threads = 0
    private var idle = 0
    private var stopped = false
    private let maximumThreads: Int
    private let name: String

    init(maximumThreads: Int, name: String) {
        self.maximumThreads = max(1, maximumThreads)
        self.name = name
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        jobs.append(job)
        if idle == 0, threads < maximumThreads {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.stackSize = 512 * 1024
            thread.start()
        } else {
            condition.signal()
        }
    }

    /// Threads finish the job in hand and exit; queued jobs are dropped.
    func stop() {
        condition.lock()
        stopped = true
        jobs = []
        jobStart = 0
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            while !stopped, jobStart == jobs.count {
                idle += 1
                condition.wait()
                idle -= 1
            }
            if stopped { threads -= 1; condition.unlock(); return }
            let job = jobs[jobStart]
            jobStart += 1
            if jobStart == jobs.count { jobs.removeAll(keepingCapacity: true); jobStart = 0 }
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
