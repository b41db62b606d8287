import ChaosCore
import ChaosTargets
import Foundation
import XCTest

/// Issue #12 item 2: a kubeconfig is decoded with Codable types (KubeConfigFile); a field of
/// the wrong shape is refused with the file and the field, exit 2.
final class KubeConfigDecodingTests: XCTestCase {
    private func refusal(_ yaml: String) -> String? {
        do {
            _ = try KubeConfigDocument.parse(yaml, path: "/k/config")
            return nil
        } catch {
            XCTAssertEqual((error as? ChaosError)?.exitCode, .usage, "\(error)")
            return "\(error)"
        }
    }

    func testWrongShapesNameTheFileAndTheField() {
        XCTAssertEqual(refusal("clusters: {a: 1}"), "kubeconfig /k/config: clusters is not a list")
        XCTAssertEqual(refusal("- a\n- b"), "kubeconfig /k/config: top level is not a mapping")
        XCTAssertEqual(refusal("clusters:\n- cluster: {server: https://k}"), "kubeconfig /k/config: clusters[0] has no name")
        XCTAssertEqual(refusal("users:\n- name: u\n  user: {exec: {command: p, args: {a: b}}}"),
                       "kubeconfig /k/config: users[0].user.exec.args is not a list")
        XCTAssertEqual(refusal("clusters:\n- name: c\n  cluster: {server: [x]}"),
                       "kubeconfig /k/config: clusters[0].cluster.server is not a plain value")
        XCTAssertEqual(refusal("clusters:\n- name: c\n  cluster: {}"),
                       #"kubeconfig /k/config: clusters["c"].cluster.server is missing"#)
        XCTAssertEqual(refusal("users:\n- name: u\n  user: {exec: {args: [a]}}"),
                       #"kubeconfig /k/config: users["u"].user.exec.command is missing"#)
    }

    func testFieldsAreReadWithKubectlsNamesAndPathsAnchoredToTheFile() throws {
        let doc = try KubeConfigDocument.parse("""
        apiVersion: v1
        kind: Config
        current-context: ctx
        preferences: {}
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority: ca.pem
            insecure-skip-tls-verify: true
        users:
        - name: u
          user:
            tokenFile: token
            exec:
              command: ./plugin
              args: [get-token, 42]
              env: [{name: REGION, value: eu}, {name: EMPTY}]
        contexts:
        - name: ctx
          context: {cluster: c, user: u, namespace: chaos}
        """, path: "/k/config")
        XCTAssertEqual(doc.currentContext, "ctx")
        let cluster = try XCTUnwrap(doc.clusters["c"])
        XCTAssertEqual(cluster.server, "https://127.0.0.1:6443")
        XCTAssertEqual(cluster.certificateAuthority, "/k/ca.pem")
        XCTAssertTrue(cluster.insecureSkipTLSVerify)
        let user = try XCTUnwrap(doc.users["u"])
        XCTAssertEqual(user.tokenFile, "/k/token")
        XCTAssertEqual(user.exec?.command, "/k/./plugin")
        XCTAssertEqual(user.exec?.args, ["get-token", "42"], "a YAML number in args is its text, as kubectl passes it")
        XCTAssertEqual(user.exec?.env, [.init(name: "REGION", value: "eu"), .init(name: "EMPTY", value: "")])
        XCTAssertEqual(user.exec?.apiVersion, "client.authentication.k8s.io/v1")
        let context = try XCTUnwrap(doc.contexts["ctx"])
        XCTAssertEqual([context.cluster, context.user, context.namespace, context.sourceFile], ["c", "u", "chaos", "/k/config"])
    }

    func testAnEmptyFileIsAnEmptyKubeconfig() throws {
        let doc = try KubeConfigDocument.parse("# nothing yet\n", path: "/k/config")
        XCTAssertTrue(doc.clusters.isEmpty && doc.users.isEmpty && doc.contexts.isEmpty)
        XCTAssertNil(doc.currentContext)
    }
}
