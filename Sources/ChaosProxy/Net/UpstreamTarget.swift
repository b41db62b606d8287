/// Where a proxy dials. Like Toxiproxy, which dials its upstream per connection, a proxy
/// accepts an upstream it cannot resolve: every connection is then closed at once, as a
/// failed dial would be. Only numeric hosts and `localhost` resolve (no resolver is ever
/// called, on any thread, so no API call can block on DNS).
enum UpstreamTarget: Sendable {
    case resolved(SocketAddress)
    case unresolved(text: String, reason: String)

    init(_ text: String) {
        do {
            self = .resolved(try SocketAddress(parsing: text, field: "upstream"))
        } catch {
            self = .unresolved(text: text, reason: String(describing: error))
        }
    }
}
