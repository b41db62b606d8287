import ChaosTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command and returns its exit status and combined output.
@discardableResult
func sh(_ args: [String], environment: [String: String]? = nil) -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return (127, "cannot run \(args): \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The chaosctl binary built beside this test bundle.
func probePath() throws -> String {
    let path = Chaosctl.binary
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw FixtureFailure(reason: "chaosctl not found at \(path): run `swift build --build-tests` (it builds every product)")
    }
    return path
}

/// Tests that change qdiscs need root and iproute2; elsewhere they skip saying why (fail under CI).
func requireRootAndIproute2() throws {
    guard getuid() == 0 else { throw fixtureUnavailable("needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN for setns): run the tests as root") }
    guard sh(["ip", "-V"]).status == 0, sh(["tc", "-V"]).status == 0 else {
        throw fixtureUnavailable("needs iproute2 (ip, tc): scripts/install-deps.sh installs it")
    }
}

/// Two network namespaces joined by a veth pair: cnva (198.18.0.1/30) in `a`, cnvb
/// (198.18.0.2/30) in `b`. Names carry the PID and a tag so parallel runs do not collide;
/// `destroy()` deletes both namespaces, which deletes the veth and any qdisc on it.
final class NetnsPair {
    let a: String
    let b: String
    let devA = "cnva"
    let devB = "cnvb"
    let addrB = "198.18.0.2"

    init(tag: String) throws {
        a = "cn\(getpid())\(tag)a"
        b = "cn\(getpid())\(tag)b"
        destroy()
        let steps: [[String]] = [
            ["ip", "netns", "add", a], ["ip", "netns", "add", b],
            ["ip", "link", "add", devA, "netns", a, "type", "veth", "peer", "name", devB, "netns", b],
            ["ip", "-n", a, "addr", "add", "198.18.0.1/30", "dev", devA],
            ["ip", "-n", b, "addr", "add", "\(addrB)/30", "dev", devB],
            ["ip", "-n", a, "link", "set", devA, "up"], ["ip", "-n", b, "link", "set", devB, "up"],
            ["ip", "-n", a, "link", "set", "lo", "up"], ["ip", "-n", b, "link", "set", "lo", "up"],
        ]
        for step in steps {
            let r = sh(step)
            if r.status != 0 {
                destroy()
                throw fixtureUnavailable("cannot build the test namespaces (\(step.joined(separator: " ")): \(r.output))")
            }
        }
    }

    func destroy() {
        sh(["ip", "netns", "del", a])
        sh(["ip", "netns", "del", b])
    }

    /// `tc qdisc show dev DEV` inside a namespace.
    func qdiscs(ns: String, dev: String) -> String { sh(["tc", "-n", ns, "qdisc", "show", "dev", dev]).output }

    /// Wait until chaosctl's qdisc (ca05:) is, or is not, on the device.
    func waitForChaosQdisc(ns: String, dev: String, present: Bool, timeout: TimeInterval = 20) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if qdiscs(ns: ns, dev: dev).contains("ca05:") == present { return true }
            usleep(100_000)
        }
        return false
    }
}

/// A fresh state directory for the fault journal.
func temporaryStateDirectory() -> String {
    let dir = NSTemporaryDirectory() + "chaosnet-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A test case with a fresh namespace pair and state directory per test, removed after it.
class NetnsPairTestCase: XCTestCase {
    var pair: NetnsPair!
    var state: String!

    override func setUpWithError() throws {
        try requireRootAndIproute2()
        pair = try NetnsPair(tag: "s")
        state = temporaryStateDirectory()
    }

    override func tearDown() {
        pair?.destroy()
        if let state { try? FileManager.default.removeItem(atPath: state) }
    }
}
