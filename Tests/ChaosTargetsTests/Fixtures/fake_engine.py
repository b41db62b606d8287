#!/usr/bin/env python3
"""A stand-in engine on a unix socket for tests that a real dockerd cannot cover:
version negotiation with other API versions and Podman's error statuses.

Usage: fake_engine.py SOCKET API_VERSION SERVER [MIN_API_VERSION]
Every request path is appended to SOCKET.log (one per line) so tests can check which
API version prefix was used. Bodies follow the recorded Podman 4.3 transcript.
"""
import json
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

SOCK, API, SERVER = sys.argv[1], sys.argv[2], sys.argv[3]
MIN_API = sys.argv[4] if len(sys.argv) > 4 else "1.12"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def address_string(self):
        return "local"

    def version_string(self):
        # send_response() writes this as the Server header, as engines do.
        return SERVER

    def send(self, status, payload=None, headers=()):
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        with open(SOCK + ".log", "a") as f:
            f.write(self.command + " " + self.path + "\n")
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        path = self.path.split("?")[0]
        if path == "/_ping":
            hdrs = []
            if API != "none":
                hdrs.append(("Api-Version", API))
            return self.send(200, None, hdrs)
        if path == "/version":
            return self.send(200, {"ApiVersion": "1.30" if API == "none" else API,
                                   "MinAPIVersion": MIN_API, "Version": "17.06.0"})
        if path.endswith("/containers/json"):
            return self.send(200, [{"Id": "a" * 64, "Names": ["/web-1"], "Labels": {"app": "web"},
                                    "State": "running", "Status": "Up"}])
        cid = path.split("/")[3] if path.count("/") >= 4 else ""
        if cid == "gone":
            return self.send(404, {"cause": "no such container",
                                   "message": "no container with name or ID \"gone\" found: no such container",
                                   "response": 404})
        if path.endswith("/kill"):
            if "SIGBOGUS" in self.path:
                return self.send(500, {"cause": "invalid signal: SIGBOGUS", "message": "invalid signal: SIGBOGUS", "response": 500})
            return self.send(500, {"cause": "container state improper",
                                   "message": "can only kill running containers. %s is in state exited: container state improper" % cid,
                                   "response": 500})
        if path.endswith("/pause"):
            return self.send(500, {"cause": "container state improper",
                                   "message": "\"%s\" is already paused: container state improper" % cid, "response": 500})
        if path.endswith("/unpause"):
            return self.send(500, {"cause": "container state improper",
                                   "message": "\"%s\" is not paused, can't unpause: container state improper" % cid,
                                   "response": 500})
        if path.endswith("/stop"):
            return self.send(304)
        if path.endswith("/restart") and cid == "denied":
            return self.send(403, {"message": "authorization denied by plugin"})
        return self.send(404, {"message": "page not found"})

    do_GET = do_POST = do_HEAD = do_DELETE = handle_any


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        conn, _ = self.socket.accept()
        return conn, ("local", 0)


if os.path.exists(SOCK):
    os.unlink(SOCK)
server = Server(SOCK, Handler)
print("READY", SOCK, flush=True)
server.serve_forever()
