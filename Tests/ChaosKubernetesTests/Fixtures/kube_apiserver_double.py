#!/usr/bin/env python3
"""A small kube-apiserver double for chaosctl's Kubernetes adapter tests.

Usage: kube_apiserver_double.py --cert SERVER.pem --key SERVER.key --client-ca CA.pem --scenario S.json
Listens on 127.0.0.1 (HTTPS only), prints "READY <port>", serves until killed.

Every behaviour below is one of:
  [T:<section>]  shown in /work/shared/reference/kubernetes-api-transcript.md (kube-apiserver v1.36.2);
  kubernetes-delete-options.md  /work/shared/reference/kubernetes-delete-options.md (v1.26.4);
  a Kubernetes source file and function (kubernetes/kubernetes: staging/src/k8s.io/<module>/…
                 or pkg/…), named next to the behaviour it dictates;
  [API:<topic>]  documented in the Kubernetes API reference / concepts docs (kubernetes.io).
Source citations were checked (session 7) against the kubernetes/kubernetes files stored in
the tool library; the stored version's commit is named next to the function where it was
read ("@abc1234"). Where the transcript of the real v1.36.2 server and a stored source
differ, the transcript wins and the comment says so. A citation marked "(not read)" names
a file the library does not hold or that was not opened; it is from the API docs' wording.
Read in session 7: eviction.go, registry/rest/delete.go, handlers/delete.go (@c8068eb),
handlers/patch.go, deployment/storage/storage.go, meta/v1/validation/validation.go,
core/v1/conversion.go, errors.NewForbidden, Store.finalizeDelete, podStrategy
.CheckGracefulDelete, EnsureObjectNamespaceMatchesRequestNamespace, labels Parser.parse,
kubectl drain.go waitForDelete, negotiation/errors.go @31982a3 (the 406 and 415 texts).
Not read (older citations kept as they were, unverified): the authentication union and
bearer-token code, the patch types' list (endpoints/installer.go), go-restful's
405, the ParameterCodec's bool/int conversion texts, the watch cache's 410 text,
handlers/create.go (only an old @02e16cb is stored: it shows a Status answer's code filled
in as 201, as [T:A6] has it, but predates CreateOptions) and update.go, statefulset storage, the HPA registry, kubelet status
manager, StatefulSet controller.
Unknown paths answer 404 NotFound as the real server does; real endpoints the double does
not model (pod create, update, patch, deletecollection) answer 501 so no test can pass
against a guess.

Scenario JSON (written by the tests):
  version      {"major","minor","gitVersion"}                                    -> GET /version  [T:A0]
  tokens       {"<bearer token>": "<user name>"}                                  [API:authn static tokens]
  admins       ["<user>"]: allowed every verb everywhere                          [T: user admin]
  rules        [{"user","namespace" (null = cluster-wide),"resource","verbs"}]    [T:A7 Role pod-chaos] [API:RBAC]
  pods         [{"namespace","name","labels","phase","ready","nodeName","replicaSet","uid",
                 "terminationGracePeriodSeconds"}]
  replicaSets  [{"namespace","name","labels","recreateDelay","runningDelay","readyDelay"}]  [T:B3, recovery timing]
  statefulSets [{"namespace","name","recreateDelay"}]: a removed pod owned by the set comes
               back under the same name with a new UID (see statefulset_react).
  pdbs         [{"namespace","name","matchLabels","minAvailable","processed"}]   [T:A8, B1, B2]
  nodes, workloads, hpas, networkPolicies: see "nodes, scale, HPAs, NetworkPolicies" below.
  kubeletNodes ["<node>"]: nodes with a working kubelet; "kubeletStopDelay" seconds it takes
               to stop containers on a graceful delete. Pods on other nodes stay Terminating [T:A5].
"""
import argparse
import json
import random
import re
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
    elif p.get("ownerKind"):
        # Another controller (DaemonSet, StatefulSet, Job) [API: ObjectMeta ownerReferences]
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": p["ownerKind"],
                                    "name": p.get("ownerName", "owner"), "controller": True}]
    if p.get("annotations"):
        # e.g. kubernetes.io/config.mirror on a static pod's mirror [API: static pods]
        meta["annotations"] = dict(p["annotations"])
    ts = deletion if deletion is not None else p.get("deletionTimestamp")
    gp = grace if grace is not None else p.get("deletionGracePeriodSeconds")
    if ts is not None:
        meta["deletionTimestamp"] = ts
        meta["deletionGracePeriodSeconds"] = gp
    spec = {"containers": [{"name": "c", "image": "registry.invalid/web:1"}],
            "terminationGracePeriodSeconds": p["terminationGracePeriodSeconds"]}
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
         "ownerKind": spec.get("ownerKind"), "ownerName": spec.get("ownerName"),
         "annotations": spec.get("annotations") or {},
         "uid": spec.get("uid") or str(uuid.uuid4()), "created": now_stamp(), "rv": 0,
         # 30 is the API default [API:PodSpec]
         "terminationGracePeriodSeconds": spec.get("terminationGracePeriodSeconds", 30)}
    STATE["pods"][(p["namespace"], p["name"])] = p
    return p


def remove_pod(p):
    """Final removal: a DELETED event carrying the last state. [T: watch, MODIFIED then DELETED]"""
    key = (p["namespace"], p["name"])
    if STATE["pods"].get(key) is p:
        del STATE["pods"][key]
        emit("DELETED", p)
        statefulset_react(p)


def statefulset_react(p):
    """StatefulSet controller: a pod keeps its ordinal name, so once the old pod is gone
    the set creates a new pod of the same name with a new UID, Pending and unscheduled.
    [kubernetes-delete-options.md "Related facts": a second delete of a StatefulSet pod
    name got 409 on the UID precondition "when the StatefulSet had already recreated the
    name"] [API: StatefulSet, stable network identity]. The controller's code
    (pkg/controller/statefulset) was not read."""
    if p.get("ownerKind") != "StatefulSet":
        return
    ss = STATE["statefulSets"].get((p["namespace"], p.get("ownerName")))
    if ss is None:
        return

    def create():
        with LOCK:
            if (p["namespace"], p["name"]) in STATE["pods"]:
                return
            new = add_pod({"namespace": p["namespace"], "name": p["name"], "labels": p["labels"], "phase": "Pending",
                           "ready": False, "nodeName": None, "ownerKind": "StatefulSet", "ownerName": ss["name"]})
            emit("ADDED", new)

    later(ss.get("recreateDelay", 0.05), create)


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


class ApiError(Exception):
    """A failed request: the HTTP code and its metav1.Status body."""

    def __init__(self, code, body):
        Exception.__init__(self, body.get("message"))
        self.code = code
        self.body = body


def invalid_error(kind, field, values, supported):
    """422 Invalid for a NotSupported field error, as errors.NewInvalid writes it
    (apimachinery api/errors/errors.go NewInvalid; util/validation/field/errors.go
    NotSupported and ErrorBody: a []string prints with %#v)."""
    bad = "[]string{%s}" % ", ".join('"%s"' % v for v in values)
    body = 'Unsupported value: %s: supported values: %s' % (bad, ", ".join('"%s"' % v for v in supported))
    return ApiError(422, status_body(
        422, "Invalid", '%s.meta.k8s.io "" is invalid: %s: %s' % (kind, field, body),
        {"group": "meta.k8s.io", "kind": kind,
         "causes": [{"reason": "FieldValueNotSupported", "message": body, "field": field}]}))


def validate_dry_run(kind, values):
    """Only "All" is a dry-run value (apimachinery apis/meta/v1/validation/validation.go
    ValidateDryRun, called by ValidateDeleteOptions and ValidateCreateOptions)."""
    if any(v != "All" for v in values):
        raise invalid_error(kind, "dryRun", values, ["All"])


