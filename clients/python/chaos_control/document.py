"""Control-file bytes → an immutable, validated snapshot (docs/control-file.md sections 2-3).

Any invalid part rejects the whole file: the caller keeps its last good snapshot.
"""
import json
import math
import re
from types import MappingProxyType

from .decision import Decision
from .errors import ControlFileError
from .rfc3339 import parse_ms
from .splitmix import threshold

SUPPORTED_VERSION = 1
MAX_FILE_BYTES = 1 << 20
MAX_DEPTH = 512
MAX_MILLISECONDS = 86_400_000
MAX_HITS = 10 ** 12
MAX_SAFE_INTEGER = 2 ** 53 - 1
_NAME = re.compile(r"[a-z0-9._-]{1,128}")
_FLAG_FIELDS = {"enabled", "percent", "latency_ms", "jitter_ms", "mode", "severity", "expires_at",
                "max_hits", "params", "seed"}


class Flag:
    """One flag as the reader uses it: plain values, read-only after construction."""

    __slots__ = ("name", "enabled", "threshold", "latency_ns", "jitter_ns", "mode", "severity",
                 "expires_ms", "max_hits", "seed", "params", "definition", "definition_token", "decision",
                 "q", "low_ns", "span", "plain", "fast")

    def __init__(self, name, fields, definition):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "definition", definition)
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, key, value):
        raise AttributeError("Flag is immutable")

    def __repr__(self):
        return "Flag(%r, %s)" % (self.name, self.definition)


class Snapshot:
    """The document in force: generation and flags by name. Never changed once published."""

    __slots__ = ("generation", "flags", "updated_at", "updated_by")

    def __init__(self, generation=0, flags=None, updated_at=None, updated_by=None):
        object.__setattr__(self, "generation", generation)
        object.__setattr__(self, "flags", MappingProxyType(dict(flags or {})))
        object.__setattr__(self, "updated_at", updated_at)
        object.__setattr__(self, "updated_by", updated_by)

    def __setattr__(self, key, value):
        raise AttributeError("Snapshot is immutable")


EMPTY = Snapshot()


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer(value, low, high, flag, field):
    """An integer in [low, high]; integral doubles (5.0) count, as in JSON Schema."""
    if not _is_number(value):
        raise ControlFileError("must be an integer", flag=flag, field=field, value=_show(value))
    if isinstance(value, float):
        if not math.isfinite(value) or value != math.floor(value):
            raise ControlFileError("is not an integer", flag=flag, field=field, value=_show(value))
        value = int(value)
    if value < low or (high is not None and value > high):
        bound = "must be at least %d" % low if high is None else "is out of range %d-%d" % (low, high)
        raise ControlFileError(bound, flag=flag, field=field, value=_show(value))
    return value


