import ChaosJSON
import ChaosProxy
import Dispatch
import Foundation

/// The API's state: every proxy and its toxics, kept in step with the data plane.
/// Each operation runs under one lock and either completes or changes nothing, so the
/// stored state never disagrees with what the data plane runs. Data-plane calls return
/// quickly by contract, so holding the lock across them is fine.
// @unchecked Sendable: all mutable state is guarded by `lock` (see above); the data plane is thread-safe by contract.
public final class ProxyRegistry: @unchecked Sendable {
    private let dataPlane: ProxyDataPlane
    private let lock = NSLock()
    private var proxies: [String: ProxyState] = [:] {
        didSet { changeCounter += 1 }
    }
    /// When each proxy's own fields last changed (a counter), so `reset` can give a
    /// contested listen port to the proxy changed most recently.
    private var lastChange: [String: UInt64] = [:]
    private var changeCounter: UInt64 = 0
    private var closed = false
    private let expiryQueue = DispatchQueue(label: "chaosctl.proxy-api.ttl")

    /// A registry driving `dataPlane`; it owns the proxies it starts.
    public init(dataPlane: ProxyDataPlane) {
        self.dataPlane = dataPlane
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Proxies

    /// All proxies, sorted by name (the order Go's map encoding gives).
    public func list() -> [ProxyState] {
        locked { proxies.values.sorted { $0.name < $1.name } }
    }

    /// One proxy; 404 `proxy not found` when unknown.
    public func proxy(_ name: String) throws -> ProxyState {
        try locked {
            guard let proxy = proxies[name] else { throw APIError.proxyNotFound }
            return proxy
        }
    }

    /// `POST /proxies`: 409 if the name is taken, 500 if the listener cannot bind.
    public func create(_ definition: ProxyDefinition) throws -> ProxyState {
        try locked {
            guard proxies[definition.name] == nil else { throw APIError.proxyExists }
            let proxy = try launch(definition)
            proxies[proxy.name] = proxy
            lastChange[proxy.name] = changeCounter
            armExpiry(for: proxy)
            return proxy
        }
    }

    /// Builds and (when enabled) starts a proxy, its toxics in place before the first
    /// connection. Does not store it.
    private func launch(_ definition: ProxyDefinition) throws -> ProxyState {
        try ListenAddress.validate(definition.listen)
        var proxy = ProxyState(name: definition.name, listen: definition.listen, upstream: definition.upstream,
                               enabled: definition.enabled, toxics: stampExpiry(definition.toxics))
        if proxy.enabled {
            proxy.listen = try start(proxy, listen: proxy.listen)
        }
        return proxy
    }

    private func start(_ proxy: ProxyState, listen: String) throws -> String {
        do {
            return try dataPlane.start(proxy: proxy.name, listen: listen, upstream: proxy.upstream,
                                       toxics: proxy.toxicSpecs)
        } catch {
            // Go's net.Listen names the resolved address in its error, as Toxiproxy prints it.
            throw APIError(status: 500, message: DataPlaneErrorText.listen(ListenAddress.resolved(listen), error))
        }
    }

    /// `POST|PATCH /proxies/{name}`: changes listen, upstream and enabled; the name stays.
    public func update(_ name: String, _ change: ProxyUpdate) throws -> ProxyState {
        try locked {
            guard let old = proxies[name] else { throw APIError.proxyNotFound }
            var new = old
            if let listen = change.listen, listen != old.listen {
                try ListenAddress.validate(listen)
                new.listen = listen
            }
            if let upstream = change.upstream { new.upstream = upstream }
            if let enabled = change.enabled { new.enabled = enabled }

            switch (old.enabled, new.enabled) {
            case (true, false):
                dataPlane.stop(proxy: name)
            case (false, true):
                new.listen = try start(new, listen: new.listen)
            case (true, true) where new.listen != old.listen:
                dataPlane.stop(proxy: name)
                do {
                    new.listen = try start(new, listen: new.listen)
                } catch {
                    // Put the old listener back so a failed update changes nothing.
                    _ = try? start(old, listen: old.listen)
                    throw error
                }
            case (true, true) where new.upstream != old.upstream:
                do {
                    try dataPlane.update(proxy: name, upstream: new.upstream)
                } catch {
                    throw APIError(status: 500, message: "\(error)")
                }
            default:
                break
            }
            proxies[name] = new
            lastChange[name] = changeCounter
            return new
        }
    }

    /// `DELETE /proxies/{name}`.
    public func delete(_ name: String) throws {
        try locked {
            guard let proxy = proxies.removeValue(forKey: name) else { throw APIError.proxyNotFound }
            lastChange[name] = nil
            if proxy.enabled { dataPlane.stop(proxy: name) }
        }
    }

    /// `POST /populate`: creates the proxies, replaces those whose listen or upstream
    /// changed and keeps the others. On any failure every change made here is undone.
    public func populate(_ definitions: [ProxyDefinition]) throws -> [ProxyState] {
        try locked {
            var undo: [(name: String, previous: ProxyState?)] = []
            var result: [ProxyState] = []
            do {
                for definition in definitions {
                    let existing = proxies[definition.name]
                    // Compared resolved, as Toxiproxy does: "localhost:7070" is the proxy
                    // stored as "127.0.0.1:7070", which keeps its toxics.
                    if let existing, ListenAddress.resolved(existing.listen) == ListenAddress.resolved(definition.listen),
                       existing.upstream == definition.upstream {
                        var kept = existing
                        if existing.enabled != definition.enabled || !definition.toxics.isEmpty {
                            undo.append((definition.name, existing))
                            kept = try reconcile(existing, with: definition)
                            proxies[kept.name] = kept
                        }
                        result.append(kept)
                        continue
                    }
                    undo.append((definition.name, existing))
                    if let existing {
                        proxies[existing.name] = nil
                        if existing.enabled { dataPlane.stop(proxy: existing.name) }
                    }
                    let created = try launch(definition)
                    proxies[created.name] = created
                    result.append(created)
                }
            } catch {
                rollBack(undo)
                throw error
            }
            for proxy in result {
                lastChange[proxy.name] = changeCounter
                armExpiry(for: proxy)
            }
            return result
        }
    }

    /// An unchanged proxy named again in `/populate`: apply its enabled flag and, when
    /// given, its toxics.
    private func reconcile(_ existing: ProxyState, with definition: ProxyDefinition) throws -> ProxyState {
        var proxy = existing
        if !definition.toxics.isEmpty { proxy.toxics = stampExpiry(definition.toxics) }
        switch (existing.enabled, definition.enabled) {
        case (true, false):
            dataPlane.stop(proxy: proxy.name)
        case (false, true):
            proxy.listen = try start(proxy, listen: proxy.listen)
        case (true, true):
            dataPlane.setToxics(proxy: proxy.name, toxics: proxy.toxicSpecs)
        case (false, false):
            break
        }
        proxy.enabled = definition.enabled
        return proxy
    }

    private func rollBack(_ undo: [(name: String, previous: ProxyState?)]) {
        for (name, previous) in undo.reversed() {
            if let current = proxies[name], let previous, current.enabled, previous.enabled,
               current.listen == previous.listen, current.upstream == previous.upstream {
                // Only the toxics changed: put them back without dropping connections.
                dataPlane.setToxics(proxy: name, toxics: previous.toxicSpecs)
                proxies[name] = previous
                continue
            }
            if let current = proxies[name], current.enabled { dataPlane.stop(proxy: name) }
            proxies[name] = previous
            if let previous, previous.enabled {
                _ = try? start(previous, listen: previous.listen)
            }
        }
    }

    /// `POST /reset`: every proxy enabled and without toxics. A proxy that cannot be
    /// enabled stays disabled; the first such failure is reported after all are done.
    /// Proxies are enabled most recently changed first, so when two disabled proxies
    /// share a listen address the one the user touched last gets it (Toxiproxy's order
    /// is Go's random map order).
    public func reset() throws {
        try locked {
            var firstFailure: APIError?
            let order = proxies.keys.sorted { (lastChange[$0] ?? 0, $1) > (lastChange[$1] ?? 0, $0) }
            for name in order {
                guard var proxy = proxies[name] else { continue }
                proxy.toxics = []
                if proxy.enabled {
                    dataPlane.setToxics(proxy: name, toxics: [])
                } else {
                    do {
                        proxy.listen = try start(proxy, listen: proxy.listen)
                        proxy.enabled = true
                    } catch let error as APIError {
                        firstFailure = firstFailure ?? error
                    }
                }
                proxies[name] = proxy
            }
            if let firstFailure { throw firstFailure }
        }
    }

    /// Stops every running proxy (server shutdown); the registry refuses nothing after.
    public func stopAll() {
        locked {
            closed = true
            for proxy in proxies.values where proxy.enabled { dataPlane.stop(proxy: proxy.name) }
            proxies = [:]
        }
    }

    // MARK: Toxics

    /// A proxy's toxics in Toxiproxy's listing order (upstream first).
    public func toxics(_ proxyName: String) throws -> [Toxic] {
        try proxy(proxyName).orderedToxics
    }

    /// One toxic; 404 `proxy not found` or `toxic not found`.
    public func toxic(_ proxyName: String, _ toxicName: String) throws -> Toxic {
        let proxy = try proxy(proxyName)
        guard let toxic = proxy.toxics.first(where: { $0.name == toxicName }) else { throw APIError.toxicNotFound }
        return toxic
    }

    /// `POST /proxies/{name}/toxics`.
    public func addToxic(_ proxyName: String, body: JSONValue) throws -> Toxic {
        try locked {
            guard var proxy = proxies[proxyName] else { throw APIError.proxyNotFound }
            let decoded = try ToxicDecoding.decodeNew(body) { name in proxy.toxics.contains { $0.name == name } }
            let toxic = stampExpiry([decoded])[0]
            proxy.toxics.append(toxic)
            commitToxics(proxy)
            armExpiry(for: proxy.name, toxic)
            return toxic
        }
    }

    /// `POST|PATCH /proxies/{name}/toxics/{toxic}`.
    public func updateToxic(_ proxyName: String, _ toxicName: String, body: JSONValue) throws -> Toxic {
        try locked {
            guard var proxy = proxies[proxyName] else { throw APIError.proxyNotFound }
            guard let index = proxy.toxics.firstIndex(where: { $0.name == toxicName }) else {
                throw APIError.toxicNotFound
            }
            let old = proxy.toxics[index]
            var updated = try ToxicDecoding.applyUpdate(body, to: old)
            // A ttl in the body re-arms the toxic from now, even when the value is unchanged.
            if let ttl = body["ttl"], ttl != .null { updated = stampExpiry([updated])[0] }
            proxy.toxics[index] = updated
            commitToxics(proxy)
            if updated.expiresAtNs != old.expiresAtNs { armExpiry(for: proxy.name, updated) }
            return updated
        }
    }

    /// `DELETE /proxies/{name}/toxics/{toxic}`.
    public func removeToxic(_ proxyName: String, _ toxicName: String) throws {
        try locked {
            guard var proxy = proxies[proxyName] else { throw APIError.proxyNotFound }
            guard let index = proxy.toxics.firstIndex(where: { $0.name == toxicName }) else {
                throw APIError.toxicNotFound
            }
            proxy.toxics.remove(at: index)
            commitToxics(proxy)
        }
    }

    private func commitToxics(_ proxy: ProxyState) {
        proxies[proxy.name] = proxy
        if proxy.enabled { dataPlane.setToxics(proxy: proxy.name, toxics: proxy.toxicSpecs) }
    }

    // MARK: ttl (chaosctl extension)

    private func stampExpiry(_ toxics: [Toxic]) -> [Toxic] {
        let now = MonotonicClock.now()
        return toxics.map { toxic in
            var stamped = toxic
            if let ttl = toxic.ttlMs { stamped.expiresAtNs = now + UInt64(ttl) * 1_000_000 }
            return stamped
        }
    }

    private func armExpiry(for proxy: ProxyState) {
        for toxic in proxy.toxics { armExpiry(for: proxy.name, toxic) }
    }

    /// Schedules removal at the toxic's expiry. The timer removes the toxic only if it
    /// still carries the same expiry, so a re-armed or replaced toxic is left alone.
    private func armExpiry(for proxyName: String, _ toxic: Toxic) {
        guard let expiresAt = toxic.expiresAtNs else { return }
        let now = MonotonicClock.now()
        let delayNs = expiresAt > now ? expiresAt - now : 0
        expiryQueue.asyncAfter(deadline: .now() + .nanoseconds(Int(min(delayNs, UInt64(Int.max))))) { [weak self] in
            self?.expire(proxyName, toxic.name, expiresAt)
        }
    }

    private func expire(_ proxyName: String, _ toxicName: String, _ expiresAt: UInt64) {
        locked {
            guard !closed, var proxy = proxies[proxyName],
                  let index = proxy.toxics.firstIndex(where: { $0.name == toxicName && $0.expiresAtNs == expiresAt })
            else { return }
            proxy.toxics.remove(at: index)
            commitToxics(proxy)
        }
    }

    // MARK: Observation (chaosctl extensions)

    /// Live connections of a proxy (none while it is disabled).
    public func connections(_ proxyName: String) throws -> [ConnectionInfo] {
        let proxy = try proxy(proxyName)
        return proxy.enabled ? dataPlane.connections(proxy: proxyName) : []
    }

    /// Every proxy with its counters, for `/metrics`.
    public func countersSnapshot() -> [(ProxyState, ProxyCounters)] {
        list().map { ($0, dataPlane.counters(proxy: $0.name)) }
    }

    public var understudyTakeovers: UInt64 { dataPlane.understudyTakeovers }
}
