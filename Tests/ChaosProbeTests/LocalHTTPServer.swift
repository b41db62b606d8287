import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP server on 127.0.0.1 for the HTTP and Prometheus probe tests: python3's
/// ThreadingHTTPServer with a few routes, started as a child process on an ephemeral port and
/// stopped by its own pid.
///
/// Routes: `/ok` (200 "status: healthy"), `/status/N` (N), `/slow?ms=N` (200 after N ms),
/// `/echo` (200 with the method, X-Probe header and request body), `/api/v1/query` (a
/// Prometheus-shaped answer that echoes the decoded query as a label; `query=empty` gives an
/// empty vector, `query=scalar(...)` a scalar 42, `query=bad` a 400 error body).
final class LocalHTTPServer {
    let process = Process()
    private(set) var port: UInt16 = 0

    static let script = #"""
import json, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlparse, parse_qs

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, status, body, ctype="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
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
            q = args.get("query", [""])[0]
            now = time.time()
            if q == "empty":
                data = {"resultType": "vector", "result": []}
            elif q.startswith("scalar("):
                data = {"resultType": "scalar", "result": [now, "42"]}
            elif q == "bad":
                self.reply(400, json.dumps({"status": "error", "errorType": "bad_data", "error": "parse error"}), "application/json")
                return
            else:
                data = {"resultType": "vector", "result": [
                    {"metric": {"query": q, "instance": "a"}, "value": [now, "0.004"]},
                    {"metric": {"query": q, "instance": "b"}, "value": [now, "0.009"]}]}
            self.reply(200, json.dumps({"status": "success", "data": data}), "application/json")
        else:
            self.reply(404, "not found")
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
