import Foundation

/// Polls `condition` every `interval` until it holds (true) or `timeout` passes (false): the
/// one bounded wait the CLI and Kubernetes tests build their own failure messages on.
public func pollUntil(timeout: TimeInterval, every interval: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return false
}