def _show(value):
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _depth(value):
    """Nesting depth of parsed JSON (an object or array is one level), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def parse(data):
    """Bytes → Snapshot; raises ControlFileError naming what is wrong."""
    try:
        root = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except RecursionError:
        raise ControlFileError("is nested deeper than %d levels" % MAX_DEPTH) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ControlFileError("is not valid JSON (%s)" % error) from None
    if not isinstance(root, dict):
        raise ControlFileError("the top level must be a JSON object")
    if _depth(root) > MAX_DEPTH:
        raise ControlFileError("is nested deeper than %d levels" % MAX_DEPTH)
    if "version" not in root:
        raise ControlFileError("is required", field="version")
    version = _integer(root["version"], 1, None, None, "version")
    if version > SUPPORTED_VERSION:
        raise ControlFileError("unsupported version %d (this reader understands version %d)"
                               % (version, SUPPORTED_VERSION))
    if "generation" not in root:
        raise ControlFileError("is required", field="generation")
    generation = _integer(root["generation"], 0, MAX_SAFE_INTEGER, None, "generation")
    updated_at = root.get("updated_at")
    if "updated_at" in root and parse_ms(updated_at) is None:
        raise ControlFileError("is not an RFC 3339 timestamp", field="updated_at", value=_show(updated_at))
    updated_by = root.get("updated_by")
    if "updated_by" in root and not isinstance(updated_by, str):
        raise ControlFileError("must be a string", field="updated_by", value=_show(updated_by))
    if "flags" not in root:
        raise ControlFileError("is required", field="flags")
    if not isinstance(root["flags"], dict):
        raise ControlFileError("must be an object mapping flag names to flags", field="flags",
                               value=_show(root["flags"]))
    flags = {name: parse_flag(name, root["flags"][name]) for name in sorted(root["flags"])}
    return Snapshot(generation, flags, updated_at, updated_by)


def parse_flag(name, value):
    """One flag's JSON → Flag, or ControlFileError naming flag, field and value."""
    if not _NAME.fullmatch(name):
        raise ControlFileError("invalid flag name: must match ^[a-z0-9._-]{1,128}$", flag=name)
    if not isinstance(value, dict):
        raise ControlFileError("must be an object", flag=name, value=_show(value))
    if "enabled" not in value:
        raise ControlFileError("is required", flag=name, field="enabled")

    def fail(field, reason):
        return ControlFileError(reason, flag=name, field=field, value=_show(value[field]))

    if not isinstance(value["enabled"], bool):
        raise fail("enabled", "must be true or false")
    percent = value.get("percent", 100)
    if not _is_number(percent) or not math.isfinite(percent) or not 0 <= percent <= 100:
        raise fail("percent", "must be a number 0-100")
    latency = _integer(value.get("latency_ms", 0), 0, MAX_MILLISECONDS, name, "latency_ms")
    jitter = _integer(value.get("jitter_ms", 0), 0, MAX_MILLISECONDS, name, "jitter_ms")
    mode = value.get("mode")
    if "mode" in value and mode not in ("fail", "fallback"):
        raise fail("mode", "is not one of fail, fallback")
    severity = value.get("severity")
    if "severity" in value and severity not in ("soft", "hard"):
        raise fail("severity", "is not one of soft, hard")
    expires_ms = None
    if "expires_at" in value:
        expires_ms = parse_ms(value["expires_at"])
        if expires_ms is None:
            raise fail("expires_at", "is not an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)")
    max_hits = _integer(value["max_hits"], 1, MAX_HITS, name, "max_hits") if "max_hits" in value else None
    seed = _integer(value["seed"], 0, MAX_SAFE_INTEGER, name, "seed") if "seed" in value else None
    params = value.get("params", {})
    if not isinstance(params, dict):
        raise fail("params", "must be an object")
    for key, param in params.items():
        if not 1 <= len(key.encode("utf-8")) <= 128:
            raise ControlFileError("is not a valid parameter name (1-128 bytes)", flag=name, field="params",
                                   value=_show(key))
        valid = isinstance(param, (str, bool)) or (_is_number(param) and math.isfinite(param))
        if not valid:
            raise ControlFileError("must be a string, number or boolean", flag=name, field="params." + key,
                                   value=_show(param))
    fields = {
        "enabled": value["enabled"], "threshold": threshold(percent), "latency_ns": latency * 1_000_000,
        "jitter_ns": jitter * 1_000_000, "mode": mode, "severity": severity, "expires_ms": expires_ms,
        "max_hits": max_hits, "seed": seed, "params": MappingProxyType(dict(params)),
    }
    fields["decision"] = Decision(True, latency * 1_000_000, mode, severity)   # the firing decision without jitter
    # The unseeded fast path: random.random() < q, delay = low_ns + floor(random() * span).
    # span is a float (exact below 2^53): float * float is CPython's quick multiply.
    q, low_ns, span = float(percent) / 100.0, (latency - jitter) * 1_000_000, float(2 * jitter * 1_000_000 + 1)
    fields.update(q=q, low_ns=low_ns, span=span,
                  plain=value["enabled"] and expires_ms is None and max_hits is None and seed is None)
    # The same as one tuple, which the reader's fast path unpacks in one step.
    fields["fast"] = (q, low_ns, span)
    # The definition, compared to tell a definition change (section 3.1): the flag's whole JSON.
    return Flag(name, fields, json.dumps(value, sort_keys=True, separators=(",", ":")))
