#!/usr/bin/env python3
"""Loopback HTTP(S) server for ChaosHTTP's tests.

Not a stand-in for one product: a generic HTTP/1.1 origin server, Python's http.server (a
real implementation: request parsing, keep-alive, Expect: 100-continue), plus the message
rules of RFC 9110/9112 a real server keeps and http.server leaves to its handlers:
  - 204 and 304 carry no content and no Content-Length (RFC 9110 8.6, 15.3.5, 15.4.5);
  - HEAD gets the headers a GET would get, no content (RFC 9110 9.3.2);
  - a 401 names its scheme in WWW-Authenticate (RFC 9110 11.6.1; Bearer: RFC 6750 3);
  - chunked responses frame as RFC 9112 7.1 says (size in hex, CRLF, data, CRLF, 0 CRLF CRLF).

Usage: test_server.py tcp [--tls CERT KEY [--client-ca CA]]  |  test_server.py unix PATH
Prints "READY <port-or-path>" once listening; serves until killed.

Endpoints:
  /echo            JSON: method, path, headers, body (as text)
  /status/N        answers status N with a small JSON body
  /auth            200 only with "Authorization: Bearer s3cret", else 401
  /slow?s=SECONDS  sleeps, then answers
  /stream?n=N&gap=S  chunked: N JSON lines, S seconds apart, split mid-line on purpose
  /quiet           sends headers, then nothing for 60 s (for cancellation tests)
  /client-cert     JSON with the client certificate subject CN (TLS only)
"""
import json
import os
import socket
import socketserver
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def address_string(self):
        return "local"

    def _send(self, status, payload, ctype="application/json", headers=()):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status in (204, 304) or status < 200:
            self.send_header("X-Test-Server", "chaos")
            return self.end_headers()
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Test-Server", "chaos")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _handle(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        body = self._body()
        if url.path == "/echo":
            self._send(200, {"method": self.command, "path": self.path,
                             "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body.decode("utf-8", "replace")})
        elif url.path.startswith("/status/"):
            code = url.path.rsplit("/", 1)[1]
            if not code.isdigit() or not 200 <= int(code) <= 599:
                return self._send(400, {"message": "bad status %r" % code})
            self._send(int(code), {"message": "status %s" % code})
        elif url.path == "/auth":
            if self.headers.get("Authorization") == "Bearer s3cret":
                self._send(200, {"ok": True})
            else:
                self._send(401, {"message": "Unauthorized"},
                           headers=[("WWW-Authenticate", 'Bearer realm="chaos-test"')])
        elif url.path == "/slow":
            time.sleep(float(q.get("s", ["2"])[0]))
            self._send(200, {"slept": True})
        elif url.path == "/stream":
            n = int(q.get("n", ["3"])[0])
            gap = float(q.get("gap", ["0.1"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for i in range(n):
                    line = json.dumps({"seq": i}).encode() + b"\n"
                    # Two chunks per line, cut in the middle, so the client must reassemble.
                    for part in (line[:5], line[5:]):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                        self.wfile.flush()
                    time.sleep(gap)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif url.path == "/quiet":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            time.sleep(60)
            self.close_connection = True
        elif url.path == "/client-cert":
            cert = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
            cn = None
            if cert:
                for rdn in cert.get("subject", ()):
                    for k, v in rdn:
                        if k == "commonName":
                            cn = v
            self._send(200, {"cn": cn})
        else:
            self._send(404, {"message": "page not found"})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        conn, _ = self.socket.accept()
        # BaseHTTPRequestHandler expects a (host, port)-like client address.
        return conn, ("local", 0)


def main():
    mode = sys.argv[1]
    if mode == "unix":
        path = sys.argv[2]
        if os.path.exists(path):
            os.unlink(path)
        server = UnixServer(path, Handler)
        print("READY", path, flush=True)
    else:
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        args = sys.argv[2:]
        if args and args[0] == "--tls":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args[1], args[2])
            if len(args) > 4 and args[3] == "--client-ca":
                ctx.load_verify_locations(args[4])
                ctx.verify_mode = ssl.CERT_REQUIRED
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        print("READY", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