def check_preconditions(kind, name, uid, rv, options, group=""):
    """409 when a precondition does not hold, UID first, then resourceVersion
    (staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete @02a7741;
    message verbatim in [T:A4])."""
    pre = options.get("preconditions") or {}
    if pre.get("uid") is not None and pre["uid"] != uid:
        raise ApiError(409, conflict_body(kind, name, "the UID in the precondition (%s) does not match the UID in "
                                          "record (%s). The object might have been deleted and then recreated"
                                          % (pre["uid"], uid), group))
    if pre.get("resourceVersion") is not None and pre["resourceVersion"] != str(rv):
        raise ApiError(409, conflict_body(kind, name, "the ResourceVersion in the precondition (%s) does not match "
                                          "the ResourceVersion in record (%s). The object might have been modified"
                                          % (pre["resourceVersion"], rv), group))


def conflict_body(kind, name, why, group=""):
    """A failed delete precondition: registry/rest/delete.go BeforeDelete @02a7741 calls
    errors.NewConflict(GroupResource{Group: gvk.Group, Resource: gvk.Kind}, …), so the
    subject is the Kind, qualified by its group outside the core group:
    'Operation cannot be fulfilled on Pod "x": …' [T:A4],
    'Operation cannot be fulfilled on NetworkPolicy.networking.k8s.io "x": …'."""
    qualified = kind + ("." + group if group else "")
    details = {"name": name, "kind": kind}
    if group:
        details["group"] = group
    return status_body(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": %s' % (qualified, name, why),
                       details)


def delete_pod(p, options):
    """The pod store's Delete with already-decoded, validated DeleteOptions
    (apiserver registry/generic/registry/store.go Store.Delete (not read);
    registry/rest/delete.go BeforeDelete @02a7741; pkg/registry/core/pod/strategy.go
    podStrategy.CheckGracefulDelete, read through the library's find_string):
    - a failed precondition is 409 [T:A4];
    - dry run is any non-empty dryRun (apiserver util/dryrun IsDryRun): the answer is the
      object as it would be, resourceVersion unchanged, nothing stored [T:A4 web-0];
    - grace: the options' gracePeriodSeconds, else the pod's terminationGracePeriodSeconds;
      0 when the pod is not scheduled or has finished [T:A4 web-0 answers 0];
      a negative grace counts as 1 (BeforeDelete);
    - a pod bound to a node stays Terminating until its kubelet confirms [T:A5];
    - a terminating pod: a shorter grace moves deletionTimestamp to now + grace [T:A5
      bound-0 re-delete: 16:39:51 -> 16:39:23, two seconds after the first delete]. The
      stored BeforeDelete @02a7741 computes old timestamp - old grace + new grace instead
      (which would give 16:39:21); the v1.36.2 transcript wins. An equal or longer grace,
      or none, changes nothing and answers the object ("gracefulPending"); a pod terminating
      with grace 0 or none is removed (BeforeDelete: "we force deletion immediately").
    - a pod on a node in kubeletNodes is removed after min(grace, kubeletStopDelay): the
      kubelet stops the containers within the grace period and then deletes the pod with
      grace 0 (pkg/kubelet/status/status_manager.go syncPod / canBeDeleted, not read;
      [API: Pod lifecycle, Termination of Pods]). On any other node it stays Terminating
      for ever [T:A5].
    Returns the answer object (200)."""
    check_preconditions("Pod", p["name"], p["uid"], p["rv"], options)
    dry = len(options.get("dryRun") or []) > 0
    grace = options.get("gracePeriodSeconds")
    if grace is not None and grace < 0:
        grace = 1
    first = p.get("deletionTimestamp") is None
    if not first:
        current = p.get("deletionGracePeriodSeconds")
        if not current:
            return pod_object(p) if dry else remove_and_answer(p)
        if grace is None or grace >= current:
            return pod_object(p)  # graceful deletion already pending
    else:
        if grace is None:
            grace = p.get("terminationGracePeriodSeconds", 30)
        if not p.get("nodeName") or p["phase"] in ("Succeeded", "Failed"):
            grace = 0
    if dry:
        return pod_object(p, deletion=now_stamp(grace), grace=grace)
    p["deletionTimestamp"] = now_stamp(grace)
    p["deletionGracePeriodSeconds"] = grace
    emit("MODIFIED", p)
    answer = pod_object(p)
    if first:
        replicaset_react(p)
    if grace == 0:
        remove_pod(p)
    elif first and p.get("nodeName") in STATE["kubeletNodes"]:
        later(min(grace, STATE["kubeletStopDelay"]), lambda: locked(remove_pod, p))
    return answer


def remove_and_answer(p):
    answer = pod_object(p)
    remove_pod(p)
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


LABEL_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
DNS_SUBDOMAIN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"


def check_key(key):
    """A label key is a qualified name: [DNS-subdomain prefix '/'] name of at most 63
    characters (apimachinery util/validation IsQualifiedName, used by labels.NewRequirement)."""
    prefix, _, name = key.rpartition("/")
    if not (re.fullmatch(LABEL_NAME, name) and len(name) <= 63) or \
            (prefix and not (re.fullmatch(DNS_SUBDOMAIN, prefix) and len(prefix) <= 253)):
        raise ValueError('key: Invalid value: "%s": name part must consist of alphanumeric characters, '
                         "'-', '_' or '.', and must start and end with an alphanumeric character" % key)
    return key


