import ArgumentParser
import ChaosCore
import ChaosProxyClient
import ChaosProxyModel
import Foundation

/// `chaosctl toxic add|update|remove`: toxiproxy-cli's toxic commands.
struct ToxicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toxic",
        abstract: "Add, update or remove toxics on a Toxiproxy-compatible proxy.",
        subcommands: [ToxicAddCommand.self, ToxicUpdateCommand.self, ToxicRemoveCommand.self])
}

struct ToxicAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a toxic.",
        discussion: """
            The toxic is journaled first, so `chaosctl status` lists it and `chaosctl recover` removes it. With --for, chaosctl stays in the foreground and removes the toxic on expiry, SIGINT or SIGTERM (after a SIGKILL, `chaosctl recover` does). --ttl (or -a ttl=30s) instead asks the server to remove it, with no process holding it.

            Options are toxiproxy-cli's (-n/--toxicName, -t/--type, --tox/--toxicity, -a/--attribute, -u/--upstream, -d/--downstream); an attribute the type does not have is refused. Examples:
              chaosctl toxic add -t latency -a latency=150ms -a jitter=20ms db
              chaosctl toxic add -t timeout -a timeout=2s --for 30s db
            """)
    @OptionGroup var connection: ProxyClientOptions
    @OptionGroup var state: StateOptions
    @Option(name: [.short, .customLong("toxicName")], help: "Toxic name (default TYPE_STREAM).") var name: String?
    @Option(name: [.short, .long], help: "Toxic type: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop, refuse_connections, reset_connections.")
    var type: String
    @Flag(name: [.short, .long], help: "Act on client → server data.") var upstream = false
    @Flag(name: [.short, .long], help: "Act on server → client data (the default).") var downstream = false
    @Option(name: [.customLong("toxicity"), .customLong("tox")], help: "Toxicity: probability (0…1) a connection is affected.") var toxicity: Double = 1
    @Option(name: [.short, .customLong("attribute")], help: "Attribute as key=value; repeatable. Time attributes take a unit (latency=150ms) or their own unit (ms; µs for slicer's delay). ttl=DURATION sets --ttl.")
    var attributes: [String] = []
    @Option(name: .customLong("for"), help: "Hold the toxic in the foreground for this long (e.g. 30s, 5m), then remove it.")
    var holdFor: String?
    @Option(help: "Server-side ttl (chaosctl extension): the server removes the toxic after this long (ms or e.g. 30s).")
    var ttl: String?
    @Argument(help: "Proxy name.") var proxy: String

    func run() throws {
        let fault: ToxicFault
        let holdSeconds: Double?
        do {
            holdSeconds = try FaultHoldRun.seconds(holdFor)
            fault = ToxicFault(endpoint: connection.endpoint, options: try ToxiproxyCLIText.toxicOptions(
                proxy: proxy, name: name, type: type, upstream: upstream, toxicity: toxicity,
                attributePairs: attributes, ttl: ttl))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.addToxicFailed(error, proxy: proxy), error)
        }
        let lifecycle = Lifecycle.make(journal: state.journal)
        let added = "Added \(fault.options.stream) \(fault.options.type) toxic '\(fault.name.escapingControlCharacters)' on proxy '\(proxy.escapingControlCharacters)'\n"
        guard let holdSeconds else {
            do { try lifecycle.apply(fault, held: false, expiresAt: nil) } catch {
                throw failProxyCommand(ToxiproxyCLIText.addToxicFailed(error, proxy: proxy), error)
            }
            printProxyText(added)
            return
        }
        // Held in the foreground: the one apply-hold-revert sequence, which catches
        // SIGINT/SIGTERM before the toxic exists, so no signal can strand it.
        let outcome: FaultHoldRun.Outcome
        do {
            outcome = try FaultHoldRun(lifecycle, seconds: holdSeconds).run(fault) { _ in printProxyText(added) }
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.addToxicFailed(error, proxy: proxy), error)
        }
        for (_, error) in outcome.failures {
            FileHandleOutput.note("could not remove toxic '\(fault.name)' from proxy '\(proxy)': \(error) (run `chaosctl recover`)")
        }
        for note in outcome.leftAlone { FileHandleOutput.note(note) }
        if outcome.failures.isEmpty { printProxyText(ToxiproxyCLIText.toxicRemoved(fault.name, proxy: proxy)) }
        if case .signal(let sig) = outcome.ending { throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig)) }
        if !outcome.failures.isEmpty { throw ArgumentParser.ExitCode(ChaosCore.ExitCode.failure.rawValue) }
    }
}

struct ToxicUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Update a toxic's attributes and toxicity.")
    @OptionGroup var connection: ProxyClientOptions
    @Option(name: [.short, .customLong("toxicName")], help: "Toxic name.") var name: String
    @Option(name: [.customLong("toxicity"), .customLong("tox")], help: "Toxicity (sent every time, as toxiproxy-cli does).") var toxicity: Double = 1
    @Option(name: [.short, .customLong("attribute")], help: "Attribute as key=value, as on add; repeatable.") var attributes: [String] = []
    @Argument(help: "Proxy name.") var proxy: String

    func run() throws {
        do {
            let client = try connection.client()
            _ = try client.updateToxic(proxy: proxy, name: name, toxicity: toxicity,
                                       attributes: try checkedAttributes(client))
            printProxyText(ToxiproxyCLIText.toxicUpdated(name, proxy: proxy))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.updateToxicFailed(error, proxy: proxy), error)
        }
    }

    /// The attributes checked against the toxic's type, which only the server knows.
    private func checkedAttributes(_ client: ToxiproxyClient) throws -> [String: Int64] {
        guard !attributes.isEmpty else { return [:] }
        let type = try client.proxy(proxy).toxics.first { $0.name == name }?.type
        guard let type, ToxicType(rawValue: type) != nil else { return try ToxicAttributeInput.parseUntyped(attributes) }
        return try ToxicAttributeInput.parse(attributes, type: type)
    }
}

struct ToxicRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a toxic.", aliases: ["delete"])
    @OptionGroup var connection: ProxyClientOptions
    @OptionGroup var state: StateOptions
    @Option(name: [.short, .customLong("toxicName")], help: "Toxic name.") var name: String
    @Argument(help: "Proxy name.") var proxy: String

    func run() throws {
        do {
            try connection.client().removeToxic(proxy: proxy, name: name)
            ProxyJournalCleanup.forget(in: state.journal, api: connection.host, proxy: proxy, toxic: name)
            printProxyText(ToxiproxyCLIText.toxicRemoved(name, proxy: proxy))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.removeToxicFailed(error, proxy: proxy), error)
        }
    }
}
