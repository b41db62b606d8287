import Foundation
import XCTest

/// Measures TCP goodput from namespace `a` to namespace `b`: a python3 receiver in `b`
/// counts bytes from the first one to EOF; a sender in `a` writes `bytes` and closes.
enum TcpThroughput {
    static let python: String = {
        for p in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: p) { return p }
        return "python3"
    }()

    private static let receiver = """
        import socket, sys, time
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(30)
        c, _ = s.accept(); c.settimeout(30)
        n, t0 = 0, None
        while True:
            b = c.recv(1 << 16)
            if not b: break
            if t0 is None: t0 = time.monotonic()
            n += len(b)
        print(n, time.monotonic() - t0)
        """

    private static let sender = """
        import socket, sys, time
        deadline = time.monotonic() + 10
        while True:
            try:
                s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5); break
            except OSError:
                if time.monotonic() > deadline: raise
                time.sleep(0.05)
        s.settimeout(60)
        chunk = b"x" * 65536; left = int(sys.argv[3])
        while left > 0:
            s.sendall(chunk[:min(left, len(chunk))]); left -= min(left, len(chunk))
        s.close()
        """

    /// Bytes per second observed by the receiver.
    static func measure(_ pair: NetnsPair, bytes: Int, port: Int = 5201) throws -> Double {
        let rx = Process()
        rx.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        rx.arguments = ["ip", "netns", "exec", pair.b, "timeout", "90", python, "-c", receiver, pair.addrB, "\(port)"]
        let out = Pipe()
        rx.standardOutput = out
        rx.standardError = out
        try rx.run()
        let tx = sh(["ip", "netns", "exec", pair.a, "timeout", "90", python, "-c", sender, pair.addrB, "\(port)", "\(bytes)"])
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        rx.waitUntilExit()
        guard tx.status == 0 else { XCTFail("sender failed (\(tx.status)): \(tx.output)"); return 0 }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, let n = Int(fields[0]), let seconds = Double(fields[1]), n == bytes, seconds > 0 else {
            XCTFail("receiver said '\(text)'")
            return 0
        }
        return Double(n) / seconds
    }
}
