/// What a revert did beyond "undone": the parts it left in place because someone changed
/// them after this record's fault wrote them. A revert undoes only its own change.
public struct FaultRevertResult: Equatable, Sendable {
    /// One sentence per part left alone, e.g. `flag x in /run/c.json: changed since …; left as it is`.
    public var leftAlone: [String]
    /// The record was no longer journaled when the revert ran: another process already
    /// reverted or forgot it, so nothing was touched.
    public var alreadyGone: Bool

    public init(leftAlone: [String] = [], alreadyGone: Bool = false) {
        self.leftAlone = leftAlone
        self.alreadyGone = alreadyGone
    }
}

/// A reverter that checks, against the journal and the live target, that what it undoes is
/// still what its record applied. It reads the record afresh from `journal` (another
/// process may have handed it a newer prior state) and may update other records there.
public protocol OwnershipCheckingReverter: FaultReverter {
    func revert(_ record: FaultRecord, journal: FaultJournal) throws -> FaultRevertResult
}

/// Most checking reverters have one body for both entry points: the journal, when there is
/// one, only lets the check read the record afresh. They write that body once, as
/// `revertChecking`, and get both `revert`s from here.
public protocol SingleBodyRevert: OwnershipCheckingReverter {
    func revertChecking(_ record: FaultRecord, journal: FaultJournal?) throws -> FaultRevertResult
}

extension SingleBodyRevert {
    public func revert(_ record: FaultRecord) throws {
        _ = try revertChecking(record, journal: nil)
    }

    public func revert(_ record: FaultRecord, journal: FaultJournal) throws -> FaultRevertResult {
        try revertChecking(record, journal: journal)
    }
}
