#!/usr/bin/env python3
"""A stand-in container engine on a unix socket, for what a real dockerd or Podman cannot
show on demand: other API versions, Podman's error statuses, an authorization plugin, and a
container that exits between chaosctl's list and its action.

Usage: fake_engine.py SOCKET API_VERSION SERVER [MIN_API_VERSION]
  SERVER "Libpod/..." answers like Podman 4.3, anything else like Docker 20.10.
  API_VERSION "none" sends no Api-Version header (a proxy that strips it).
  $FAKE_ENGINE_SCENARIO names a JSON file {"containers": [...], "authz_deny": [...]};
  without it: one running container web-1 (app=web) that exits just before chaosctl's
  first action on it reaches the engine.
Every request ("METHOD PATH") is appended to SOCKET.log.

What it follows (transcripts in /work/shared/reference/, recorded from the real servers):
  D = docker-20.10-api-transcript.md, P = podman-4.3-docker-api-transcript.md, by line.
A call in a state neither transcript recorded answers 501 naming it, so a test that
reaches one fails loudly instead of trusting a guess.
"""
import json
import os
import re
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlparse

SOCK, API, SERVER = sys.argv[1], sys.argv[2], sys.argv[3]
MIN_API = sys.argv[4] if len(sys.argv) > 4 else "1.12"
PODMAN = SERVER.startswith("Libpod")

DEFAULT_SCENARIO = {"containers": [
    {"id": "a" * 64, "name": "web-1", "labels": {"app": "web"}, "state": "running",
     "exits_before_first_action": True}]}

# Signal names the engines accept, with or without SIG, or a number (moby
# pkg/signal.ParseSignal; libpod pkg/signal.ParseSignal): the common Linux set.
SIGNALS = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
           "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
           "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"}


def load_scenario():
    path = os.environ.get("FAKE_ENGINE_SCENARIO")
    if not path:
        return json.loads(json.dumps(DEFAULT_SCENARIO))
    with open(path) as f:
        scenario = json.load(f)
    if PODMAN and scenario.get("authz_deny"):
        sys.exit("fake_engine: Podman has no authorization plugins")
    return scenario


SCENARIO = load_scenario()
CONTAINERS = SCENARIO["containers"]
STATE_LOCK = threading.Lock()  # one request at a time changes or reads the containers


def version_tuple(text):
    return tuple(int(part) for part in text.split("."))


def valid_signal(text):
    if text.isdigit():
        return 0 < int(text) < 65
    name = text.upper()
    return (name[3:] if name.startswith("SIG") else name) in SIGNALS


def find(ref):
    """A container by full ID, unique ID prefix, or name (with or without "/"): D 204, P 203."""
    for c in CONTAINERS:
        if ref in (c["id"], c["name"], "/" + c["name"]):
            return c
    matches = [c for c in CONTAINERS if c["id"].startswith(ref)]
    return matches[0] if len(matches) == 1 else None


def summary(c):
    """One element of GET /containers/json (D 24-63, P 26-52: the fields chaosctl reads)."""
    status = {"running": "Up 3 seconds", "paused": "Up 3 seconds (Paused)",
              "exited": "Exited (137) Less than a second ago"}[c["state"]]
    return {"Id": c["id"], "Names": ["/" + c["name"]], "Image": "localhost/chaos-target:latest",
            "Labels": c["labels"], "State": c["state"], "Status": status}


def details(c):
    """GET /containers/{id}/json (D 174-193, P 168-192)."""
    running = c["state"] in ("running", "paused")
    return {"Id": c["id"], "Name": "/" + c["name"], "Image": "sha256:" + "0" * 64,
            "Config": {"Labels": c["labels"]},
            "State": {"Status": c["state"], "Running": running, "Paused": c["state"] == "paused",
                      "Restarting": False, "OOMKilled": False, "Dead": False,
                      "Pid": 4242 if running else 0, "ExitCode": 0 if running else 137, "Error": "",
                      "StartedAt": "2026-11-22T16:44:57.114570439Z",
                      "FinishedAt": "0001-01-01T00:00:00Z" if running else "2026-11-22T16:44:54.994209003Z"}}


