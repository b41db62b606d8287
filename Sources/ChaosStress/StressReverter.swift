import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ends a stress from its journaled record: SIGKILL to each worker that still runs with the
/// journaled start time (a PID reused since is never signalled), then waits until each is
/// gone, so its memory is released when the revert returns. Idempotent: workers already
/// gone count as ended.
public struct StressReverter: FaultReverter {
    public let kind = StressFault.kind
    /// How long to wait for killed workers to disappear before the revert fails (the
    /// record then stays for `recover`).
    public static let exitWait = 10.0

    public init() {}

    public func revert(_ record: FaultRecord) throws {
        guard let workers = StressWorkerID.list(record.revertData["workers"] ?? "") else {
            throw ChaosError("stress record \(record.id) has a malformed worker list: '\(record.revertData["workers"] ?? "")'")
        }
        let left = Self.end(workers)
        if !left.isEmpty {
            throw ChaosError("stress workers \(left.map { String($0.pid) }.joined(separator: ", ")) still run \(DurationParser.format(Self.exitWait)) after SIGKILL")
        }
    }

    /// SIGKILL `workers` and wait for them (reaping those that are this process's
    /// children). Returns the ones still running after `exitWait`.
    @discardableResult
    static func end(_ workers: [StressWorkerID]) -> [StressWorkerID] {
        for worker in workers where worker.running != nil { kill(worker.pid, SIGKILL) }
        let deadline = Date().addingTimeInterval(exitWait)
        var waiting = workers
        while true {
            waiting = waiting.filter { worker in
                var status: Int32 = 0
                if waitpid(worker.pid, &status, WNOHANG) == worker.pid { return false }
                return worker.running != nil
            }
            if waiting.isEmpty || Date() >= deadline { return waiting }
            usleep(10_000)
        }
    }
}
