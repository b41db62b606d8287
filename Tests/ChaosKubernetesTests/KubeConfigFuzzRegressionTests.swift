import ChaosCore
import ChaosTargets
import Foundation
import XCTest

/// Inputs scripts/fuzz.sh found that crashed the kubeconfig parser, byte for byte (also in
/// fuzz/regressions/kubeconfig/, replayed by FuzzRegressionTests).
final class KubeConfigFuzzRegressionTests: XCTestCase {
    /// fuzz-kubeconfig, 2026-12-03: a flow mapping whose key is a sequence
    /// (`cluster: { [{name: A, value: b}], interactiveMode: Never}`) trapped inside Yams,
    /// which force-unwraps every mapping key as a string when it builds `Any` values.
    func testSequenceAsMappingKeyIsAnErrorNotACrash() throws {
        let input = try XCTUnwrap(Data(base64Encoded: "YXBpVmVyc2lvbjogdjEKa2luZDogQ29uZmlnCmN1cnJlbnQtY29udGV4dDogZGV2CmNsdXN0ZXJzOgotIG5hbWU6IGRldgogIGNsdXN0ZXI6CiAgICBzZXJ2ZXI6IGh0dHBzOi8vMTI3LjAuMC4xOjY0NDMKICAgIGNlcnRpZmljYXRlLWF1dGhvcml0eS1kYXRhOiBMUzB0TFMxQ1JVZEpUaUJEUlZKVVNVWkpRMEZVUlMwdExTMHRDZz09Ci0gbmFtZTogcHJvZAogIGNsdXN0ZXI6IHsgW3tuYW1lOiBBLCB2YWx1ZTogYn1dLCBpbnRlcmFjdGl2ZU1vZGU6IE5ldmVyfQpjb250ZXh0czoKLSBuYW1lOiBkZXYKICBjb250ZXh0OiB7Y2x1c3RlcjogZGV2LCB1c2VyOiBhbGljZSwgbmFtZXNwYWNlOiB0ZWFtfQotIG5hbWU6IHByb2QKICBjb250ZXh0OiB7Y2x1c3RlcjogcHJvZCwgdXNlcjogYm9ifQotIG5hbWU6IGUKICBjb250ZXh0OiB7Y2x1c3RlcjogcHJvZCwgdXNlcjogZXhlY30K"))
        XCTAssertThrowsError(try KubeConfigDocument.parse(String(decoding: input, as: UTF8.self), path: "/k/config")) { error in
            XCTAssertEqual("\(error)", "kubeconfig /k/config: line 10: a mapping key must be a plain value, not a list or mapping")
            XCTAssertEqual((error as? ChaosError)?.exitCode, .usage)
        }
    }

    func testMappingAsKeyAtTheTopIsAnErrorToo() {
        XCTAssertThrowsError(try KubeConfigDocument.parse("? {a: 1}\n: x\n", path: "/k/config")) { error in
            XCTAssertEqual("\(error)", "kubeconfig /k/config: line 1: a mapping key must be a plain value, not a list or mapping")
        }
    }
}
