import ChaosControl
import ChaosCore
import ChaosFlags
import Foundation

/// `status` shows a flag record as one line per flag, each compared with the control file
/// as it is now, so the listing agrees with the file (superseded writes say so).
struct FlagRecordRows {
    struct Row {
        var name: String
        var summary: String
        var state: FlagRecordState?
        /// Why the state is unknown (the control file could not be read).
        var problem: String?
    }

    private var documents: [String: Result<ControlDocument, Error>] = [:]

    /// One row per touched flag, or nil when the record is not a readable flag record.
    mutating func rows(for record: FaultRecord, now: Date = Date()) -> [Row]? {
        guard record.kind == FlagReverter.kindName, let view = try? FlagRecordView(record) else { return nil }
        let document = document(at: view.path)
        return view.names.map { name in
            switch document {
            case .success(let doc):
                return Row(name: name, summary: view.summary(of: name), state: view.state(of: name, in: doc.flags, now: now))
            case .failure(let error):
                return Row(name: name, summary: view.summary(of: name), state: nil,
                           problem: ErrorMapping.map(error).description)
            }
        }
    }

    private mutating func document(at path: String) -> Result<ControlDocument, Error> {
        if let known = documents[path] { return known }
        let read = Result { try ControlFileWriter(path: path).read() }
        documents[path] = read
        return read
    }
}
