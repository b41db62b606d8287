import ArgumentParser
import ChaosProxyAPI

/// `chaosctl toxic add|update|remove`: toxiproxy-cli's toxic commands.
struct ToxicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toxic",
        abstract: "Add, update or remove toxics on a Toxiproxy-compatible proxy.",
        subcommands: [ToxicAddCommand.self, ToxicUpdateCommand.self, ToxicRemoveCommand.self])
}

struct ToxicAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a toxic.")
    @OptionGroup var connection: ProxyClientOptions
    @Option(name: [.short, .customLong("toxicName")], help: "Toxic name (default TYPE_STREAM).") var name: String?
    @Option(name: [.short, .long], help: "Toxic type: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop, refuse_connections, reset_connections.")
    var type: String
    @Flag(name: [.short, .long], help: "Act on client → server data.") var upstream = false
    @Flag(name: [.short, .long], help: "Act on server → client data (the default).") var downstream = false
    @Option(name: .customLong("tox"), help: "Toxicity: probability (0…1) a connection is affected.") var toxicity: Double = 1
    @Option(name: [.short, .customLong("attribute")], help: "Attribute as key=integer; repeatable.") var attributes: [String] = []
    @Argument(help: "Proxy name.") var proxy: String

    func run() throws {
        do {
            let parsed = try ToxiproxyCLIText.attributes(attributes)
            let toxic = try connection.client().addToxic(proxy: proxy, name: name, type: type,
                                                         stream: upstream ? "upstream" : "downstream",
                                                         toxicity: toxicity, attributes: parsed)
            printProxyText(ToxiproxyCLIText.toxicAdded(toxic, proxy: proxy))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.addToxicFailed(error, proxy: proxy), error)
        }
    }
}

struct ToxicUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Update a toxic's attributes and toxicity.")
    @OptionGroup var connection: ProxyClientOptions
    @Option(name: [.short, .customLong("toxicName")], help: "Toxic name.") var name: String
    @Option(name: .customLong("tox"), help: "Toxicity (sent every time, as toxiproxy-cli does).") var toxicity: Double = 1
    @Option(name: [.short, .customLong("attribute")], help: "Attribute as key=integer; repeatable.") var attributes: [String] = []
    @Argument(help: "Proxy name.") var proxy: String

    func run() throws {
        do {
            _ = try connection.client().updateToxic(proxy: proxy, name: name, toxicity: toxicity,
                                                    attributes: try ToxiproxyCLIText.attributes(attributes))
            printProxyText(ToxiproxyCLIText.toxicUpdated(name, proxy: proxy))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.updateToxicFailed(error, proxy: proxy), error)
        }
    }
}

struct ToxicRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a toxic.", aliases: ["delete"])
    @OptionGroup var connection: ProxyClientOptions
    @Option(name: [.short, .customLong("toxicName")], help: "Toxic name.") var name: String
    @Argument(help: "Proxy name.") var proxy: String

    func run() throws {
        do {
            try connection.client().removeToxic(proxy: proxy, name: name)
            printProxyText(ToxiproxyCLIText.toxicRemoved(name, proxy: proxy))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.removeToxicFailed(error, proxy: proxy), error)
        }
    }
}
