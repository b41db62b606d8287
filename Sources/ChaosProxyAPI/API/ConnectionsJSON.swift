import ChaosJSON
import ChaosProxy

/// JSON for `GET /proxies/{name}/connections` (chaosctl extension).
enum ConnectionsJSON {
    static func render(_ connections: [ConnectionInfo]) -> String {
        JSONWriter.array(connections.sorted { $0.id < $1.id }.map { connection in
            let age = (connection.ageSeconds * 1000).rounded() / 1000
            return JSONWriter.object([
                ("id", String(connection.id)),
                ("client", JSONWriter.string(connection.client)),
                ("upstream", JSONWriter.string(connection.upstream)),
                ("bytes_upstream", String(connection.bytesUpstream)),
                ("bytes_downstream", String(connection.bytesDownstream)),
                ("age_seconds", age.isFinite ? String(age) : "0"),
            ])
        })
    }
}
