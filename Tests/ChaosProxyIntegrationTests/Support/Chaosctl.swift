import ChaosTestSupport
import Foundation

extension Chaosctl {
    /// Journal records as `status --json` reports them.
    func faults() throws -> [[String: Any]] {
        let result = try run(["status", "--json", "--events", "0"])
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let faults = object["faults"] as? [[String: Any]] else {
            throw Sockets.Failure(description: "unexpected status --json: \(result.stdout) \(result.stderr)")
        }
        return faults
    }
}
