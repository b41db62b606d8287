import Foundation
import XCTest

/// A test's dependency or fixture (python3, openssl, a container engine, a namespace, ...)
/// is missing or did not start. Locally that skips the test, saying why; under CI (`CI=true`)
/// it fails it, so a broken fixture can never pass as a skip. The only deliberate skips left
/// in the suite are for what CI runs elsewhere (the netem VM wrapper).
public func fixtureUnavailable(_ reason: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               file: StaticString = #filePath, line: UInt = #line) -> Error {
    if runsUnderCI(environment) { return FixtureFailure(reason: reason, file: file, line: line) }
    return XCTSkip(reason, file: file, line: line)
}

/// Continue only if `available`; otherwise throw `fixtureUnavailable(reason)`.
public func requireFixture(_ available: @autoclosure () throws -> Bool, _ reason: @autoclosure () -> String,
                           file: StaticString = #filePath, line: UInt = #line) throws {
    guard try available() else { throw fixtureUnavailable(reason(), file: file, line: line) }
}

/// `CI=true` (or `CI=1`), as CI services set it.
public func runsUnderCI(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    guard let value = environment["CI"]?.lowercased() else { return false }
    return value == "true" || value == "1"
}

/// Thrown out of a test, XCTest records it as a failure ("threw error ..."), once, with
/// this description; the source location is in the text because XCTest does not know it.
public struct FixtureFailure: Error, CustomStringConvertible {
    public let reason: String
    public let file: StaticString
    public let line: UInt

    public init(reason: String, file: StaticString = #filePath, line: UInt = #line) {
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line): fixture unavailable under CI: \(reason)" }
}
