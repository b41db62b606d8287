#!/usr/bin/env python3
"""A small kube-apiserver double for chaosctl's Kubernetes adapter tests.

Usage: kube_apiserver_double.py --cert SERVER.pem --key SERVER.key --client-ca CA.pem --scenario S.json
Listens on 127.0.0.1 (HTTPS only), prints "READY <port>", serves until killed.

Every behaviour below is one of:
  [T:<section>]  shown in /work/shared/reference/kubernetes-api-transcript.md (kube-apiserver v1.36.2);
  [API:<topic>]  documented in the Kubernetes API reference / concepts docs (kubernetes.io).
Nothing else is served: any other path answers 404 NotFound.

Scenario JSON (written by the tests):
  version      {"major","minor","gitVersion"}                                    -> GET /version  [T:A0]
  tokens       {"<bearer token>": "<user name>"}                                  [API:authn static tokens]
  admins       ["<user>"]: allowed every verb everywhere                          [T: user admin]
  rules        [{"user","namespace" (null = cluster-wide),"resource","verbs"}]    [T:A7 Role pod-chaos] [API:RBAC]
  pods         [{"namespace","name","labels","phase","ready","nodeName","replicaSet","uid"}]
  replicaSets  [{"namespace","name","labels","recreateDelay","runningDelay","readyDelay"}]  [T:B3, recovery timing]
  pdbs         [{"namespace","name","matchLabels","minAvailable","processed"}]   [T:A8, B1, B2]
  kubeletNodes ["<node>"]: nodes with a working kubelet; "kubeletStopDelay" seconds it takes
               to stop containers on a graceful delete. Pods on other nodes stay Terminating [T:A5].
"""
import argparse
import json
import random
import ssl
import string
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

LOCK = threading.Condition()
STATE = {}


def now_stamp(offset=0.0):
    """RFC 3339 seconds, as the server writes deletionTimestamp. [T:A4]"""
    t = datetime.now(timezone.utc) + timedelta(seconds=offset)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def status_body(code, reason, message, details=None, success=False):
    """The metav1.Status shape of every error body in the transcript. [T:A0, A4, A7]"""
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}}
    if success:
        body["status"] = "Success"
    else:
        body["status"] = "Failure"
        body["message"] = message
        body["reason"] = reason
    if details is not None:
        body["details"] = details
    body["code"] = code
    return body


# ---------------------------------------------------------------- state and events

def next_rv():
    STATE["rv"] += 1
    return STATE["rv"]


def pod_object(p, rv=None, deletion=None, grace=None):
    """A v1 Pod with the fields the transcript summarises. [T:A2, A4]"""
    meta = {"name": p["name"], "namespace": p["namespace"], "uid": p["uid"],
            "resourceVersion": str(rv if rv is not None else p["rv"]),
            "creationTimestamp": p["created"], "labels": dict(p["labels"])}
    if p.get("replicaSet"):
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                    "name": p["replicaSet"], "controller": True}]
    ts = deletion if deletion is not None else p.get("deletionTimestamp")
    gp = grace if grace is not None else p.get("deletionGracePeriodSeconds")
    if ts is not None:
        meta["deletionTimestamp"] = ts
        meta["deletionGracePeriodSeconds"] = gp
    spec = {"containers": [{"name": "c", "image": "registry.invalid/web:1"}],
            "terminationGracePeriodSeconds": 30}  # the API default [API:PodSpec]
    if p.get("nodeName"):
        spec["nodeName"] = p["nodeName"]
    status = {"phase": p["phase"],
              "conditions": [{"type": "Ready", "status": "True" if p.get("ready") else "False"}]}
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": status}


def emit(kind, p):
    """Record a watch event; the object is the pod as of this change. [T: watch during a delete]"""
    rv = next_rv()
    p["rv"] = rv
    STATE["events"].append((rv, kind, pod_object(p, rv)))
    LOCK.notify_all()
    return rv


def add_pod(spec):
    p = {"namespace": spec["namespace"], "name": spec["name"], "labels": spec.get("labels", {}),
         "phase": spec.get("phase", "Running"), "ready": spec.get("ready", spec.get("phase", "Running") == "Running"),
         "nodeName": spec.get("nodeName"), "replicaSet": spec.get("replicaSet"),
         "uid": spec.get("uid") or str(uuid.uuid4()), "created": now_stamp(), "rv": 0}
    STATE["pods"][(p["namespace"], p["name"])] = p
    return p


def remove_pod(p):
    """Final removal: a DELETED event carrying the last state. [T: watch, MODIFIED then DELETED]"""
    key = (p["namespace"], p["name"])
    if STATE["pods"].get(key) is p:
        del STATE["pods"][key]
        emit("DELETED", p)