def check_value(key, value):
    """A label value is empty or a name of at most 63 characters (IsValidLabelValue)."""
    if value and not (re.fullmatch(LABEL_NAME, value) and len(value) <= 63):
        raise ValueError('values[0][%s]: Invalid value: "%s": a valid label must be an empty string or consist of '
                         "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                         "character" % (key, value))
    return value


def parse_label_selector(text):
    """Equality- and set-based requirements, keys and values validated as
    apimachinery pkg/labels/selector.go Parse / NewRequirement do. The prefix "unable to
    parse requirement: " is Parser.parse's (read through find_string); the inner
    message after it is IsQualifiedName's / IsValidLabelValue's, shortened here (the real
    one goes on with examples and the regex) and not checked against the source, so no
    test compares more than the prefix. [T:A3] [API: Labels and Selectors]. The gt/lt
    operators are not modelled (501). Returns a predicate over a labels dict, or raises
    ValueError."""
    reqs = []
    for part in split_top(text or ""):
        words = part.split()
        if len(words) >= 3 and words[1] in ("in", "notin"):
            rest = part.split(None, 2)[2].strip()
            if not (rest.startswith("(") and rest.endswith(")")):
                raise ValueError(part)
            key, op = check_key(words[0]), words[1]
            values = {check_value(key, v.strip()) for v in rest[1:-1].split(",")}
            if op == "in":
                reqs.append(lambda l, k=key, v=values: k in l and l[k] in v)
            else:
                reqs.append(lambda l, k=key, v=values: k not in l or l[k] not in v)
        elif "!=" in part:
            k, v = [x.strip() for x in part.split("!=", 1)]
            reqs.append(lambda l, k=check_key(k), v=check_value(k, v): l.get(k) != v)
        elif "==" in part or "=" in part:
            k, v = [x.strip() for x in (part.split("==", 1) if "==" in part else part.split("=", 1))]
            reqs.append(lambda l, k=check_key(k), v=check_value(k, v): l.get(k) == v)
        elif "<" in part or ">" in part:
            raise ApiError(501, status_body(501, "NotImplemented", "gt/lt label selectors are not modelled by the double"))
        elif part.startswith("!"):
            reqs.append(lambda l, k=check_key(part[1:].strip()): k not in l)
        else:
            reqs.append(lambda l, k=check_key(part): k in l)
    return lambda labels: all(r(labels) for r in reqs)


POD_FIELDS = {
    # The pod field labels the server converts; any other is "field label not supported"
    # (pkg/apis/core/v1/conversion.go @0158de9 addConversionFuncs, the Pod func: this
    # list, spec.host converted to spec.nodeName). Values are those of the pods the double
    # serves (defaults of a PodSpec).
    "metadata.name": lambda p: p["name"],
    "metadata.namespace": lambda p: p["namespace"],
    "spec.nodeName": lambda p: p.get("nodeName") or "",
    "spec.host": lambda p: p.get("nodeName") or "",  # old clients' name for spec.nodeName
    "spec.restartPolicy": lambda p: "Always",
    "spec.schedulerName": lambda p: "default-scheduler",
    "spec.serviceAccountName": lambda p: "default",
    "spec.hostNetwork": lambda p: "false",
    "status.phase": lambda p: p["phase"],
    "status.podIP": lambda p: "",
    "status.podIPs": lambda p: "",
    "status.nominatedNodeName": lambda p: "",
}


NODE_FIELDS = {
    # conversion.go @0158de9 addConversionFuncs, the Node func: only these two.
    "metadata.name": lambda o: o["metadata"]["name"],
    "spec.unschedulable": lambda o: "true" if o["spec"].get("unschedulable") else "false",
}


def parse_field_selector(text, supported=None):
    """fields.ParseSelector, then each label converted for the kind (an unknown one is a
    KeyError: 400 "field label not supported: <label>")."""
    supported = POD_FIELDS if supported is None else supported
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
        if k not in supported:
            raise KeyError(k)
        get = supported[k]
        reqs.append(lambda p, g=get, v=v.strip(), n=neg: (g(p) != v) if n else (g(p) == v))
    return lambda p: all(r(p) for r in reqs)


# ---------------------------------------------------------------- authorization

def allowed(user, verb, resource, namespace):
    """RBAC: admins may do anything; others need a matching rule. A rule with no
    namespace is a ClusterRoleBinding: it covers every namespace and cluster-scoped
    resources (nodes). [T:A7] [API: RBAC]"""
    if user in STATE["admins"]:
        return True
    for r in STATE["rules"]:
        if r["user"] == user and r["resource"] == resource and verb in r["verbs"] \
                and (r.get("namespace") is None or r["namespace"] == namespace):
            return True
    return False


def forbidden_body(user, verb, resource, namespace, name=None, group=""):
    """The 403 message names user, verb, resource and scope verbatim [T:A7]. The subject
    and details come from apimachinery api/errors/errors.go NewForbidden (read through
    find_string): '<resource>[.<group>] "<name>" is forbidden: …' (no name: '<resource>
    is forbidden: …'), details {group, kind: the resource, name}, where the authorization
    filter passes GroupResource{APIGroup, Resource} without the subresource:
    'deployments.apps "api" is forbidden: … resource "deployments/scale" in API group "apps"'.
    The text after "forbidden: " is the v1.36.2 wording of [T:A7]; the stored
    responsewriters/errors.go @0168853 is an old plain-text version and was not followed."""
    base = resource.split("/")[0]
    qualified = base + ("." + group if group else "")
    subject = '%s "%s"' % (qualified, name) if name else qualified
    scope = 'in the namespace "%s"' % namespace if namespace else "at the cluster scope"
    msg = '%s is forbidden: User "%s" cannot %s resource "%s" in API group "%s" %s' % (
        subject, user, verb, resource, group, scope)
    details = {"name": name, "kind": base} if name else {"kind": base}
    if group:
        details["group"] = group
    return status_body(403, "Forbidden", msg, details)


def not_found_body(name):
    return status_body(404, "NotFound", 'pods "%s" not found' % name, {"name": name, "kind": "pods"})  # [T:A4]


# ---------------------------------------------------------------- HTTP

# Media types the server decodes and encodes (apiserver endpoints/handlers/negotiation:
# NegotiateInputSerializer, NegotiateOutputMediaType).
MEDIA_TYPES = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")


def parse_bool(text):
    """Query booleans convert like Go's strconv.ParseBool (the ParameterCodec's
    string-to-bool conversion); anything else is a 400."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ApiError(400, status_body(400, "BadRequest", 'strconv.ParseBool: parsing "%s": invalid syntax' % text))


def parse_int(text):
    """Query integers convert like Go's strconv.ParseInt; anything else is a 400."""
    if re.fullmatch(r"[+-]?[0-9]+", text or ""):
        return int(text)
    raise ApiError(400, status_body(400, "BadRequest", 'strconv.ParseInt: parsing "%s": invalid syntax' % text))


def unknown_error(message):
    """An error that is not a Status becomes 500 with no reason (apiserver
    endpoints/handlers/responsewriters/status.go ErrorToAPIStatus)."""
    return ApiError(500, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                          "message": message, "code": 500})


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

    def read_raw_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def decode_body(self, raw, what):
        """Decode a JSON body. A Content-Type the server has no serializer for is 415
        (negotiation.NegotiateInputSerializer: NewUnsupportedMediaTypeError); no
        Content-Type means JSON (the first supported type)."""
        media = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
        if media not in MEDIA_TYPES:
            raise ApiError(415, status_body(
                415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                + ", ".join(MEDIA_TYPES)))
        if media != "application/json":
            raise ApiError(501, status_body(501, "NotImplemented", "the double decodes JSON bodies only"))
        try:
            body = json.loads(raw)
        except ValueError as e:
            raise what(e)
        if not isinstance(body, dict):
            raise what(ValueError("not a JSON object"))
        return body

    def authenticate(self):
        """The client certificate's CN, else a bearer token; neither: 401. x509 comes
        before tokens in the union authenticator, and the first that succeeds wins
        (apiserver authentication/request/union, kubeapiserver authenticator config).
        [T:A0 user bogus] [API: Authenticating — anonymous requests disabled
        (--anonymous-auth=false), so they get 401 too, /readyz included]"""
        cert = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        if cert:
            for rdn in cert.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        return value
        # "Bearer" in any case, then the token up to the next space (apiserver
        # authentication/request/bearertoken AuthenticateRequest: SplitN on " ").
        parts = (self.headers.get("Authorization") or "").strip().split(" ", 2)
        if len(parts) >= 2 and parts[0].lower() == "bearer" and parts[1]:
            return STATE["tokens"].get(parts[1])
        return None

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def dispatch(self, method):
        url = urlparse(self.path)
        # Every value of a key is kept: list-typed options (dryRun) take them all, scalar
        # ones the first (apimachinery runtime conversion Convert_Slice_string_To_*).
        q = parse_qs(url.query, keep_blank_values=True)
        raw = self.read_raw_body()
        user = self.authenticate()
        if user is None:
            return self.send_json(401, status_body(401, "Unauthorized", "Unauthorized"))  # [T:A0]
        try:
            self.route(method, url.path, q, raw, user)
        except ApiError as e:
            self.send_json(e.code, e.body)

    def route(self, method, path, q, raw, user):
        if path == "/readyz" and method == "GET":
            self.negotiate_output()
            return self.send_json(200, "ok")  # [T:A0]
        if path == "/version" and method == "GET":
            self.negotiate_output()
            return self.send_json(200, STATE["version"])  # [T:A0]
        parts = [p for p in path.split("/") if p]
        # /api/v1/pods  |  /api/v1/namespaces/NS/pods[/NAME[/eviction]]
        if parts == ["api", "v1", "pods"]:
            self.allow(method, ("GET",))
            return self.list_or_watch(user, None, q)
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) >= 5 and parts[4] == "pods":
            ns = parts[3]
            if len(parts) == 5:
                self.allow(method, ("GET", "POST", "DELETE"))
                if method == "GET":
                    return self.list_or_watch(user, ns, q)
                verb = "create" if method == "POST" else "deletecollection"
                if not allowed(user, verb, "pods", ns):
                    raise ApiError(403, forbidden_body(user, verb, "pods", ns))  # [T:A7 deletecollection]
                raise not_modelled(method, path)
            if len(parts) == 6:
                self.allow(method, ("GET", "DELETE", "PUT", "PATCH"))
                if method == "GET":
                    return self.get_pod(user, ns, parts[5])
                if method == "DELETE":
                    return self.delete(user, ns, parts[5], q, raw)
                raise not_modelled(method, path)
            if len(parts) == 7 and parts[6] == "eviction":
                self.allow(method, ("POST",))
                return self.evict(user, ns, parts[5], q, raw)
        routed = route_workloads(self, method, parts, q, raw, user)
        if routed is not None:
            return routed
        raise ApiError(404, status_body(404, "NotFound", "the server could not find the requested resource",
                                        {}))

    def negotiate_output(self):
        """An Accept the server cannot produce is 406 (negotiation.NegotiateOutputMediaType:
        NewNotAcceptableError); no Accept, */* or application/* mean JSON. Called by each
        handler after RBAC, as the handler negotiates after the authorization filter."""
        accept = self.headers.get("Accept")
        if not accept:
            return
        offered = [a.split(";")[0].strip().lower() for a in accept.split(",")]
        if any(a in ("*/*", "application/*") + MEDIA_TYPES for a in offered):
            return
        raise ApiError(406, status_body(406, "NotAcceptable", "only the following media types are accepted: "
                                        + ", ".join(MEDIA_TYPES)))

    @staticmethod
    def allow(method, methods):
        """A method the route does not serve is 405 (go-restful's answer turned into a
        Status by apiserver endpoints/handlers/responsewriters, NewGenericServerResponse)."""
        if method not in methods:
            raise ApiError(405, status_body(405, "MethodNotAllowed",
                                            "the server does not allow this method on the requested resource", {}))

    def selectors(self, q):
        """400 BadRequest for selectors the server cannot parse: list options are decoded
        by the ParameterCodec (labels.Parse, fields.ParseSelector) and field labels are
        converted per kind (apiserver endpoints/handlers/get.go ListResource: "field
        label not supported"). [API: Field Selectors]"""
        try:
            labels = parse_label_selector(first(q, "labelSelector"))
        except ValueError as e:
            raise ApiError(400, status_body(400, "BadRequest", "unable to parse requirement: %s" % e))
        try:
            fields = parse_field_selector(first(q, "fieldSelector"))
        except KeyError as e:
            raise ApiError(400, status_body(400, "BadRequest", "field label not supported: %s" % e.args[0]))
        except ValueError as e:
            raise ApiError(400, status_body(400, "BadRequest", "invalid field selector: %s" % e))
        return lambda p: labels(p["labels"]) and fields(p)

    def list_or_watch(self, user, ns, q):
        """GET of the pod collection; watch=<bool> turns it into a watch (RBAC verb
        "watch"). Unknown query parameters are ignored, as the ParameterCodec does.
        [T:A3, A7] [API: Efficient detection of changes]"""
        watching = parse_bool(first(q, "watch")) if "watch" in q else False
        verb = "watch" if watching else "list"
        if not allowed(user, verb, "pods", ns):
            raise ApiError(403, forbidden_body(user, verb, "pods", ns))  # [T:A7]
        self.negotiate_output()
        match = self.selectors(q)
        if watching:
            timeout = parse_int(first(q, "timeoutSeconds")) if "timeoutSeconds" in q else 1800
            since = first(q, "resourceVersion")
            if since:
                try:
                    int(since)
                except ValueError:
                    raise ApiError(400, status_body(400, "BadRequest", "invalid resource version: %s" % since))
            return self.watch(ns, match, timeout, since)
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

    def watch(self, ns, match, timeout, since):
        """Chunked stream of {"type","object"} lines from resourceVersion on, in the order
        changes happened (MODIFIED with deletionTimestamp, DELETED, ADDED). Without a
        resourceVersion (or "0") it starts with ADDED for every current pod. timeoutSeconds
        ends it. A resourceVersion older than the history held gets an ERROR 410 Expired.
        [T: watch during a delete] [API: Efficient detection of changes]"""
        end = time.monotonic() + timeout
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
            raise ApiError(403, forbidden_body(user, "get", "pods", ns, name))  # [T:A7]
        self.negotiate_output()
        with LOCK:
            p = STATE["pods"].get((ns, name))
            if p is None:
                raise ApiError(404, not_found_body(name))  # [T:A5]
            body = pod_object(p)
        self.send_json(200, body)

    def delete_options(self, q, raw):
        """Where DELETE takes its DeleteOptions from, as apiserver
        endpoints/handlers/delete.go DeleteResource does it:
        - a request WITH a body: DeleteOptions are decoded from the body and the query is
          never read (so ?dryRun=All next to a body is a real delete)
          [/work/shared/reference/kubernetes-delete-options.md "Query and body"];
        - a request without a body: the query is decoded by the ParameterCodec
          [kubernetes-delete-options.md "Query only"; T:A4];
        - then ValidateDeleteOptions (apimachinery apis/meta/v1/validation/validation.go
          @046d201): orphanDependents and propagationPolicy together, a propagationPolicy
          other than Foreground/Background/Orphan, and dryRun values other than "All" are
          422 Invalid, in the handler before the object is read (DeleteResource @c8068eb;
          the older @02e16cb left it to BeforeDelete). The same handler negotiates the
          Accept header (406) before it decodes a body (415).
        A body that is not JSON, or not a DeleteOptions, fails decoding: an error that is
        not a Status, so 500 (responsewriters ErrorToAPIStatus). Unknown body fields and
        query parameters are ignored (non-strict decoding)."""
        if raw:
            body = self.decode_body(raw, lambda e: unknown_error(
                "couldn't get version/kind; json parse error: %s" % e))
            kind, version = body.get("kind"), body.get("apiVersion")
            if kind not in (None, "", "DeleteOptions") or version not in (None, "", "v1", "meta.k8s.io/v1"):
                raise unknown_error('no kind "%s" is registered for version "%s"' % (kind, version))
            options = {}
            grace = body.get("gracePeriodSeconds")
            if grace is not None:
                if not isinstance(grace, int) or isinstance(grace, bool):
                    raise unknown_error("json: cannot unmarshal %s into Go struct field "
                                        "DeleteOptions.gracePeriodSeconds of type int64" % type(grace).__name__)
                options["gracePeriodSeconds"] = grace
            dry = body.get("dryRun")
            if dry is not None:
                if not isinstance(dry, list) or not all(isinstance(v, str) for v in dry):
                    raise unknown_error("json: cannot unmarshal into Go struct field DeleteOptions.dryRun of type []string")
                options["dryRun"] = dry
            for key in ("preconditions", "propagationPolicy", "orphanDependents"):
                if body.get(key) is not None:
                    options[key] = body[key]
        else:
            options = {}
            if "gracePeriodSeconds" in q:
                options["gracePeriodSeconds"] = parse_int(first(q, "gracePeriodSeconds"))
            if "dryRun" in q:
                options["dryRun"] = q["dryRun"]
            if "propagationPolicy" in q:
                options["propagationPolicy"] = first(q, "propagationPolicy")
            if "orphanDependents" in q:
                options["orphanDependents"] = parse_bool(first(q, "orphanDependents"))
        if options.get("orphanDependents") is not None and options.get("propagationPolicy") is not None:
            # ValidateDeleteOptions @046d201: field.Invalid on propagationPolicy
            policy = options["propagationPolicy"]
            why = "orphanDependents and deletionPropagation cannot be both set"
            raise ApiError(422, status_body(
                422, "Invalid", 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "%s": %s'
                % (policy, why), {"group": "meta.k8s.io", "kind": "DeleteOptions",
                                  "causes": [{"reason": "FieldValueInvalid", "message": 'Invalid value: "%s": %s'
                                              % (policy, why), "field": "propagationPolicy"}]}))
        validate_dry_run("DeleteOptions", options.get("dryRun") or [])
        policy = options.get("propagationPolicy")
        if policy is not None and policy not in ("Foreground", "Background", "Orphan"):
            raise invalid_error("DeleteOptions", "propagationPolicy", [policy],
                                ["Foreground", "Background", "Orphan", "nil"])
        return options

    def delete(self, user, ns, name, q, raw):
        """DELETE one pod: RBAC first (the authorization filter runs before the handler
        reads anything) [T:A7], then the options, then the store [T:A4, A5]."""
        if not allowed(user, "delete", "pods", ns):
            raise ApiError(403, forbidden_body(user, "delete", "pods", ns, name))  # [T:A7]
        self.negotiate_output()
        options = self.delete_options(q, raw)
        with LOCK:
            p = STATE["pods"].get((ns, name))
            if p is None:
                raise ApiError(404, not_found_body(name))  # [T:A4]
            answer = delete_pod(p, options)
        self.send_json(200, answer)

    def evict(self, user, ns, name, q, raw):
        """policy/v1 Eviction, as pkg/registry/core/pod/storage/eviction.go @01aa0f3
        EvictionREST.Create does it [T:A6, A8, B2]:
        - the create handler reads CreateOptions (dryRun) from the query and validates
          them (ValidateCreateOptions: 422) and decodes the body (400 when it cannot);
        - the Eviction's name must be the URL's (400) and its namespace the request's
          (400, rest.EnsureObjectNamespaceMatchesRequestNamespace);
        - propagateDryRun: the query's dryRun fills in the body's deleteOptions.dryRun,
          two different non-empty values are an error (500, not a Status);
        - the body's deleteOptions are not validated further: dry run is any non-empty
          dryRun (util/dryrun IsDryRun);
        - canIgnorePDB: a Pending, Succeeded or Failed pod, or one already terminating, is
          deleted without looking at budgets [T:B2 web-5];
        - more than one budget: a Status 500 with no reason (rtStatus);
        - a pod that is not Ready while the budget has its desired healthy pods is
          evicted without using up a disruption; this is checked before the budget's
          state (Create: "If the pod is not ready, it doesn't count towards healthy"), so
          even an unprocessed budget does not block it;
        - a budget the disruption controller has not processed yet (checkAndDecrement:
          observedGeneration behind): 429 "still being processed", retryAfterSeconds 10
          (createTooManyRequestsError) [T:A8];
        - no disruption allowed: 429 "needs N healthy pods and has M currently", no
          retryAfterSeconds (NewTooManyRequests(…, 0)) [T:B2]. The double has no
          disruption controller: it computes currentHealthy from the live pods (Running,
          Ready, not terminating) and disruptionsAllowed = currentHealthy - minAvailable,
          which is what the controller writes once it has caught up [T:B1, B2];
        - then the pod store's Delete with the deleteOptions (preconditions: 409);
        - 201 Status Success, also for a dry run, which changes nothing [T:A6]."""
        if not allowed(user, "create", "pods/eviction", ns):
            raise ApiError(403, forbidden_body(user, "create", "pods/eviction", ns, name))  # [T:A7]
        self.negotiate_output()
        query_dry = q.get("dryRun") or []
        validate_dry_run("CreateOptions", query_dry)
        body = self.decode_body(raw, lambda e: ApiError(400, status_body(
            400, "BadRequest", "the object provided is unrecognized (must be of type Eviction): %s" % e)))
        meta = body.get("metadata") or {}
        if meta.get("name") != name:
            raise ApiError(400, status_body(400, "BadRequest", "name in URL does not match name in Eviction object"))
        if meta.get("namespace") not in (None, "", ns):
            raise ApiError(400, status_body(400, "BadRequest",
                                            "the namespace of the provided object does not match the namespace sent on the request"))
        options = dict(body.get("deleteOptions") or {})
        if not options.get("dryRun"):
            options["dryRun"] = query_dry
        elif query_dry and query_dry != options["dryRun"]:
            raise unknown_error("Non-matching dry-run options in request and content: %s and %s"
                                % (query_dry, options["dryRun"]))
        grace = options.get("gracePeriodSeconds")
        if grace is not None and (not isinstance(grace, int) or isinstance(grace, bool)):
            raise ApiError(400, status_body(400, "BadRequest", "the object provided is unrecognized (must be of type "
                                            "Eviction): gracePeriodSeconds is not an integer"))
        with LOCK:
            p = STATE["pods"].get((ns, name))
            if p is None:
                raise ApiError(404, not_found_body(name))  # [T:A6]
            ignore_budgets = p["phase"] in ("Pending", "Succeeded", "Failed") or p.get("deletionTimestamp") is not None
            budgets = [] if ignore_budgets else [
                b for b in STATE["pdbs"] if b["namespace"] == ns and b["matchLabels"]
                and all(p["labels"].get(k) == v for k, v in b["matchLabels"].items())]
            if len(budgets) > 1:
                raise ApiError(500, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                     "message": "This pod has more than one PodDisruptionBudget, which the eviction "
                                                "subresource does not support.", "code": 500})
            if budgets:
                b = budgets[0]
                healthy = sum(1 for o in STATE["pods"].values() if o["namespace"] == ns and o["phase"] == "Running"
                              and o.get("ready") and o.get("deletionTimestamp") is None
                              and all(o["labels"].get(k) == v for k, v in b["matchLabels"].items()))
                desired = b["minAvailable"]
                if not p.get("ready") and healthy >= desired > 0:
                    budgets = []  # evicted without using up a disruption
            if budgets:
                if not b.get("processed", True):
                    raise ApiError(429, status_body(
                        429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                        {"causes": [{"reason": "DisruptionBudget",
                                     "message": "The disruption budget %s is still being processed by the server." % b["name"]}],
                         "retryAfterSeconds": 10}))
                if healthy - desired <= 0:
                    raise ApiError(429, status_body(
                        429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                        {"causes": [{"reason": "DisruptionBudget",
                                     "message": "The disruption budget %s needs %d healthy pods and has %d currently"
                                                % (b["name"], desired, healthy)}]}))
            delete_pod(p, options)
        self.send_json(201, status_body(201, None, None, success=True))  # [T:A6]


