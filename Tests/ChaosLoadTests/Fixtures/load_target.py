#!/usr/bin/env python3
"""Loopback HTTP target for ChaosLoad's end-to-end tests.

Serves GET /work (the load) and POST /mode (the test's switch). A mode is
`fail_every` (every Nth request answers 503; 0 = none) and `delay_ms` (sleep
before answering). The switch is applied under a lock before /mode answers, so
the instant the test records after the answer bounds the true change.
Prints "PORT <n>" on stdout once listening; binds 127.0.0.1 only.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
mode = {"fail_every": 0, "delay_ms": 0.0}
counter = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: without this, Nagle + delayed ACK add 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            counter[0] += 1
            n = counter[0]
            fail_every = mode["fail_every"]
            delay = mode["delay_ms"] / 1000.0
        if delay > 0:
            time.sleep(delay)
        if fail_every and n % fail_every == 0:
            self.answer(503, "injected failure\n")
        else:
            self.answer(200, "ok\n")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        change = json.loads(self.rfile.read(length) or b"{}")
        with lock:
            mode.update(change)
            counter[0] = 0
        self.answer(200, "mode set\n")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT", server.server_address[1], flush=True)
    # Bounded: the target stops by itself even if the test never stops it.
    limit = float(sys.argv[1]) if len(sys.argv) > 1 else 120.0
    threading.Timer(limit, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
