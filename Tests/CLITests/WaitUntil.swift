import Foundation
import XCTest

extension XCTestCase {
    /// Poll `condition` every 20 ms until it holds; fail naming `what` after `timeout`.
    func waitUntil(_ what: String, timeout: TimeInterval = 10, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTFail("timed out waiting for \(what)")
    }
}