def first(q, key):
    """The first value of a query key, or None."""
    values = q.get(key)
    return values[0] if values else None


def not_modelled(method, path):
    """Real endpoints the double does not model answer 501, so a test that needs one
    fails loudly instead of passing against a guess."""
    return ApiError(501, status_body(501, "NotImplemented", "%s %s is not modelled by the double" % (method, path)))


# ---------------------------------------------------------------- nodes, scale, HPAs, NetworkPolicies
#
# Scenario keys (all optional):
#   nodes            [{"name","labels","unschedulable","annotations","taints"}]
#   workloads        [{"kind": "Deployment"|"StatefulSet","namespace","name","replicas","matchLabels"}]
#   hpas             [{"namespace","name","targetKind","targetName","minReplicas","maxReplicas"}]
#   networkPolicies  [full networking.k8s.io/v1 NetworkPolicy objects]
# Objects share the pods' resourceVersion counter (one etcd revision) [T:A2 resourceVersion 201..205].

WORKLOAD_RESOURCES = {"deployments": "Deployment", "statefulsets": "StatefulSet"}
PATCH_TYPES = ("application/json-patch+json", "application/merge-patch+json",
               "application/strategic-merge-patch+json", "application/apply-patch+yaml")


def load_workloads(sc):
    STATE["nodes"] = {}
    for n in sc.get("nodes", []):
        meta = {"name": n["name"], "uid": str(uuid.uuid4()), "resourceVersion": str(next_rv()),
                "creationTimestamp": now_stamp(), "labels": dict(n.get("labels", {}))}
        if n.get("annotations"):
            meta["annotations"] = dict(n["annotations"])
        spec = {"unschedulable": True} if n.get("unschedulable") else {}
        if n.get("taints"):
            spec["taints"] = [dict(t) for t in n["taints"]]
        STATE["nodes"][n["name"]] = {"kind": "Node", "apiVersion": "v1", "metadata": meta, "spec": spec,
                                     "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
    STATE["workloads"] = {}
    for w in sc.get("workloads", []):
        STATE["workloads"][(w["kind"], w["namespace"], w["name"])] = {
            "kind": w["kind"], "namespace": w["namespace"], "name": w["name"], "replicas": w.get("replicas", 1),
            "matchLabels": w.get("matchLabels", {"app": w["name"]}), "uid": str(uuid.uuid4()),
            "created": now_stamp(), "rv": next_rv()}
    STATE["hpas"] = sc.get("hpas", [])
    STATE["networkPolicies"] = {}
    for o in sc.get("networkPolicies", []):
        o = json.loads(json.dumps(o))
        meta = o.setdefault("metadata", {})
        meta.setdefault("uid", str(uuid.uuid4()))
        meta["resourceVersion"] = str(next_rv())
        STATE["networkPolicies"][(meta["namespace"], meta["name"])] = o


def check(user, verb, resource, ns, name=None, group=""):
    """RBAC before anything else is read (the authorization filter runs first). [T:A7]"""
    if not allowed(user, verb, resource, ns):
        raise ApiError(403, forbidden_body(user, verb, resource, ns, name, group))


def named_not_found(resource, name, group=""):
    """errors.NewNotFound(qualifiedResource, name) [T:A4 'pods "web-0" not found']."""
    qualified = resource + ("." + group if group else "")
    details = {"name": name, "kind": resource}
    if group:
        details["group"] = group
    return ApiError(404, status_body(404, "NotFound", '%s "%s" not found' % (qualified, name), details))


def modified_conflict(resource, name, group=""):
    """The optimistic-lock failure of an update whose resourceVersion is stale
    (apiserver storage/errors.go NewConflict via registry/generic/registry/store.go
    Store.Update: 'the object has been modified; please apply your changes to the latest
    version and try again')."""
    qualified = resource + ("." + group if group else "")
    details = {"name": name, "kind": resource}
    if group:
        details["group"] = group
    return ApiError(409, status_body(
        409, "Conflict", 'Operation cannot be fulfilled on %s "%s": the object has been modified; please apply '
        'your changes to the latest version and try again' % (qualified, name), details))


def query_dry_run(q, kind):
    """PATCH, PUT and POST take dryRun from the query (PatchOptions, UpdateOptions,
    CreateOptions decoded by the ParameterCodec in handlers/patch.go PatchResource,
    update.go UpdateResource, create.go createHandler) and validate it (ValidateDryRun):
    any value but All is 422. Unlike DELETE, a body never carries these options."""
    values = q.get("dryRun") or []
    validate_dry_run(kind, values)
    return len(values) > 0


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch: objects merge key by key, null removes, anything else
    replaces (apimachinery jsonpatch MergePatch, used by handlers/patch.go for
    application/merge-patch+json). For the Node fields chaosctl patches (spec.unschedulable,
    metadata.annotations, metadata.labels: scalars and string maps) a strategic merge
    patch (strategicpatch.StrategicMergePatch) gives the same result."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def normalise_node(o):
    """Fields with omitempty vanish when false or empty (core/v1 NodeSpec.Unschedulable
    `json:"unschedulable,omitempty"`, NodeSpec.Taints `omitempty`, ObjectMeta.Annotations
    `omitempty`) [API: Node v1]."""
    if not o["spec"].get("unschedulable"):
        o["spec"].pop("unschedulable", None)
    if not o["spec"].get("taints"):
        o["spec"].pop("taints", None)
    for key in ("annotations", "labels"):
        if key in o["metadata"] and not o["metadata"][key]:
            del o["metadata"][key]
    return o


def route_workloads(h, method, parts, q, raw, user):
    # /api/v1/nodes[/NAME]
    if parts[:3] == ["api", "v1", "nodes"]:
        if len(parts) == 3:
            h.allow(method, ("GET", "POST", "DELETE"))
            if method != "GET":
                raise not_modelled(method, "/" + "/".join(parts))
            return list_nodes(h, user, q)
        if len(parts) == 4:
            h.allow(method, ("GET", "PUT", "PATCH", "DELETE"))
            if method == "GET":
                return get_node(h, user, parts[3])
            if method == "PATCH":
                return patch_node(h, user, parts[3], q, raw)
            raise not_modelled(method, "/" + "/".join(parts))
    # /apis/apps/v1/namespaces/NS/{deployments,statefulsets}/NAME/scale
    if parts[:3] == ["apis", "apps", "v1"] and len(parts) == 8 and parts[3] == "namespaces" \
            and parts[5] in WORKLOAD_RESOURCES and parts[7] == "scale":
        h.allow(method, ("GET", "PUT", "PATCH"))
        if method == "PATCH":
            raise not_modelled(method, "/" + "/".join(parts))
        return scale(h, method, user, parts[5], parts[4], parts[6], q, raw)
    # /apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers
    if parts[:3] == ["apis", "autoscaling", "v2"] and len(parts) == 6 and parts[3] == "namespaces" \
            and parts[5] == "horizontalpodautoscalers":
        h.allow(method, ("GET", "POST", "DELETE"))
        if method != "GET":
            raise not_modelled(method, "/" + "/".join(parts))
        return list_hpas(h, user, parts[4])
    # /apis/networking.k8s.io/v1/namespaces/NS/networkpolicies[/NAME]
    if parts[:3] == ["apis", "networking.k8s.io", "v1"] and len(parts) in (6, 7) and parts[3] == "namespaces" \
            and parts[5] == "networkpolicies":
        ns = parts[4]
        if len(parts) == 6:
            h.allow(method, ("GET", "POST", "DELETE"))
            if method == "GET":
                return list_policies(h, user, ns, q)
            if method == "POST":
                return create_policy(h, user, ns, q, raw)
            raise not_modelled(method, "/" + "/".join(parts))
        h.allow(method, ("GET", "PUT", "PATCH", "DELETE"))
        if method == "GET":
            return get_policy(h, user, ns, parts[6])
        if method == "DELETE":
            return delete_policy(h, user, ns, parts[6], q, raw)
        raise not_modelled(method, "/" + "/".join(parts))
    return None


def label_match(q):
    """The query's labelSelector as a predicate over a labels dict; 400 when it does not
    parse (labels.Parse through the ParameterCodec, as for pods)."""
    try:
        return parse_label_selector(first(q, "labelSelector"))
    except ValueError as e:
        raise ApiError(400, status_body(400, "BadRequest", "unable to parse requirement: %s" % e))


def list_nodes(h, user, q):
    """GET /api/v1/nodes, a cluster-scoped list (RBAC verb list on nodes at the cluster
    scope), label selector parsed as for pods, field selector over the Node's two field
    labels. [API: Node] [T:A3 list shape]"""
    check(user, "list", "nodes", None)
    h.negotiate_output()
    match = label_match(q)
    try:
        fields = parse_field_selector(first(q, "fieldSelector"), NODE_FIELDS)
    except KeyError as e:
        raise ApiError(400, status_body(400, "BadRequest", "field label not supported: %s" % e.args[0]))
    except ValueError as e:
        raise ApiError(400, status_body(400, "BadRequest", "invalid field selector: %s" % e))
    with LOCK:
        items = []
        for name in sorted(STATE["nodes"]):
            o = json.loads(json.dumps(STATE["nodes"][name]))
            if match(o["metadata"].get("labels", {})) and fields(o):
                del o["kind"], o["apiVersion"]
                items.append(o)
        body = {"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": str(STATE["rv"])},
                "items": items}
    h.send_json(200, body)