def label_matches(c, wanted):
    """moby daemon/list.go: every label filter must hold, "key" or "key=value"."""
    for item in wanted:
        key, _, value = item.partition("=")
        if key not in c["labels"] or ("=" in item and c["labels"][key] != value):
            return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def address_string(self):
        return "local"

    def version_string(self):
        # send_response() writes this as the Server header (D 16, P 17).
        return SERVER

    def send(self, status, payload=None, headers=(), text=None):
        """JSON bodies are application/json; 204 and 304 carry no body and no Content-Type
        (D 81, 108, 112; P 78, 96, 100)."""
        if text is not None:
            data, ctype = text.encode(), "text/plain; charset=utf-8"
        elif payload is not None:
            data, ctype = (json.dumps(payload, indent=1) + "\n").encode(), "application/json"
        else:
            data, ctype = b"", None
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if ctype:
            self.send_header("Content-Type", ctype)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(data)

    def error(self, status, docker_message, podman_cause, podman_message):
        """Docker: {"message"} (D 87-90); Podman: {"cause", "message", "response"} (P 84-89)."""
        if PODMAN:
            return self.send(status, {"cause": podman_cause, "message": podman_message, "response": status})
        return self.send(status, {"message": docker_message})

    def unrecorded(self, what):
        return self.send(501, {"message": "fake_engine: %s is not in the recorded transcripts" % what})

    def handle_any(self):
        with STATE_LOCK:
            self.route()

    def route(self):
        with open(SOCK + ".log", "a") as f:
            f.write(self.command + " " + self.path + "\n")
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        url = urlparse(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        path = url.path
        version = re.match(r"^/v([0-9]+\.[0-9]+)(/.*)$", path)
        if version:
            path = version.group(2)
            if not PODMAN and API != "none":
                # moby api/server/middleware/version.go (VersionMiddleware.WrapHandler); D 280-284.
                # Podman serves any version prefix: P 292-294.
                asked = version_tuple(version.group(1))
                if asked > version_tuple(API):
                    return self.send(400, {"message": "client version %s is too new. Maximum supported API version is %s"
                                           % (version.group(1), API)})
                if asked < version_tuple(MIN_API):
                    return self.send(400, {"message": "client version %s is too old. Minimum supported API version is %s, please upgrade your client to a newer version"
                                           % (version.group(1), MIN_API)})
        for denied in SCENARIO.get("authz_deny", []):
            if denied in path:
                # moby pkg/authorization/authz.go (newAuthorizationError): 403 from the
                # authorization middleware, before the route runs.
                return self.send(403, {"message": "authorization denied by plugin fake-authz: %s is not allowed" % denied})
        if path == "/_ping":
            return self.ping()
        if path == "/version":
            # moby api/server/router/system/system_routes.go (getVersion), api/types.Version.
            return self.send(200, {"ApiVersion": "1.30" if API == "none" else API, "MinAPIVersion": MIN_API,
                                   "Version": "17.06.0", "Os": "linux", "Arch": "amd64"})
        if path == "/containers/json" and self.command == "GET":
            return self.list_containers(query)
        m = re.match(r"^/containers/([^/]+)/(json|kill|stop|start|restart|pause|unpause)$", path)
        if m:
            return self.container_call(unquote(m.group(1)), m.group(2), query)
        if PODMAN:
            return self.send(404, text="Not Found\n")  # P 296-298
        return self.send(404, {"message": "page not found"})  # D 286-290

    def ping(self):
        """GET /_ping answers "OK" as text (D 2-4, P 2-4); HEAD has the same headers (D 6-17, P 6-19)."""
        headers = [("Cache-Control", "no-cache" if PODMAN else "no-cache, no-store, must-revalidate"), ("Pragma", "no-cache")]
        if API != "none":
            headers.append(("Api-Version", API))
        if PODMAN:
            headers.append(("Libpod-Api-Version", "4.3.1"))
        else:
            headers.append(("Ostype", "linux"))
        if self.command == "HEAD":
            # Docker: Content-Type text/plain and Content-Length 0 (D 11-12); Podman: neither (P 7).
            self.send_response(200)
            for k, v in headers + ([] if PODMAN else [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "0")]):
                self.send_header(k, v)
            return self.end_headers()
        return self.send(200, headers=headers, text="OK")

    def list_containers(self, query):
        filters = {}
        if "filters" in query:
            try:
                filters = json.loads(query["filters"][0])
            except ValueError:
                # D 292-296, P 301-307 (Go's decoder text for "notjson").
                cause = "invalid character 'o' in literal null (expecting 'u')"
                return self.error(500, cause, cause,
                                  "failed to decode filter parameters for %s: %s" % (self.path, cause))
        show_all = query.get("all", ["0"])[0] not in ("", "0", "false", "no", "none")
        listed = []
        for c in CONTAINERS:
            if not show_all and "status" not in filters and c["state"] not in ("running", "paused"):
                continue  # moby daemon/list.go: stopped containers only with all=1 (D 21 vs 92)
            if "status" in filters and c["state"] not in filters["status"]:
                continue
            if "label" in filters and not label_matches(c, filters["label"]):
                continue
            listed.append(summary(c))
        return self.send(200, listed)

    def container_call(self, ref, action, query):
        c = find(ref)
        if c is None:
            # D 231-271, P 231-286.
            docker = ("Cannot kill container: %s: No such container: %s" % (ref, ref)) if action == "kill" \
                else "No such container: %s" % ref
            return self.error(404, docker, "no such container",
                              "no container with name or ID \"%s\" found: no such container" % ref)
        if action == "json":
            return self.send(200, details(c))
        if self.command != "POST":
            return self.send(405, {"message": "method not allowed"})
        if c.pop("exits_before_first_action", False):
            c["state"] = "exited"  # it exited on its own after chaosctl listed it
        state, cid = c["state"], c["id"]
        if action == "kill":
            signal = query.get("signal", ["KILL"])[0]  # no signal: SIGKILL (D 214-218, P 213-217)
            if not valid_signal(signal):
                # D 224-228 (400), P 223-229 (500)
                return self.error(500 if PODMAN else 400, "Invalid signal: %s" % signal,
                                  "invalid signal: %s" % signal, "invalid signal: %s" % signal)
            if state in ("running", "paused"):  # a paused container can be killed: D 150, P 140
                c["state"] = "exited"
                return self.send(204)  # D 80-84, P 77-81
            return self.error(500 if PODMAN else 409,  # D 86-90, P 83-89
                              "Cannot kill container: %s: Container %s is not running" % (ref, cid),
                              "container state improper",
                              "can only kill running containers. %s is in state %s: container state improper" % (cid, state))
        if action == "stop":
            if state == "exited":
                return self.send(304)  # D 122-124, P 110-112
            if state == "running":
                c["state"] = "exited"
                return self.send(204)  # D 115-117, P 103-105
            return self.unrecorded("stop of a %s container" % state)
        if action == "start":
            if state == "running":
                return self.send(304)  # D 111-113, P 99-101
            if state == "exited":
                c["state"] = "running"
                return self.send(204)  # D 107-109, P 95-97
            return self.unrecorded("start of a %s container" % state)
        if action == "restart":
            c["state"] = "running"
            return self.send(204)  # D 167-169 (from exited), P 161-163
        if action == "pause":
            if state == "running":
                c["state"] = "paused"
                return self.send(204)  # D 130-132, P 118-120
            if state == "paused":
                return self.error(500 if PODMAN else 409, "Container %s is already paused" % cid,  # D 144-148, P 132-138
                                  "container state improper",
                                  "\"%s\" is already paused: container state improper" % cid)
            return self.unrecorded("pause of a %s container" % state)
        if action == "unpause":
            if state == "paused":
                c["state"] = "running"
                # moby api/server/router/container/container_routes.go (postContainersUnpause): 204.
                return self.send(204)
            return self.error(500, "Container %s is not paused" % cid,  # D 154-165, P 144-159
                              "container state improper",
                              "\"%s\" is not paused, can't unpause: container state improper" % cid)
        return self.unrecorded(action)

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
