import ChaosTestSupport
import Foundation
import XCTest

/// The scripted Podman engine of ChaosTargetsTests (Fixtures/fake_engine.py, python3) on a
/// unix socket in `directory`: one `web-1` container labelled app=web. Stopped by its pid.
final class FakePodmanEngine {
    let socket: String
    private let process = Process()

    init(directory: String) throws {
        socket = directory + "/engine.sock"
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ChaosTargetsTests/Fixtures/fake_engine.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixture, socket, "1.41", "Libpod/4.3.1 (linux)"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        guard String(decoding: out.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("READY") else {
            stop()
            throw fixtureUnavailable("python3 fake engine did not start")
        }
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
