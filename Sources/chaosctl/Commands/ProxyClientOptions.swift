import ArgumentParser
import ChaosCore
import ChaosProxyClient
import Foundation

/// Where the Toxiproxy-compatible API is (chaosctl's own or a real Toxiproxy).
struct ProxyClientOptions: ParsableArguments {
    @Option(name: .customLong("host"),
            help: "Toxiproxy API address (also TOXIPROXY_URL).")
    var host: String = ProcessInfo.processInfo.environment["TOXIPROXY_URL"] ?? "http://127.0.0.1:8474"

    @Option(help: "Bearer token for a chaosctl server started with --token (also CHAOSCTL_PROXY_TOKEN).")
    var token: String?

    func client() throws -> ToxiproxyClient {
        try ToxiproxyClient(baseURL: host, token: resolvedToken)
    }

    /// The token from `--token`, else the environment (where `recover` will look for it too).
    var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment[ToxiproxyEndpoint.tokenVariable] }

    /// The server as journaled fault records name it.
    var endpoint: ToxiproxyEndpoint { ToxiproxyEndpoint(api: host, token: resolvedToken) }
}

/// Prints toxiproxy-cli's failure text on stderr and exits with chaosctl's exit code
/// for the failure (1 for anything without a more specific one).
func failProxyCommand(_ text: String, _ error: Error) -> Error {
    FileHandle.standardError.write(Data(text.utf8))
    let code = (error as? ChaosFailure)?.exitCode.rawValue ?? ChaosCore.ExitCode.failure.rawValue
    return ArgumentParser.ExitCode(code)
}

/// Writes toxiproxy-cli's success text on stdout.
func printProxyText(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