def later(delay, fn):
    t = threading.Timer(delay, fn)
    t.daemon = True
    t.start()


def replicaset_react(p):
    """ReplicaSet controller: a pod of the set that is terminating no longer counts, so a
    replacement with a new name and UID is created (Pending), is scheduled and runs, and
    becomes Ready later. [T:B3 and 'Recovery timing': replacement visible ~20-100 ms]
    [API: ReplicaSet; Pod lifecycle: Running before the Ready condition turns True]"""
    rs = STATE["replicaSets"].get((p["namespace"], p.get("replicaSet")))
    if rs is None:
        return

    def create():
        with LOCK:
            suffix = "".join(random.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
            new = add_pod({"namespace": rs["namespace"], "name": rs["name"] + "-" + suffix,
                           "labels": rs["labels"], "phase": "Pending", "ready": False,
                           "replicaSet": rs["name"]})
            emit("ADDED", new)

        def running():
            with LOCK:
                if STATE["pods"].get((new["namespace"], new["name"])) is new and not new.get("deletionTimestamp"):
                    new["phase"] = "Running"
                    new["nodeName"] = rs.get("nodeName", "node-1")
                    emit("MODIFIED", new)

        def ready():
            with LOCK:
                if STATE["pods"].get((new["namespace"], new["name"])) is new and not new.get("deletionTimestamp"):
                    new["ready"] = True
                    emit("MODIFIED", new)

        later(rs.get("runningDelay", 0.1), running)
        later(rs.get("readyDelay", 0.3), ready)

    later(rs.get("recreateDelay", 0.03), create)


def delete_pod(p, grace, dry_run):
    """Graceful deletion. [T:A4, A5] [API: Termination of Pods]
    - An unscheduled pod is deleted at once whatever the grace period (transcript: web-0's
      dry-run DELETE without gracePeriodSeconds answers deletionGracePeriodSeconds 0).
    - A scheduled pod gets deletionTimestamp = now + grace and stays until its kubelet
      confirms; with no kubelet it stays Terminating [T:A5]; grace 0 removes it at once.
    - dryRun=All answers the object as it would be, resourceVersion unchanged, no change [T:A4].
    Returns the answer object."""
    if grace is None:
        grace = 30
    if not p.get("nodeName") or p["phase"] in ("Succeeded", "Failed"):
        grace = 0
    if p.get("deletionTimestamp") is not None and grace >= (p.get("deletionGracePeriodSeconds") or 0):
        # Already terminating with a shorter grace: nothing shortens. [T:A5 re-delete]
        return pod_object(p)
    if dry_run:
        return pod_object(p, deletion=now_stamp(grace), grace=grace)
    first = p.get("deletionTimestamp") is None
    p["deletionTimestamp"] = now_stamp(grace)
    p["deletionGracePeriodSeconds"] = grace
    emit("MODIFIED", p)
    answer = pod_object(p)
    if first:
        replicaset_react(p)
    if grace == 0:
        remove_pod(p)
    elif p.get("nodeName") in STATE["kubeletNodes"]:
        later(min(grace, STATE["kubeletStopDelay"]), lambda: locked(remove_pod, p))
    return answer


def locked(fn, *args):
    with LOCK:
        return fn(*args)


# ---------------------------------------------------------------- selectors

def split_top(text):
    """Split on commas outside parentheses ("app in (a,b),tier!=x"). [T:A3]"""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return [x.strip() for x in parts if x.strip()]


def parse_label_selector(text):
    """Equality- and set-based requirements. [T:A3] [API: Labels and Selectors]
    Returns a predicate over a labels dict, or raises ValueError."""
    reqs = []
    for part in split_top(text or ""):
        words = part.split()
        if len(words) >= 3 and words[1] in ("in", "notin"):
            rest = part.split(None, 2)[2].strip()
            if not (rest.startswith("(") and rest.endswith(")")):
                raise ValueError(part)
            values = {v.strip() for v in rest[1:-1].split(",")}
            key, op = words[0], words[1]
            if op == "in":
                reqs.append(lambda l, k=key, v=values: k in l and l[k] in v)
            else:
                reqs.append(lambda l, k=key, v=values: k not in l or l[k] not in v)
        elif "!=" in part:
            k, v = [x.strip() for x in part.split("!=", 1)]
            reqs.append(lambda l, k=k, v=v: l.get(k) != v)
        elif "==" in part or "=" in part:
            k, v = [x.strip() for x in (part.split("==", 1) if "==" in part else part.split("=", 1))]
            reqs.append(lambda l, k=k, v=v: l.get(k) == v)
        elif part.startswith("!"):
            reqs.append(lambda l, k=part[1:].strip(): k not in l)
        elif all(c.isalnum() or c in "-_./" for c in part):
            reqs.append(lambda l, k=part: k in l)
        else:
            raise ValueError(part)
    return lambda labels: all(r(labels) for r in reqs)


POD_FIELDS = {
    # The pod field selectors the API documents (a subset). [API: Field Selectors]
    "metadata.name": lambda p: p["name"],
    "metadata.namespace": lambda p: p["namespace"],
    "spec.nodeName": lambda p: p.get("nodeName") or "",
    "status.phase": lambda p: p["phase"],
}


def parse_field_selector(text):
    reqs = []
    for part in split_top(text or ""):
        if "!=" in part:
            k, v = part.split("!=", 1)
            neg = True
        elif "==" in part:
            k, v = part.split("==", 1)
            neg = False
        elif "=" in part:
            k, v = part.split("=", 1)
            neg = False
        else:
            raise ValueError(part)
        k = k.strip()
        if k not in POD_FIELDS:
            raise KeyError(k)
        get = POD_FIELDS[k]
        reqs.append(lambda p, g=get, v=v.strip(), n=neg: (g(p) != v) if n else (g(p) == v))
    return lambda p: all(r(p) for r in reqs)


# ---------------------------------------------------------------- authorization

def allowed(user, verb, resource, namespace):
    """RBAC: admins may do anything; others need a matching rule. [T:A7] [API: RBAC]"""
    if user in STATE["admins"]:
        return True
    for r in STATE["rules"]:
        if r["user"] == user and r["resource"] == resource and verb in r["verbs"] \
                and (r.get("namespace") is None or r["namespace"] == namespace):
            return True
    return False


def forbidden_body(user, verb, resource, namespace, name=None):
    """The 403 message names user, verb, resource and scope verbatim. [T:A7]"""
    subject = 'pods "%s"' % name if name else "pods"
    scope = 'in the namespace "%s"' % namespace if namespace else "at the cluster scope"
    msg = '%s is forbidden: User "%s" cannot %s resource "%s" in API group "" %s' % (
        subject, user, verb, resource, scope)
    details = {"name": name, "kind": "pods"} if name else {"kind": "pods"}
    return status_body(403, "Forbidden", msg, details)


def not_found_body(name):
    return status_body(404, "NotFound", 'pods "%s" not found' % name, {"name": name, "kind": "pods"})  # [T:A4]


# ---------------------------------------------------------------- HTTP

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def authenticate(self):
        """Bearer token, else the client certificate's CN; neither: 401. [T:A0 user bogus]
        [API: Authenticating — X509 client certs (CN is the user name), static tokens;
        anonymous requests disabled (--anonymous-auth=false) so they get 401 too]"""
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Bearer "):
            return STATE["tokens"].get(auth[7:].strip())
        cert = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        if cert:
            for rdn in cert.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        return value
        return None

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def dispatch(self, method):
        url = urlparse(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body = self.read_body() if method in ("POST", "DELETE") else {}
        if url.path == "/readyz":  # [T:A0]
            return self.send_json(200, "ok")
        user = self.authenticate()
        if user is None:
            return self.send_json(401, status_body(401, "Unauthorized", "Unauthorized"))  # [T:A0]
        if body is None:
            return self.send_json(400, status_body(400, "BadRequest", "the request body is not valid JSON"))
        parts = [p for p in url.path.split("/") if p]
        if url.path == "/version" and method == "GET":
            return self.send_json(200, STATE["version"])  # [T:A0]
        # /api/v1/pods  |  /api/v1/namespaces/NS/pods[/NAME[/eviction]]
        if parts[:2] == ["api", "v1"] and parts[2:] == ["pods"] and method == "GET":
            return self.list_or_watch(user, None, q)
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) >= 5 and parts[4] == "pods":
            ns = parts[3]
            if len(parts) == 5 and method == "GET":
                return self.list_or_watch(user, ns, q)
            if len(parts) == 6 and method == "GET":
                return self.get_pod(user, ns, parts[5])
            if len(parts) == 6 and method == "DELETE":
                return self.delete(user, ns, parts[5], q, body)
            if len(parts) == 7 and parts[6] == "eviction" and method == "POST":
                return self.evict(user, ns, parts[5], body)
        self.send_json(404, status_body(404, "NotFound", "the server could not find the requested resource"))

    def selectors(self, q):
        """400 BadRequest for selectors the server cannot parse. [API: Field Selectors —
        unsupported fields are an error]"""
        try:
            labels = parse_label_selector(q.get("labelSelector"))
        except ValueError as e:
            self.send_json(400, status_body(400, "BadRequest", "unable to parse requirement: %s" % e))
            return None
        try:
            fields = parse_field_selector(q.get("fieldSelector"))
        except KeyError as e:
            self.send_json(400, status_body(400, "BadRequest", "field label not supported: %s" % e.args[0]))
            return None
        except ValueError as e:
            self.send_json(400, status_body(400, "BadRequest", "invalid field selector: %s" % e))
            return None
        return lambda p: labels(p["labels"]) and fields(p)

    def list_or_watch(self, user, ns, q):
        watching = q.get("watch") in ("1", "true")
        verb = "watch" if watching else "list"
        if not allowed(user, verb, "pods", ns):
            return self.send_json(403, forbidden_body(user, verb, "pods", ns))  # [T:A7]
        match = self.selectors(q)
        if match is None:
            return
        if watching:
            return self.watch(ns, match, q)
        with LOCK:
            pods = sorted((p for p in STATE["pods"].values() if (ns is None or p["namespace"] == ns) and match(p)),
                          key=lambda p: (p["namespace"], p["name"]))  # etcd key order [T:A3]
            items = []
            for p in pods:
                o = pod_object(p)
                del o["kind"], o["apiVersion"]  # list items carry neither [API: PodList]
                items.append(o)
            body = {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": str(STATE["rv"])},
                    "items": items}
        self.send_json(200, body)

    def watch(self, ns, match, q):
        """Chunked stream of {"type","object"} lines from resourceVersion on, in the order
        changes happened (MODIFIED with deletionTimestamp, DELETED, ADDED). Without a
        resourceVersion it starts with ADDED for every current pod. timeoutSeconds ends
        it. A resourceVersion older than the history held gets an ERROR 410 Expired.
        [T: watch during a delete] [API: Efficient detection of changes]"""
        timeout = float(q.get("timeoutSeconds") or 1800)
        end = time.monotonic() + timeout
        since = q.get("resourceVersion")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True

        def send(obj):
            data = (json.dumps(obj) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def visible(o):
            p = {"namespace": o["metadata"]["namespace"], "name": o["metadata"]["name"],
                 "labels": o["metadata"].get("labels", {}), "phase": o["status"]["phase"],
                 "nodeName": o["spec"].get("nodeName")}
            return (ns is None or p["namespace"] == ns) and match(p)

        try:
            with LOCK:
                if not since or since == "0":
                    pending = [("ADDED", pod_object(p)) for p in STATE["pods"].values()
                               if (ns is None or p["namespace"] == ns) and match(p)]
                    cursor = STATE["rv"]
                else:
                    cursor = int(since)
                    pending = []
                    if cursor < STATE["firstRV"]:
                        pending = [("ERROR", status_body(410, "Expired", "too old resource version: %d (%d)"
                                                         % (cursor, STATE["firstRV"])))]
                        cursor = None
            for kind, obj in pending:
                send({"type": kind, "object": obj})
            while cursor is not None and time.monotonic() < end:
                with LOCK:
                    fresh = [(rv, k, o) for rv, k, o in STATE["events"] if rv > cursor]
                    if not fresh:
                        LOCK.wait(timeout=min(0.5, max(0.01, end - time.monotonic())))
                        continue
                    cursor = fresh[-1][0]
                for _, kind, obj in fresh:
                    if visible(obj):
                        send({"type": kind, "object": obj})
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass  # the client stopped watching

    def get_pod(self, user, ns, name):
        if not allowed(user, "get", "pods", ns):
            return self.send_json(403, forbidden_body(user, "get", "pods", ns, name))
        with LOCK:
            p = STATE["pods"].get((ns, name))
            if p is None:
                return self.send_json(404, not_found_body(name))  # [T:A5]
            body = pod_object(p)
        self.send_json(200, body)

    @staticmethod
    def options(q, body):
        """DeleteOptions from the query ([T:A4] dryRun=All, gracePeriodSeconds=0) or the body
        ([T:A4] preconditions.uid; [API: DeleteOptions] dryRun, gracePeriodSeconds)."""
        grace = q.get("gracePeriodSeconds", body.get("gracePeriodSeconds"))
        dry = q.get("dryRun") == "All" or "All" in (body.get("dryRun") or [])
        uid = (body.get("preconditions") or {}).get("uid")
        return (int(grace) if grace is not None else None), dry, uid

    @staticmethod
    def conflict_body(kind, name, want, have):
        """409 on a UID precondition, verbatim. [T:A4]"""
        msg = ('Operation cannot be fulfilled on %s "%s": the UID in the precondition (%s) does not match '
               'the UID in record (%s). The object might have been deleted and then recreated') % (kind, name, want, have)
        return status_body(409, "Conflict", msg, {"name": name, "kind": kind})

    def delete(self, user, ns, name, q, body):
        if not allowed(user, "delete", "pods", ns):
            return self.send_json(403, forbidden_body(user, "delete", "pods", ns, name))  # [T:A7]
        grace, dry, uid = self.options(q, body)
        with LOCK:
            p = STATE["pods"].get((ns, name))
            if p is None:
                return self.send_json(404, not_found_body(name))  # [T:A4]
            if uid and uid != p["uid"]:
                return self.send_json(409, self.conflict_body("Pod", name, uid, p["uid"]))  # [T:A4]
            answer = delete_pod(p, grace, dry)
        self.send_json(200, answer)

    def evict(self, user, ns, name, body):
        """policy/v1 Eviction. [T:A6, A8, B2] [API: API-initiated Eviction]
        - 201 Status Success when allowed (also for dryRun, which changes nothing);
        - pods not Running (Pending) are evictable whatever the budget [T:B2 web-5];
        - a budget not yet processed by the disruption controller: 429 "still being
          processed", retryAfterSeconds 10 [T:A8];
        - a processed budget with no disruption left: 429 "needs N healthy pods and has M
          currently" [T:B2];
        - more than one budget for a pod: 500 [API: API-initiated Eviction]."""
        if not allowed(user, "create", "pods/eviction", ns):
            return self.send_json(403, forbidden_body(user, "create", "pods/eviction", ns, name))  # [T:A7]
        options = body.get("deleteOptions") or {}
        grace, dry, uid = self.options({}, options)
        with LOCK:
            p = STATE["pods"].get((ns, name))
            if p is None:
                return self.send_json(404, not_found_body(name))  # [T:A6]
            if uid and uid != p["uid"]:
                return self.send_json(409, self.conflict_body("Pod", name, uid, p["uid"]))
            guarded = p["phase"] == "Running" and p.get("deletionTimestamp") is None
            budgets = [b for b in STATE["pdbs"] if b["namespace"] == ns
                       and all(p["labels"].get(k) == v for k, v in b["matchLabels"].items())]
            if guarded and len(budgets) > 1:
                return self.send_json(500, status_body(500, "InternalError",
                                                       "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."))
            if guarded and budgets:
                b = budgets[0]
                if not b.get("processed", True):
                    return self.send_json(429, status_body(
                        429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                        {"causes": [{"reason": "DisruptionBudget",
                                     "message": "The disruption budget %s is still being processed by the server." % b["name"]}],
                         "retryAfterSeconds": 10}))
                healthy = sum(1 for o in STATE["pods"].values() if o["namespace"] == ns and o["phase"] == "Running"
                              and o.get("ready") and o.get("deletionTimestamp") is None
                              and all(o["labels"].get(k) == v for k, v in b["matchLabels"].items()))
                if healthy - 1 < b["minAvailable"]:
                    return self.send_json(429, status_body(
                        429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                        {"causes": [{"reason": "DisruptionBudget",
                                     "message": "The disruption budget %s needs %d healthy pods and has %d currently"
                                                % (b["name"], b["minAvailable"], healthy)}]}))
            if not dry:
                delete_pod(p, grace, False)
        self.send_json(201, status_body(201, None, None, success=True))  # [T:A6]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--client-ca", required=True)
    ap.add_argument("--scenario", required=True)
    args = ap.parse_args()
    with open(args.scenario) as f:
        sc = json.load(f)
    STATE.update({"rv": 200, "events": [], "pods": {},
                  "version": sc.get("version", {"major": "1", "minor": "36", "gitVersion": "v1.36.2"}),
                  "tokens": sc.get("tokens", {}), "admins": set(sc.get("admins", [])),
                  "rules": sc.get("rules", []), "pdbs": sc.get("pdbs", []),
                  "replicaSets": {(r["namespace"], r["name"]): r for r in sc.get("replicaSets", [])},
                  "kubeletNodes": set(sc.get("kubeletNodes", [])),
                  "kubeletStopDelay": sc.get("kubeletStopDelay", 0.2)})
    for spec in sc.get("pods", []):
        p = add_pod(spec)
        p["rv"] = next_rv()
    STATE["firstRV"] = STATE["rv"]

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    ctx.load_verify_locations(args.client_ca)
    ctx.verify_mode = ssl.CERT_OPTIONAL  # token users need no certificate [API: Authenticating]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("READY %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
