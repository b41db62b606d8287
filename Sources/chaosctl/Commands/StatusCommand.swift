import ArgumentParser
import ChaosCore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List the faults chaosctl holds (flags, proxies, qdiscs, containers) and recent events.")

    @OptionGroup var state: StateOptions
    @Flag(name: .long, help: "Print JSON for scripts.") var json = false
    @Option(name: .long, help: "How many recent one-shot events to show.") var events = 10

    func run() throws {
        try Failures.reporting {
            let journal = state.journal
            let (records, problems) = journal.records()
            let recent = events > 0 ? journal.events(limit: events) : []
            if json {
                let payload = StatusReport(stateDir: journal.directory, faults: records.map(StatusReport.Fault.init), events: recent, problems: problems)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(payload), as: UTF8.self))
                return
            }
            if records.isEmpty {
                print("No active faults (state directory \(journal.directory)).")
            } else {
                var table = TextTable(headers: ["ID", "KIND", "TARGET", "FAULT", "HELD BY", "EXPIRES"])
                let now = Date()
                for r in records {
                    table.add([r.id, r.kind, r.target, r.summary, Self.holder(r), Self.expiry(r, now: now)])
                }
                print(table.render())
            }
            for p in problems { Failures.printError(p) }
            if !recent.isEmpty {
                print("\nRecent events:")
                let formatter = ISO8601DateFormatter()
                for e in recent { print("  \(formatter.string(from: e.at))  \(e.kind)  \(e.target)  \(e.summary)") }
            }
        }
    }

    static func holder(_ r: FaultRecord) -> String {
        guard let owner = r.owner else { return "detached" }
        let alive = ProcessIdentity.isAlive(owner)
        return "pid \(owner.pid)" + (alive ? "" : " (gone: run `chaosctl recover`)")
    }

    static func expiry(_ r: FaultRecord, now: Date) -> String {
        guard let at = r.expiresAt else { return "-" }
        let left = at.timeIntervalSince(now)
        return left <= 0 ? "expired" : "in " + DurationParser.format(left)
    }
}

/// `status --json` shape: stable for scripts.
struct StatusReport: Encodable {
    struct Fault: Encodable {
        var id, kind, target, summary, state: String
        var createdAt: Date
        var expiresAt: Date?
        var ownerPid: Int32?
        var ownerAlive: Bool?
        init(_ r: FaultRecord) {
            id = r.id; kind = r.kind; target = r.target; summary = r.summary; state = r.state.rawValue
            createdAt = r.createdAt; expiresAt = r.expiresAt
            ownerPid = r.owner?.pid
            ownerAlive = r.owner.map(ProcessIdentity.isAlive)
        }
        enum CodingKeys: String, CodingKey {
            case id, kind, target, summary, state
            case createdAt = "created_at", expiresAt = "expires_at", ownerPid = "owner_pid", ownerAlive = "owner_alive"
        }
    }
    var stateDir: String
    var faults: [Fault]
    var events: [FaultJournal.Event]
    var problems: [String]
    enum CodingKeys: String, CodingKey { case stateDir = "state_dir", faults, events, problems }
}