def get_node(h, user, name):
    check(user, "get", "nodes", None, name)
    h.negotiate_output()
    with LOCK:
        o = STATE["nodes"].get(name)
        if o is None:
            raise named_not_found("nodes", name)
        h.send_json(200, o)


def patch_node(h, user, name, q, raw):
    """PATCH a Node as staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go
    @00f7534 PatchResource does it, in its order:
    - RBAC verb patch on nodes, cluster scope (the authorization filter, before the
      handler) [T:A7 message shape];
    - first in the handler, the Content-Type without its parameters must be one of the
      patch types, compared as written (sets.Has, no case folding), else 415
      (negotiation.NewUnsupportedMediaTypeError(patchTypes)); JSON patch and server-side
      apply are not modelled (501);
    - then the Accept header (NegotiateOutputMediaType: 406);
    - PatchOptions from the query (ValidatePatchOptions: dryRun other than All is 422
      with kind PatchOptions); dry run honoured (patcher.dryRun);
    - a body that does not decode is 400 "error decoding patch: …" (jsonPatcher
      applyJSPatch, MergePatchType, under the default fieldValidation Warn);
    - the merged object's metadata.resourceVersion, when the patch sets it, is a
      precondition (patchResource.applyPatch keeps it; the store's GuaranteedUpdate
      answers 409 Conflict when it is stale);
    - the answer is the object after the patch (dry run: as it would be, not stored).
    Not modelled: node validation of taints (ValidateNodeUpdate: unique key+effect, label
    syntax; pkg/apis/core/validation, not read), and the taint manager of the
    controller-manager: a NoExecute taint evicts no pod in the double."""
    check(user, "patch", "nodes", None, name)
    media = (h.headers.get("Content-Type") or "").split(";")[0]
    if media not in PATCH_TYPES:
        raise ApiError(415, status_body(
            415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: "
            + ", ".join(PATCH_TYPES)))
    h.negotiate_output()
    if media not in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
        raise ApiError(501, status_body(501, "NotImplemented", "the double models merge and strategic merge patches only"))
    if media == "application/strategic-merge-patch+json" and b"taints" in (raw or b""):
        # NodeSpec.Taints is a list merged by key under a strategic merge patch
        # (patchMergeKey); merge_patch would replace it, so the double refuses to guess.
        raise ApiError(501, status_body(501, "NotImplemented", "strategic merge of spec.taints is not modelled by the double"))
    dry = query_dry_run(q, "PatchOptions")
    try:
        patch = json.loads(raw or b"null")
    except ValueError as e:
        raise ApiError(400, status_body(400, "BadRequest", "error decoding patch: %s" % e))
    if not isinstance(patch, dict):
        raise ApiError(400, status_body(400, "BadRequest", "error decoding patch: not a JSON object"))
    with LOCK:
        current = STATE["nodes"].get(name)
        if current is None:
            raise named_not_found("nodes", name)
        merged = normalise_node(merge_patch(current, patch))
        wanted = ((patch.get("metadata") or {}).get("resourceVersion"))
        if wanted is not None and wanted != current["metadata"]["resourceVersion"]:
            raise modified_conflict("nodes", name)
        merged["metadata"]["name"] = name
        merged["metadata"]["uid"] = current["metadata"]["uid"]
        if dry:
            merged["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            return h.send_json(200, merged)
        if merged != current:
            merged["metadata"]["resourceVersion"] = str(next_rv())
        else:
            merged["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        STATE["nodes"][name] = merged
        h.send_json(200, merged)


def scale_object(w):
    """autoscaling/v1 Scale as pkg/registry/apps/deployment/storage/storage.go
    scaleFromDeployment (and statefulset/storage ScaleREST) builds it: the workload's
    name, namespace, uid, resourceVersion and creationTimestamp; spec.replicas;
    status.replicas and the selector as a string."""
    selector = ",".join("%s=%s" % kv for kv in sorted(w["matchLabels"].items()))
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {"name": w["name"], "namespace": w["namespace"], "uid": w["uid"],
                         "resourceVersion": str(w["rv"]), "creationTimestamp": w["created"]},
            "spec": {"replicas": w["replicas"]} if w["replicas"] else {},
            "status": {"replicas": w["replicas"], "selector": selector}}


def scale(h, method, user, resource, ns, name, q, raw):
    """GET and PUT of the scale subresource (pkg/registry/apps/deployment/storage/storage.go
    @030880a ScaleREST.Get / ScaleREST.Update / scaleUpdatedObjectInfo.UpdatedObject;
    statefulset/storage/storage.go is built the same way, not read):
    - RBAC: get/update on "<resource>/scale" in group apps;
    - 404 names the workload ('deployments.apps "x" not found': the store's Get);
    - PUT: the body is a Scale; its name must be the URL's (handlers/update.go
      UpdateResource: 400 'the name of the object (a) does not match the name on the URL
      (b)'; update.go not read); then, in UpdatedObject's order:
      spec.replicas below 0 is 422 (errors.NewInvalid(autoscaling.Kind("Scale"), …) from
      ValidateScale); a metadata.uid that is not the workload's is 409 'Operation cannot
      be fulfilled on deployments/scale.apps "x": Precondition failed: UID in
      precondition: …, UID in object meta: …'; the Scale's resourceVersion is copied onto
      the workload and a non-empty stale one is 409 from the store's optimistic lock
      (the message of modified_conflict); dryRun from the query is honoured; the answer
      is the new Scale (scaleFromDeployment).
    - PATCH: the real ScaleREST is a rest.Patcher; chaosctl uses PUT and the double
      answers 501 rather than guess a patch's merge into a Scale."""
    kind = WORKLOAD_RESOURCES[resource]
    verb = "get" if method == "GET" else "update"
    check(user, verb, resource + "/scale", ns, name, "apps")
    h.negotiate_output()
    dry = query_dry_run(q, "UpdateOptions") if method == "PUT" else False
    body = None
    if method == "PUT":
        body = h.decode_body(raw, lambda e: ApiError(400, status_body(
            400, "BadRequest", "the object provided is unrecognized (must be of type Scale): %s" % e)))
    with LOCK:
        w = STATE["workloads"].get((kind, ns, name))
        if w is None:
            raise named_not_found(resource, name, "apps")
        if method == "GET":
            return h.send_json(200, scale_object(w))
        meta = body.get("metadata") or {}
        if meta.get("name") not in (None, "", name):
            raise ApiError(400, status_body(400, "BadRequest", "the name of the object (%s) does not match the name on "
                                            "the URL (%s)" % (meta.get("name"), name)))
        replicas = (body.get("spec") or {}).get("replicas", 0)
        if not isinstance(replicas, int) or isinstance(replicas, bool):
            raise ApiError(400, status_body(400, "BadRequest", "the object provided is unrecognized (must be of type "
                                            "Scale): spec.replicas is not an integer"))
        if replicas < 0:
            raise ApiError(422, status_body(
                422, "Invalid", 'Scale.autoscaling "%s" is invalid: spec.replicas: Invalid value: %d: must be greater '
                'than or equal to 0' % (name, replicas),
                {"name": name, "group": "autoscaling", "kind": "Scale",
                 "causes": [{"reason": "FieldValueInvalid", "message": "Invalid value: %d: must be greater than or "
                             "equal to 0" % replicas, "field": "spec.replicas"}]}))
        if meta.get("uid") and meta["uid"] != w["uid"]:
            raise ApiError(409, status_body(
                409, "Conflict", 'Operation cannot be fulfilled on %s/scale.apps "%s": Precondition failed: UID in '
                'precondition: %s, UID in object meta: %s' % (resource, name, meta["uid"], w["uid"]),
                {"name": name, "group": "apps", "kind": resource + "/scale"}))
        if meta.get("resourceVersion") and meta["resourceVersion"] != str(w["rv"]):
            raise modified_conflict(resource, name, "apps")
        if dry:
            answer = dict(w, replicas=replicas)
            return h.send_json(200, scale_object(answer))
        if replicas != w["replicas"]:
            w["replicas"] = replicas
            w["rv"] = next_rv()
        h.send_json(200, scale_object(w))


def list_hpas(h, user, ns):
    """autoscaling/v2 HorizontalPodAutoscalerList: spec.scaleTargetRef {apiVersion, kind,
    name}, minReplicas, maxReplicas. [API: HorizontalPodAutoscaler v2]"""
    check(user, "list", "horizontalpodautoscalers", ns, None, "autoscaling")
    h.negotiate_output()
    with LOCK:
        items = [{"metadata": {"name": a["name"], "namespace": a["namespace"]},
                  "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": a["targetKind"], "name": a["targetName"]},
                           "minReplicas": a.get("minReplicas", 1), "maxReplicas": a.get("maxReplicas", 10)}}
                 for a in STATE["hpas"] if a["namespace"] == ns]
    h.send_json(200, {"kind": "HorizontalPodAutoscalerList", "apiVersion": "autoscaling/v2",
                      "metadata": {"resourceVersion": str(STATE["rv"])}, "items": items})


