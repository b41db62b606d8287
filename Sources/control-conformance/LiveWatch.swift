import ChaosControl
import Foundation

/// `control-conformance --watch PATH FLAG SECONDS`: the live cross-language test's reader
/// (scripts/live-clients.py). Prints "ready", then "<fires> <epoch ns>" each time the
/// flag's fires() answer flips, and at the end "errors N" (files the reader rejected).
enum LiveWatch {
    // @unchecked Sendable: `value` is only read or written under `lock`.
    final class ErrorCount: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    static func run(path: String, flag name: String, seconds: Double) {
        let reader = ControlFileReader(path: path)
        let errors = ErrorCount()
        reader.onError = { _ in errors.add() }
        let flag = reader.flag(name)
        var last = false
        print("ready")
        fflush(stdout)
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let fires = flag.fires()
            if fires != last {
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                print("\(fires) \(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))")
                fflush(stdout)
                last = fires
            }
            usleep(200)
        }
        print("errors \(errors.count)")
        reader.stop()
    }
}
