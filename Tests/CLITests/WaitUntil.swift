import ChaosTestSupport
import Foundation
import XCTest

extension XCTestCase {
    /// Poll `condition` every 20 ms until it holds; fail naming `what` after `timeout`.
    func waitUntil(_ what: String, timeout: TimeInterval = 10, _ condition: () throws -> Bool) throws {
        if try !pollUntil(timeout: timeout, every: 0.02, condition) { XCTFail("timed out waiting for \(what)") }
    }
}