def list_policies(h, user, ns, q):
    check(user, "list", "networkpolicies", ns, None, "networking.k8s.io")
    h.negotiate_output()
    match = label_match(q)
    with LOCK:
        items = [o for (n, _), o in sorted(STATE["networkPolicies"].items())
                 if n == ns and match(o["metadata"].get("labels", {}))]
    h.send_json(200, {"kind": "NetworkPolicyList", "apiVersion": "networking.k8s.io/v1",
                      "metadata": {"resourceVersion": str(STATE["rv"])}, "items": items})


def get_policy(h, user, ns, name):
    check(user, "get", "networkpolicies", ns, name, "networking.k8s.io")
    h.negotiate_output()
    with LOCK:
        o = STATE["networkPolicies"].get((ns, name))
        if o is None:
            raise named_not_found("networkpolicies", name, "networking.k8s.io")
        h.send_json(200, o)


def create_policy(h, user, ns, q, raw):
    """POST a NetworkPolicy (handlers/create.go createHandler, registry Store.Create):
    - RBAC create on networkpolicies in networking.k8s.io;
    - CreateOptions from the query (dryRun, 422 on other values);
    - the body's namespace must be the request's (400,
      rest.EnsureObjectNamespaceMatchesRequestNamespace, read through find_string, called
      by rest.BeforeCreate before validation); a name is required (422, ValidateObjectMeta
      "name or generateName is required", not read; generateName is not modelled);
    - a taken name is 409 AlreadyExists ('networkpolicies.networking.k8s.io "x" already
      exists', errors.NewAlreadyExists);
    - 201 with the stored object: uid, resourceVersion, creationTimestamp, generation 1
      filled in (dry run: the same answer, nothing stored)."""
    check(user, "create", "networkpolicies", ns, None, "networking.k8s.io")
    h.negotiate_output()
    dry = query_dry_run(q, "CreateOptions")
    body = h.decode_body(raw, lambda e: ApiError(400, status_body(
        400, "BadRequest", "the object provided is unrecognized (must be of type NetworkPolicy): %s" % e)))
    meta = body.setdefault("metadata", {})
    if meta.get("namespace") not in (None, "", ns):
        raise ApiError(400, status_body(400, "BadRequest",
                                        "the namespace of the provided object does not match the namespace sent on the request"))
    name = meta.get("name")
    if not name:
        # errors.NewInvalid lists each field error as a cause (field.Required: FieldValueRequired)
        raise ApiError(422, status_body(422, "Invalid", 'NetworkPolicy.networking.k8s.io "" is invalid: metadata.name: '
                                        'Required value: name or generateName is required',
                                        {"group": "networking.k8s.io", "kind": "NetworkPolicy",
                                         "causes": [{"reason": "FieldValueRequired",
                                                     "message": "Required value: name or generateName is required",
                                                     "field": "metadata.name"}]}))
    with LOCK:
        if (ns, name) in STATE["networkPolicies"]:
            raise ApiError(409, status_body(409, "AlreadyExists", 'networkpolicies.networking.k8s.io "%s" already exists'
                                            % name, {"name": name, "group": "networking.k8s.io",
                                                     "kind": "networkpolicies"}))
        meta.update({"namespace": ns, "uid": str(uuid.uuid4()), "creationTimestamp": now_stamp(), "generation": 1})
        body["kind"], body["apiVersion"] = "NetworkPolicy", "networking.k8s.io/v1"
        if dry:
            meta["resourceVersion"] = ""
            return h.send_json(201, body)
        meta["resourceVersion"] = str(next_rv())
        STATE["networkPolicies"][(ns, name)] = body
        h.send_json(201, body)


