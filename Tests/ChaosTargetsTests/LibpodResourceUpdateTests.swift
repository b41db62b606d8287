@testable import ChaosTargets
import Foundation
import XCTest

/// Docker's update fields in the OCI `LinuxResources` terms Podman's libpod update decodes.
/// (That Podman applies them is checked against the real service: PodmanPartitionLimitTests.)
final class LibpodResourceUpdateTests: XCTestCase {
    private func json(_ fields: [ResourceField: Int64]) throws -> [String: [String: Int64]] {
        let data = try JSONEncoder().encode(LibpodResourceUpdate(fields))
        return try JSONDecoder().decode([String: [String: Int64]].self, from: data)
    }

    func testFieldsMapToTheRuntimeSpecNames() throws {
        XCTAssertEqual(try json([.cpuQuota: 50_000, .cpuShares: 256, .memory: 64 << 20, .memorySwap: -1]),
                       ["cpu": ["quota": 50_000, "shares": 256], "memory": ["limit": 64 << 20, "swap": -1]])
    }

    /// NanoCpus has no OCI field: half a CPU is a 50 ms quota per 100 ms period; 0 (none) is -1.
    func testNanoCpusBecomeAQuotaOverTheDockerPeriod() throws {
        XCTAssertEqual(try json([.nanoCpus: 500_000_000]), ["cpu": ["quota": 50_000, "period": 100_000]])
        XCTAssertEqual(try json([.nanoCpus: 0]), ["cpu": ["quota": -1, "period": 100_000]])
    }

    /// The preflight's empty update sends `{}`, which Podman 4.3.1 answers 201 without a change.
    func testNoFieldsIsAnEmptyObject() throws {
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(LibpodResourceUpdate([:])), as: UTF8.self), "{}")
    }
}
