import ArgumentParser
import ChaosCore
import ChaosFlags
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List the faults chaosctl holds (flags, proxies, qdiscs, containers) and recent events.",
        discussion: """
        A flag fault is listed one line per flag, compared with the control file as it is now: "in force", "expired (still in the file)", "superseded by record ID" (a later write replaced it; its revert will leave that write alone), "removed since", or "not applied" (its apply failed or is still running).
        """)

    @OptionGroup var state: StateOptions
    @Flag(name: .long, help: "Print JSON for scripts.") var json = false
    @Option(name: .long, parsing: .unconditional, help: "How many recent one-shot events to show (0 for none).") var events = 10

    func validate() throws {
        if events < 0 { throw ValidationError("--events \(events): give 0 or more") }
    }

    func run() throws {
        try Failures.reporting {
            let journal = state.journal
            let (records, problems) = journal.records()
            let recent = events > 0 ? journal.events(limit: events) : []
            var flagRows = FlagRecordRows()
            let now = Date()
            if json {
                let faults = records.map { StatusReport.Fault($0, flags: flagRows.rows(for: $0, now: now)) }
                let payload = StatusReport(stateDir: journal.directory, faults: faults, events: recent, problems: problems)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = Timestamp.encoding
                print(String(decoding: try encoder.encode(payload), as: UTF8.self))
                return
            }
            if records.isEmpty {
                print("No active faults (state directory \(journal.directory)).")
            } else {
                var table = TextTable(headers: ["ID", "KIND", "TARGET", "FAULT", "STATE", "HELD BY", "EXPIRES"])
                for r in records {
                    guard let rows = flagRows.rows(for: r, now: now) else {
                        table.add([r.id, r.kind, FaultText.target(kind: r.kind, target: r.target), r.summary,
                                   Self.lifecycleState(r), Self.holder(r), Self.expiry(r, now: now)])
                        continue
                    }
                    let path = r.revertData["path"] ?? "?"
                    for row in rows {
                        let state = r.state == .applying && row.state != .some(.inForce) && row.state != .some(.expired)
                            ? Self.lifecycleState(r) : (row.state?.text ?? "unknown: \(row.problem ?? "?")")
                        table.add([r.id, r.kind, "\(row.name) in \(path)", row.summary, state, Self.holder(r), Self.expiry(r, now: now)])
                    }
                }
                print(table.render())
            }
            for p in problems { Failures.printError(p) }
            if !recent.isEmpty {
                print("\nRecent events:")
                for e in recent { print("  \(Timestamp.text(e.at))  \(FaultText.what(kind: e.kind, target: e.target))  \(e.summary)") }
            }
        }
    }

    /// The lifecycle state: applied, an apply in progress, or one that died half-way.
    static func lifecycleState(_ r: FaultRecord) -> String {
        guard r.state == .applying else { return "applied" }
        if FaultLifecycle.recoverReason(r, all: false) == nil, let owner = r.owner { return "applying (pid \(owner.pid))" }
        return "half-applied: run `chaosctl recover`"
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
        /// Flag records only: each flag against the control file as it is now.
        var flags: [FlagEntry]?
        init(_ r: FaultRecord, flags rows: [FlagRecordRows.Row]? = nil) {
            id = r.id; kind = r.kind; target = r.target; summary = r.summary; state = r.state.rawValue
            createdAt = r.createdAt; expiresAt = r.expiresAt
            ownerPid = r.owner?.pid
            ownerAlive = r.owner.map(ProcessIdentity.isAlive)
            flags = rows?.map(FlagEntry.init)
        }
        enum CodingKeys: String, CodingKey {
            case id, kind, target, summary, state, flags
            case createdAt = "created_at", expiresAt = "expires_at", ownerPid = "owner_pid", ownerAlive = "owner_alive"
        }
    }
    struct FlagEntry: Encodable {
        var name: String
        var state: String
        var supersededBy: String?
        var problem: String?
        init(_ row: FlagRecordRows.Row) {
            name = row.name
            state = row.state?.code ?? "unknown"
            supersededBy = row.state?.supersededBy
            problem = row.problem
        }
        enum CodingKeys: String, CodingKey { case name, state, problem, supersededBy = "superseded_by" }
    }
    var stateDir: String
    var faults: [Fault]
    var events: [FaultJournal.Event]
    var problems: [String]
    enum CodingKeys: String, CodingKey { case stateDir = "state_dir", faults, events, problems }
}