def delete_policy(h, user, ns, name, q, raw):
    """DELETE a NetworkPolicy: DeleteOptions from the body, else the query, exactly as for
    pods (handlers/delete.go DeleteResource @c8068eb; kubernetes-delete-options.md); a UID
    or resourceVersion precondition that does not hold is 409 naming
    'NetworkPolicy.networking.k8s.io' (registry/rest/delete.go BeforeDelete @02a7741:
    the GroupResource is the object's group and Kind); dry run answers without removing.
    A NetworkPolicy has no graceful deletion, so it goes at once and the answer is a
    Status Success with details {name, group, kind: the resource, uid} and no code
    (registry/generic/registry/store.go Store.finalizeDelete with ReturnDeletedObject
    unset, read through find_string; "Yes we set Kind field to resource")."""
    check(user, "delete", "networkpolicies", ns, name, "networking.k8s.io")
    h.negotiate_output()
    options = h.delete_options(q, raw)
    with LOCK:
        o = STATE["networkPolicies"].get((ns, name))
        if o is None:
            raise named_not_found("networkpolicies", name, "networking.k8s.io")
        uid, rv = o["metadata"]["uid"], o["metadata"]["resourceVersion"]
        check_preconditions("NetworkPolicy", name, uid, rv, options, "networking.k8s.io")
        if not options.get("dryRun"):
            del STATE["networkPolicies"][(ns, name)]
            next_rv()
    h.send_json(200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                      "details": {"name": name, "group": "networking.k8s.io", "kind": "networkpolicies", "uid": uid}})


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
                  "statefulSets": {(r["namespace"], r["name"]): r for r in sc.get("statefulSets", [])},
                  "kubeletNodes": set(sc.get("kubeletNodes", [])),
                  "kubeletStopDelay": sc.get("kubeletStopDelay", 0.2)})
    load_workloads(sc)
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
