import ChaosProxy
import ChaosProxyModel

/// `GET /metrics` in Prometheus text format 0.0.4. Byte counters use Toxiproxy's names
/// and labels (direction, listener, proxy, upstream) so its dashboards keep working;
/// chaosctl's own series are prefixed `chaosctl_proxy_`.
public enum PrometheusRenderer {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ snapshot: [(ProxyState, ProxyCounters)], understudyTakeovers: UInt64 = 0) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(String, String)], value: UInt64)]) {
            out += header(name, type, help)
            for sample in samples {
                out += "\(name)\(labelSet(sample.labels)) \(sample.value)\n"
            }
        }
        func linkLabels(_ proxy: ProxyState, _ direction: String) -> [(String, String)] {
            [("direction", direction), ("listener", proxy.listen), ("proxy", proxy.name), ("upstream", proxy.upstream)]
        }
        // The data plane counts bytes forwarded per direction; a byte is received and
        // sent once each, so both families carry that count.
        var linkSamples: [(labels: [(String, String)], value: UInt64)] = []
        for (proxy, counters) in snapshot {
            linkSamples.append((linkLabels(proxy, "downstream"), counters.bytesDownstream))
            linkSamples.append((linkLabels(proxy, "upstream"), counters.bytesUpstream))
        }
        family("toxiproxy_proxy_received_bytes_total", "counter", "Total bytes received on a given proxy link.", linkSamples)
        family("toxiproxy_proxy_sent_bytes_total", "counter", "Total bytes sent on a given proxy link.", linkSamples)
        family("chaosctl_proxy_connections_accepted_total", "counter", "Connections accepted by the proxy.",
               snapshot.map { ([("proxy", $0.0.name)], $0.1.acceptedConnections) })
        family("chaosctl_proxy_connections_active", "gauge", "Connections open through the proxy now.",
               snapshot.map { ([("proxy", $0.0.name)], $0.1.activeConnections) })
        family("chaosctl_proxy_connections_refused_total", "counter",
               "Connections closed or reset at accept by refuse_connections / reset_connections toxics.",
               snapshot.map { ([("proxy", $0.0.name)], $0.1.refusedConnections) })
        var toxicSamples: [(labels: [(String, String)], value: UInt64)] = []
        for (proxy, counters) in snapshot {
            for (toxic, count) in counters.toxicApplications.sorted(by: { $0.key < $1.key }) {
                toxicSamples.append(([("proxy", proxy.name), ("toxic", toxic)], count))
            }
        }
        family("chaosctl_proxy_toxic_applications_total", "counter",
               "Connections a toxic was applied to (after its toxicity draw).", toxicSamples)
        renderLateness(snapshot, into: &out)
        family("chaosctl_proxy_timer_understudy_takeovers_total", "counter",
               "Toxic deadlines served by a loop's understudy thread because the loop's own thread was not running.",
               [([], understudyTakeovers)])
        return out
    }

    /// A histogram in seconds; buckets are cumulative, as the format requires.
    static func renderLateness(_ snapshot: [(ProxyState, ProxyCounters)], into out: inout String) {
        let name = "chaosctl_proxy_toxic_release_lateness_seconds"
        out += header(name, "histogram", "How much later than scheduled (arrival plus toxic delays) bytes left the toxics.")
        for (proxy, counters) in snapshot {
            let lateness = counters.releaseLateness
            let proxyLabel = ("proxy", proxy.name)
            var cumulative: UInt64 = 0
            for (index, bound) in ReleaseLateness.boundsNanos.enumerated() {
                cumulative &+= lateness.counts[index]
                out += "\(name)_bucket\(labelSet([proxyLabel, ("le", seconds(bound))])) \(cumulative)\n"
            }
            out += "\(name)_bucket\(labelSet([proxyLabel, ("le", "+Inf")])) \(lateness.count)\n"
            out += "\(name)_sum\(labelSet([proxyLabel])) \(seconds(lateness.sumNanos))\n"
            out += "\(name)_count\(labelSet([proxyLabel])) \(lateness.count)\n"
        }
    }

    static func header(_ name: String, _ type: String, _ help: String) -> String {
        "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// `{a="x",b="y"}`, or nothing for a series without labels.
    static func labelSet(_ labels: [(String, String)]) -> String {
        labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Nanoseconds as a decimal number of seconds, exact and without an exponent.
    static func seconds(_ nanos: UInt64) -> String {
        let fraction = String(nanos % 1_000_000_000)
        let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
        var trimmed = Substring(padded)
        while trimmed.last == "0" { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? "\(nanos / 1_000_000_000)" : "\(nanos / 1_000_000_000).\(trimmed)"
    }

    /// Label value escaping required by the text format: backslash, double quote and
    /// line feed, walked by Unicode scalar (as Characters, "\r\n" is one and would slip
    /// through as a raw line break). The format has no escape for other control
    /// characters, so they become U+FFFD; the API refuses them in names and upstreams.
    static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case _ where ResourceName.isControl(scalar): out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
