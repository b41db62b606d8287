import Foundation

/// The URL of an HTTP probe, checked before the first sample. Without a scheme libcurl
/// guesses one ("127.0.0.1:8080/health" goes out as plain http, "db:5432" as an unknown
/// scheme), so a missing "http://" would probe something other than what was meant.
enum ProbeURL {
    static func check(_ url: String) throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw ProbeConfigurationError("URL '\(url)' has no scheme: write http://\(url) or https://\(url)")
        }
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else {
            throw ProbeConfigurationError("URL '\(url)' names no host")
        }
    }
}
