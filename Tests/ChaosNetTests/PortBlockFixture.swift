import ChaosTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Port-block tests need nft (package nftables) to read the ruleset as the kernel has it.
func requireNft() throws {
    guard sh(["nft", "--version"]).status == 0 else {
        throw fixtureUnavailable("needs nft (package nftables; scripts/install-deps.sh installs it)")
    }
}

extension NetnsPair {
    /// `nft list ruleset` inside a namespace, with the counters' figures taken out.
    func ruleset(ns: String) -> String {
        sh(["ip", "netns", "exec", ns, "nft", "list", "ruleset"]).output
                .replacingOccurrences(of: " packets [0-9]+ bytes [0-9]+", with: "", options: .regularExpression)
    }

    /// The names of the tables in a namespace's ruleset.
    func tables(ns: String) -> [String] {
        ruleset(ns: ns).split(separator: "\n").filter { $0.hasPrefix("table ") }
            .map { $0.split(separator: " ")[2].trimmingCharacters(in: CharacterSet(charactersIn: "{ ")) }
    }

    /// Wait until a chaosctl block table is, or is not, in the namespace.
    func waitForBlockTable(ns: String, present: Bool, timeout: TimeInterval = 20) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if tables(ns: ns).contains(where: { $0.hasPrefix("chaosctl_block_") }) == present { return true }
            usleep(100_000)
        }
        return false
    }

    /// A TCP (or UDP echo) server on addrB:port in namespace b, for up to 60 s. Ended by PID.
    func startServer(port: Int, udp: Bool = false) throws -> Process {
        let script = udp
            ? """
              import socket, time
              s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('\(addrB)', \(port))); s.settimeout(60)
              end = time.time() + 60
              while time.time() < end:
                  try:
                      data, peer = s.recvfrom(100); s.sendto(data, peer)
                  except socket.timeout:
                      break
              """
            : """
              import socket
              s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
              s.bind(('\(addrB)', \(port))); s.listen(64); s.settimeout(60)
              while True:
                  c, _ = s.accept(); c.close()
              """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ip", "netns", "exec", b, "python3", "-c", script]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Listening once a connect (or echo) from a succeeds.
        let end = Date().addingTimeInterval(10)
        while Date() < end {
            if connect(port: port, udp: udp) == "ok" { return p }
            usleep(100_000)
        }
        kill(p.processIdentifier, SIGKILL)
        throw FixtureFailure(reason: "the test server on \(addrB):\(port) in \(b) never answered")
    }

    /// One connect (TCP) or echo (UDP) from namespace a to addrB:port, bounded by 1.5 s:
    /// "ok", "refused", "timeout", or the error's name.
    func connect(port: Int, udp: Bool = false) -> String {
        let script = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if \(udp ? "True" : "False") else socket.SOCK_STREAM)
            s.settimeout(1.5)
            try:
                s.connect(('\(addrB)', \(port)))
                if \(udp ? "True" : "False"):
                    s.send(b'ping'); s.recv(100)
                print('ok')
            except ConnectionRefusedError:
                print('refused')
            except socket.timeout:
                print('timeout')
            except OSError as e:
                print(type(e).__name__, e.errno)
            """
        return sh(["ip", "netns", "exec", a, "python3", "-c", script]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
