import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP server on 127.0.0.1 for the HTTP and Prometheus probe tests: python3's
/// ThreadingHTTPServer with a few routes, started as a child process on an ephemeral port and
/// stopped by its own pid.
///
/// Routes: `/ok` (200 "status: healthy"), `/status/N` (N; 204 and 304 without a body, RFC 9110
/// sections 15.3.5 and 15.4.5), `/slow?ms=N` (200 after N ms), `/echo` (200 with the method,
/// X-Probe header and request body), and `/api/v1/query`, a stand-in for Prometheus's instant
/// query that follows Fixtures/prometheus-2.42-query-transcript.md (recorded from the real
/// server, cited by line below): GET or POST form, 400 bad_data for an empty query and an
/// unclosed parenthesis, an empty vector for `empty` (a metric with no series), a scalar 42
/// for `scalar(...)`, and otherwise two series that carry the decoded query as a `query`
/// label (the shape of a real series; the label lets tests see how the query was encoded).
/// The real Prometheus is queried in ChaosExperimentTests.PrometheusProbeTests.
final class LocalHTTPServer {
    let process = Process()
    private(set) var port: UInt16 = 0

    static let script = #"""
import json, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlparse, parse_qs

def prom_error(message):
    # transcript lines 29-34 and 43-55: 400, errorType bad_data, "invalid parameter" prefix
    return 400, {"status": "error", "errorType": "bad_data", "error": "invalid parameter \"query\": " + message}

def prom_query(q):
    if q.strip() == "":
        return prom_error("1:1: parse error: no expression found in input")
    if q.count("(") > q.count(")"):
        return prom_error("1:%d: parse error: unclosed left parenthesis" % (len(q) + 1))
    now = round(time.time(), 3)
    if q == "empty":
        data = {"resultType": "vector", "result": []}  # lines 22-27
    elif q.startswith("scalar("):
        data = {"resultType": "scalar", "result": [now, "42"]}  # lines 15-20, 57-62
    else:
        data = {"resultType": "vector", "result": [  # lines 64-69
            {"metric": {"query": q, "instance": "a"}, "value": [now, "0.004"]},
            {"metric": {"query": q, "instance": "b"}, "value": [now, "0.009"]}]}
    return 200, {"status": "success", "data": data}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, status, body, ctype="text/plain; charset=utf-8"):
        self.send_response(status)
        if status in (204, 304):
            return self.end_headers()
        data = body.encode()
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def handle_any(self):
        url = urlparse(self.path)
        args = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if url.path == "/ok":
            self.reply(200, "status: healthy")
        elif url.path.startswith("/status/"):
            self.reply(int(url.path.split("/")[2]), "status page")
        elif url.path == "/slow":
            time.sleep(int(args.get("ms", ["100"])[0]) / 1000.0)
            self.reply(200, "slow but fine")
        elif url.path == "/echo":
            self.reply(200, "%s %s %s" % (self.command, self.headers.get("X-Probe", "-"), body))
        elif url.path == "/api/v1/query":
            if self.command == "POST":
                args = parse_qs(body)  # a form body, lines 57-62
            status, answer = prom_query(args.get("query", [""])[0])
            self.reply(status, json.dumps(answer, separators=(",", ":")), "application/json")
        else:
            self.reply(404, "404 page not found\n")  # lines 71-77
    do_GET = handle_any
    do_POST = handle_any

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    init() throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        process.standardOutput = output
        try process.run()
        // The first line is the port; wait at most 10 s for it.
        let reader = output.fileHandleForReading
        var line = Data()
        let deadline = Date().addingTimeInterval(10)
        while !line.contains(UInt8(ascii: "\n")), Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              let port = UInt16(text) else {
            stop()
            throw TestError("python3 HTTP server did not report a port")
        }
        self.port = port
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
