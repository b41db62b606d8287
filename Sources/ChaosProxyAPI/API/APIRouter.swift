import ChaosHTTPServer
import ChaosJSON
import Foundation

/// Maps requests to registry operations with Toxiproxy 2.12's routing rules: exact
/// paths (a trailing slash is a 404), 405 with an empty body for a known path with
/// another method, a request id and the browser check only on matched routes.
public final class APIRouter: Sendable {
    /// The Toxiproxy API version chaosctl's server is compatible with, reported by /version.
    public static let compatibleVersion = "2.12.0"

    private let registry: ProxyRegistry
    private let token: String?
    private let requestIDs = RequestIDGenerator()

    /// Routes over `registry`; a non-nil `token` requires `Authorization: Bearer <token>`.
    public init(registry: ProxyRegistry, token: String?) {
        self.registry = registry
        self.token = token
    }

    private enum Route {
        case version, proxies, populate, reset, metrics
        case proxy(String), toxics(String), toxic(String, String), connections(String)

        var methods: [String] {
            switch self {
            case .version, .metrics, .connections: return ["GET"]
            case .proxies, .toxics: return ["GET", "POST"]
            case .populate, .reset: return ["POST"]
            case .proxy, .toxic: return ["GET", "POST", "PATCH", "DELETE"]
            }
        }
    }

    /// Matches on the path split first and decoded per segment, so a name holding an
    /// encoded "/" ("a%2Fb") is one segment, as gorilla/mux matches Toxiproxy's routes.
    private func match(_ request: HTTPServerRequest) -> Route? {
        guard request.rawPath.hasPrefix("/") else { return nil }
        let segments = request.pathSegments
        guard !segments.contains(where: \.isEmpty) else { return nil }
        switch (segments.count, segments.first) {
        case (1, "version"): return .version
        case (1, "proxies"): return .proxies
        case (1, "populate"): return .populate
        case (1, "reset"): return .reset
        case (1, "metrics"): return .metrics
        case (2, "proxies"): return .proxy(segments[1])
        case (3, "proxies") where segments[2] == "toxics": return .toxics(segments[1])
        case (3, "proxies") where segments[2] == "connections": return .connections(segments[1])
        case (4, "proxies") where segments[2] == "toxics": return .toxic(segments[1], segments[3])
        default: return nil
        }
    }

    /// The response to one request; never throws and never blocks on traffic.
    public func handle(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let route = match(request) else { return ToxiproxyResponses.notFound }
        guard route.methods.contains(request.method) else { return ToxiproxyResponses.methodNotAllowed }
        let requestID = requestIDs.next()
        if request.header("User-Agent")?.hasPrefix("Mozilla/") == true {
            return ToxiproxyResponses.plainError(403, "User agent not allowed", requestID: requestID)
        }
        if let token, !Self.authorized(request, token: token) {
            return ToxiproxyResponses.error(APIError(status: 401, message: "unauthorized: missing or wrong bearer token"),
                                            requestID: requestID, extraHeaders: [("Www-Authenticate", "Bearer")])
        }
        if case .populate = route { return populate(request, requestID: requestID) }
        do {
            return try dispatch(route, request, requestID: requestID)
        } catch let error as APIError {
            return ToxiproxyResponses.error(error, requestID: requestID)
        } catch {
            return ToxiproxyResponses.error(APIError(status: 500, message: "\(error)"), requestID: requestID)
        }
    }

    /// Compares the bearer token in constant time, so timing does not reveal a prefix.
    static func authorized(_ request: HTTPServerRequest, token: String) -> Bool {
        guard let header = request.header("Authorization"), header.lowercased().hasPrefix("bearer ") else {
            return false
        }
        let given = Array(header.dropFirst(7).trimmedOWS.utf8)
        let expected = Array(token.utf8)
        var difference = given.count ^ expected.count
        for index in 0..<expected.count {
            difference |= Int(expected[index] ^ (index < given.count ? given[index] : 0))
        }
        return difference == 0
    }

    private func body(_ request: HTTPServerRequest) throws -> JSONValue {
        do { return try JSONParser.parse(request.body) } catch { throw APIError.badRequestBody(error) }
    }

