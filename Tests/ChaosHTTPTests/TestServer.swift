import ChaosTestSupport
import Foundation
import XCTest

/// Runs Fixtures/test_server.py on loopback (or a private unix socket) for one test and
/// stops it by PID afterwards.
final class TestServer {
    let process = Process()
    /// TCP port, or 0 for a unix-socket server.
    private(set) var port = 0

    static var fixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }

    init(arguments: [String]) throws {
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestServer.fixtures + "/test_server.py"] + arguments
        process.standardOutput = out
        try process.run()
        // First line is "READY <port|path>"; bounded wait so a broken fixture fails the test.
        let handle = out.fileHandleForReading
        var buffer = Data()
        let deadline = Date().addingTimeInterval(15)
        while !buffer.contains(UInt8(ascii: "\n")) && Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("READY ") else {
            stop()
            throw fixtureUnavailable("test server did not start (python3 missing?): \(line)")
        }
        port = Int(line.dropFirst(6)) ?? 0
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// A throwaway CA, server and client certificate made with openssl for one test class.
struct TestPKI {
    let directory: String
    var caCert: String { directory + "/ca.pem" }
    var serverCert: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }
    var clientCert: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }
    var otherCACert: String { directory + "/other-ca.pem" }

    static func make() throws -> TestPKI {
        let dir = NSTemporaryDirectory() + "chaoshttp-pki-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pki = TestPKI(directory: dir)
        let script = """
        set -e
        cd '\(dir)'
        cat > san.ext <<'X'
        subjectAltName=DNS:localhost,IP:127.0.0.1
        X
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=chaos-test-ca 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=other-ca 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=chaos-client 2>/dev/null
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 2>/dev/null
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw fixtureUnavailable("openssl could not make test certificates") }
        return pki
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
