import ArgumentParser
import ChaosCore
import ChaosProxyClient

/// `chaosctl proxy`: the Toxiproxy-compatible proxy server and toxiproxy-cli's proxy
/// commands (same output lines, so scripts keep working).
struct ProxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Run or drive a Toxiproxy-compatible TCP proxy API.",
        subcommands: [ProxyServeCommand.self, ProxyListCommand.self, ProxyCreateCommand.self,
                      ProxyToggleCommand.self, ProxyDeleteCommand.self, ProxyInspectCommand.self])
}

struct ProxyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List proxies (name, listen, upstream, state, toxics).")
    @OptionGroup var connection: ProxyClientOptions

    func run() throws {
        let proxies: [RemoteProxy]
        do {
            proxies = try connection.client().proxies()
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.listFailed(error), error)
        }
        // stdout stays toxiproxy-cli's (nothing for no proxies); a person still reads why.
        if proxies.isEmpty { Failures.printError("no proxies at \(connection.host) (create one with `chaosctl proxy create`)") }
        printProxyText(ToxiproxyCLIText.list(proxies))
    }
}

struct ProxyCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a proxy.",
        discussion: "The proxy is journaled first: `chaosctl status` lists it and `chaosctl recover --all` deletes it.")
    @OptionGroup var connection: ProxyClientOptions
    @OptionGroup var state: StateOptions
    @Option(name: [.short, .long], help: "Address to listen on, HOST:PORT.") var listen: String
    @Option(name: [.short, .long], help: "Upstream to forward to, HOST:PORT.") var upstream: String
    @Argument(help: "Proxy name.") var name: String

    func run() throws {
        do {
            // Detached: the proxy outlives this command until `proxy delete` or `recover --all`.
            let fault = ProxyFault(endpoint: connection.endpoint, name: name, listen: listen, upstream: upstream)
            try Lifecycle.make(journal: state.journal).apply(fault, held: false)
            printProxyText(ToxiproxyCLIText.created(name))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.createFailed(error), error)
        }
    }
}

struct ProxyToggleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "toggle", abstract: "Enable a disabled proxy or disable an enabled one.")
    @OptionGroup var connection: ProxyClientOptions
    @Argument(help: "Proxy name.") var name: String

    func run() throws {
        do {
            printProxyText(ToxiproxyCLIText.toggled(try connection.client().toggle(name)))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.toggleFailed(error, proxy: name), error)
        }
    }
}

struct ProxyDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a proxy and its connections.")
    @OptionGroup var connection: ProxyClientOptions
    @OptionGroup var state: StateOptions
    @Argument(help: "Proxy name.") var name: String

    func run() throws {
        do {
            try connection.client().deleteProxy(name)
            ProxyJournalCleanup.forget(in: state.journal, api: connection.host, proxy: name)
            printProxyText(ToxiproxyCLIText.deleted(name))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.deleteFailed(error, proxy: name), error)
        }
    }
}

struct ProxyInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show a proxy's toxics.")
    @OptionGroup var connection: ProxyClientOptions
    @Argument(help: "Proxy name.") var name: String

    func run() throws {
        do {
            printProxyText(ToxiproxyCLIText.inspect(try connection.client().proxy(name)))
        } catch {
            throw failProxyCommand(ToxiproxyCLIText.retrieveFailed(error, proxy: name), error)
        }
    }
}
