import Dispatch
import Foundation

/// Runs one command on each of several loops and waits until every loop has run it: how an
/// API call makes its change visible to every live connection before it answers.
enum LoopBarrier {
    /// How long an API call waits for a loop. Loops answer within microseconds; only a
    /// loop thread stalled for seconds (a host taking its vCPU away) reaches this, and then
    /// the API answers anyway instead of hanging (that loop still runs the command later).
    static let timeout: Double = 10

    /// Returns false when some loop did not run `command` within `timeout`. A loop that no
    /// longer takes commands (shut down) is not waited for; on the calling loop's own
    /// thread the command runs at once, since waiting for itself would stall it.
    @discardableResult
    static func run(on loops: [EventLoop], timeout: Double = timeout,
                    _ command: @escaping (EventLoop) -> Void) -> Bool {
        let done = DispatchGroup()
        for loop in loops {
            if loop.isCurrentThread {
                command(loop)
                continue
            }
            done.enter()
            let queued = loop.execute {
                command(loop)
                done.leave()
            }
            if !queued { done.leave() }
        }
        return done.wait(timeout: .now() + timeout) == .success
    }
}
