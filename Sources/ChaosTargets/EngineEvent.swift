/// One line of the engine's `/events` stream (the fields both Docker and Podman send).
public struct EngineEvent: Decodable, Equatable, Sendable {
    public struct Actor: Decodable, Equatable, Sendable {
        public var id: String
        public var attributes: [String: String]
        enum CodingKeys: String, CodingKey { case id = "ID", attributes = "Attributes" }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
            attributes = try c.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        }
    }

    /// "container", "network", …
    public var type: String
    /// "start", "die", "pause", "connect", …
    public var action: String
    public var actor: Actor?
    /// Seconds since the epoch.
    public var time: Int64?

    enum CodingKeys: String, CodingKey { case type = "Type", action = "Action", actor = "Actor", time }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        action = try c.decodeIfPresent(String.self, forKey: .action) ?? ""
        actor = try c.decodeIfPresent(Actor.self, forKey: .actor)
        time = try c.decodeIfPresent(Int64.self, forKey: .time)
    }
}

extension Array {
    /// nil for an empty array, so optional JSON fields are left out rather than sent empty.
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
