import ArgumentParser
import ChaosCore
import ChaosProxy
import ChaosProxyAPI
import Dispatch
import Foundation

/// `chaosctl proxy serve`: the Toxiproxy-compatible API (default 127.0.0.1:8474) over
/// chaosctl's epoll data plane, until SIGINT/SIGTERM.
struct ProxyServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the Toxiproxy-compatible proxy server.",
        discussion: "Prints one line when the API is listening, then serves until SIGINT or SIGTERM. Exit status 2 for an address that does not resolve or is not this host's, 8 when the port is taken.")

    @Option(help: "Address the API binds.") var host: String = ToxiproxyServer.defaultHost
    @Option(help: "Port the API binds.") var port: UInt16 = ToxiproxyServer.defaultPort
    @Option(help: "Toxiproxy config file: a JSON array of proxies (chaosctl also reads their toxics).") var config: String?
    @Option(help: "Require 'Authorization: Bearer TOKEN' on every API call (also CHAOSCTL_PROXY_TOKEN).")
    var token: String?
    @Option(help: "Seed for toxicity and jitter draws, for reproducible runs.") var seed: UInt64?
    @Option(help: "Event-loop threads (default: one per core).") var loops: Int?
    @Option(name: .customLong("timer-spin-us"),
            help: ArgumentHelp("How long before a toxic's deadline a loop polls instead of sleeping: 'auto' (learned from the machine's wake-up latency, at most 5 ms and 10 % of a core), 0 (always sleep) or a number of microseconds.",
                               valueName: "auto|N"),
            transform: { argument in
                guard let spin = TimerSpin(argument: argument) else {
                    throw ValidationError("--timer-spin-us: '\(argument)' is not 'auto', 'off' or a number of microseconds from 0 to 1000000")
                }
                return spin
            })
    var timerSpin: TimerSpin = .automatic
    @Option(name: .customLong("timer-understudy"),
            help: ArgumentHelp("A second thread per loop that fires a toxic's deadline when the loop's own thread was not running (a VM whose vCPU the host took away): 'on' (default; no effect on one CPU) or 'off'.",
                               valueName: "on|off"),
            transform: { argument in
                switch argument.lowercased() {
                case "on": return true
                case "off": return false
                default: throw ValidationError("--timer-understudy: '\(argument)' is not 'on' or 'off'")
                }
            })
    var timerUnderstudy: Bool = true

    func run() throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["CHAOSCTL_PROXY_TOKEN"]
        // Trap before the listening line: whoever reads it may send SIGTERM at once, and that
        // is still the normal stop (exit 0), not a kill.
        let stop = DispatchSemaphore(value: 0)
        let trap = SignalTrap { _ in stop.signal() }
        defer { trap.cancel() }
        let (server, dataPlane, proxies) = try Failures.reporting {
            let proxies = try config.map { try ProxyConfigLoader.load(path: $0) } ?? []
            let dataPlane = EpollProxyEngine(loops: loops ?? ProcessInfo.processInfo.activeProcessorCount, seed: seed,
                                             timerSpin: timerSpin, timerUnderstudy: timerUnderstudy)
            let server = ToxiproxyServer(dataPlane: dataPlane, host: host, port: port, token: token, config: proxies)
            do { try server.start() } catch { dataPlane.shutdown(); throw error }
            return (server, dataPlane, proxies)
        }
        defer { dataPlane.shutdown() }
        if ToxiproxyServer.exposedWithoutToken(host: host, token: token) {
            Failures.printWarning("the API on \(host) takes calls from any host that reaches it, with no token: anyone can add toxics. Give --token (or CHAOSCTL_PROXY_TOKEN), or bind 127.0.0.1.")
        }
        print("chaosctl proxy API on http://\(host):\(server.port) (Toxiproxy \(APIRouter.compatibleVersion) compatible), \(proxies.count) proxies from config")
        stop.wait()
        server.stop()
    }
}