    private func dispatch(_ route: Route, _ request: HTTPServerRequest, requestID: String) throws -> HTTPServerResponse {
        let now = MonotonicClock.now()
        func ok(_ json: String, status: Int = 200) -> HTTPServerResponse {
            ToxiproxyResponses.json(status, json, requestID: requestID)
        }
        switch (route, request.method) {
        case (.version, _):
            return ToxiproxyResponses.json(200, "{\"version\": \"\(Self.compatibleVersion)\"}\n",
                                           requestID: requestID, contentType: "application/json;charset=utf-8")
        case (.proxies, "GET"):
            return ok(JSONWriter.object(registry.list().map { ($0.name, $0.json(nowNs: now)) }))
        case (.proxies, _):
            let definition = try ProxyDefinition.decode(try body(request))
            try definition.checkRequired()
            return ok(try registry.create(definition).json(nowNs: now), status: 201)
        case (.reset, _):
            try registry.reset()
            return ToxiproxyResponses.noContent(requestID: requestID)
        case (.metrics, _):
            return HTTPServerResponse(status: 200, headers: [("Content-Type", PrometheusRenderer.contentType)],
                                text: PrometheusRenderer.render(registry.countersSnapshot(),
                                                                 understudyTakeovers: registry.understudyTakeovers))
        case (.proxy(let name), "GET"):
            return ok(try registry.proxy(name).json(nowNs: now))
        case (.proxy(let name), "DELETE"):
            try registry.delete(name)
            return ToxiproxyResponses.noContent(requestID: requestID)
        case (.proxy(let name), _):
            _ = try registry.proxy(name)
            let change = try ProxyUpdate.decode(try body(request))
            return ok(try registry.update(name, change).json(nowNs: now))
        case (.toxics(let name), "GET"):
            return ok(JSONWriter.array(try registry.toxics(name).map { $0.json(nowNs: now) }))
        case (.toxics(let name), _):
            _ = try registry.proxy(name)
            return ok(try registry.addToxic(name, body: try body(request)).json(nowNs: now))
        case (.toxic(let proxy, let toxic), "GET"):
            return ok(try registry.toxic(proxy, toxic).json(nowNs: now))
        case (.toxic(let proxy, let toxic), "DELETE"):
            try registry.removeToxic(proxy, toxic)
            return ToxiproxyResponses.noContent(requestID: requestID)
        case (.toxic(let proxy, let toxic), _):
            _ = try registry.toxic(proxy, toxic)
            return ok(try registry.updateToxic(proxy, toxic, body: try body(request)).json(nowNs: now))
        case (.connections(let name), _):
            return ok(ConnectionsJSON.render(try registry.connections(name)))
        case (.populate, _):
            return populate(request, requestID: requestID)
        }
    }

    /// Go's name for the element type `/populate` decodes into, shown in its type errors.
    static let populateElementType = "struct { toxiproxy.Proxy; Enabled *bool \"json:\\\"enabled\\\"\" }"

    private func populate(_ request: HTTPServerRequest, requestID: String) -> HTTPServerResponse {
        do {
            let value: JSONValue
            do { value = try JSONParser.parse(request.body) } catch { throw APIError.badRequestBody(error) }
            guard case .array(let items) = value else {
                throw APIError.badRequestBody(JSONTypeError(message:
                    "json: cannot unmarshal \(value.goKindName) into Go value of type []\(Self.populateElementType)"))
            }
            let definitions = try items.map { try ProxyDefinition.decode($0, goType: Self.populateElementType) }
            for (index, definition) in definitions.enumerated() {
                try definition.checkRequired(suffix: " at proxy \(index + 1)")
            }
            let created = try registry.populate(definitions)
            let now = MonotonicClock.now()
            let list = created.isEmpty ? "null" : JSONWriter.array(created.map { $0.json(nowNs: now) })
            return ToxiproxyResponses.json(201, JSONWriter.object([("proxies", list)]), requestID: requestID)
        } catch let error as APIError {
            return ToxiproxyResponses.populateError(error, requestID: requestID)
        } catch {
            return ToxiproxyResponses.populateError(APIError(status: 500, message: "\(error)"), requestID: requestID)
        }
    }
}
