import ChaosCore

/// A journaled fault as `recover` prints it: "ID KIND TARGET: SUMMARY", each word once.
enum FaultRecordText {
    static func line(_ record: FaultRecord) -> String {
        "\(record.id) \(FaultText.what(kind: record.kind, target: record.target)): \(record.summary)"
    }
}
