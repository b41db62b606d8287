#!/usr/bin/env python3
"""Writes the conformance vectors of docs/control-file.md section 8 into this directory.

Expected values are derived here from the spec's arithmetic (section 3.3), written out
step by step for each case; no reader's code is imported. Run it after editing a case:
    python3 docs/conformance/generate.py
"""
import json
import os

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
JITTER_SALT = 0xD1B54A32D192ED03
C0 = "2026-11-22T17:00:00Z"
HERE = os.path.dirname(os.path.abspath(__file__))


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Sequence:
    """SplitMix64 seeded with `seed`: the n-th draw is mix(seed + n * GOLDEN)."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + GOLDEN) & MASK
        return mix(self.state)


def threshold(percent):
    q = float(percent) / 100.0
    return None if q >= 1.0 else int(q * 2.0 ** 64)


def passes(draw, percent):
    t = threshold(percent)
    return t is None or draw < t


def delay_ns(draw, latency_ms=0, jitter_ms=0):
    latency, jitter = latency_ms * 1_000_000, jitter_ms * 1_000_000
    if jitter == 0:
        return latency
    bits = mix(draw ^ JITTER_SALT)
    offset = (bits * (2 * jitter + 1)) >> 64
    return max(0, latency + offset - jitter)


NONE = {"fires": False, "delay_ns": 0, "mode": None, "severity": None}


def fired(delay=0, mode=None, severity=None):
    return {"fires": True, "delay_ns": delay, "mode": mode, "severity": severity}


def decisions(seq, count, percent=100, latency_ms=0, jitter_ms=0, mode=None, severity=None, max_hits=None, hits=None):
    """`count` decide() calls of one active flag drawing from `seq`. `hits` is a one-item list
    holding the max_hits count so far (shared across calls of one definition)."""
    out = []
    for _ in range(count):
        draw = seq.next()
        if not passes(draw, percent):
            out.append(NONE)
            continue
        if max_hits is not None:
            if hits[0] >= max_hits:
                out.append(NONE)
                continue
            hits[0] += 1
        out.append(fired(delay_ns(draw, latency_ms, jitter_ms), mode, severity))
    return out


def doc(generation, flags, **extra):
    document = {"version": 1, "generation": generation, "flags": flags}
    document.update(extra)
    return document


def write(document):
    return {"op": "write", "document": document}


def text(value):
    return {"op": "write_text", "text": value}


def call(flag, expect, method="decide"):
    return {"op": "call", "flag": flag, "method": method, "expect": expect}


def state(**expect):
    return {"op": "state", "expect": expect}


CASES = []


def case(name, rules, description, steps, clock=C0, reader_seed=None):
    vector = {"name": name, "rules": rules, "description": description, "clock": clock}
    if reader_seed is not None:
        vector["reader_seed"] = reader_seed
    vector["steps"] = steps
    CASES.append(vector)


ON = {"enabled": True}
GOOD = doc(1, {"a": {"enabled": True, "latency_ms": 5}})
GOOD_A = [fired(5_000_000)]


def keeps_last_good(name, rules, description, bad_step):
    """A good document, then `bad_step`: the good state stays and an error is reported."""
    case(name, rules, description, [
        write(GOOD), call("a", GOOD_A), state(generation=1, error=False),
        bad_step, state(generation=1, error=True), call("a", GOOD_A * 2),
    ])


def rejected_at_start(name, rules, description, bad_step):
    """A bad file before any good one: no faults, error reported."""
    case(name, rules, description, [bad_step, state(generation=0, error=True), call("a", [NONE, NONE])])


# ---- documents and basic decisions -------------------------------------------------------
case("missing-file", ["4"], "No file: no faults, generation 0, no error.",
     [state(generation=0, error=False), call("a", [NONE, NONE]), call("a", [False], "fires")])
case("minimal-document", ["2", "4"], "The smallest valid file: no flags, no error.",
     [write(doc(0, {})), state(generation=0, error=False), call("a", [NONE])])
case("missing-directory", ["4"], "The file's directory does not exist: no faults, no error; a file written later is read.",
     [{"op": "remove_directory"}, state(generation=0, error=False), call("a", [NONE]),
      write(GOOD), state(generation=1, error=False), call("a", GOOD_A)])
case("percent-default-100", ["3", "3.1"], "percent defaults to 100: every call fires with latency_ms.",
     [write(doc(3, {"slow": {"enabled": True, "latency_ms": 200}})), state(generation=3, error=False),
      call("slow", [fired(200_000_000)] * 3), call("slow", [True, True], "fires")])
case("percent-zero", ["3.1", "3.3"], "percent 0 never fires.",
     [write(doc(1, {"z": {"enabled": True, "percent": 0, "latency_ms": 9}})), call("z", [NONE] * 5),
      call("z", [False] * 3, "fires")])
case("disabled-flag", ["3.1"], "enabled false never fires, whatever else is set.",
     [write(doc(1, {"off": {"enabled": False, "percent": 100, "latency_ms": 9, "mode": "fail"}})), call("off", [NONE] * 3)])
case("unknown-flag-name", ["3.1"], "A name not in the file never fires.",
     [write(GOOD), call("not-there", [NONE, NONE])])
case("mode-and-severity", ["3"], "mode and severity are reported with a firing decision.",
     [write(doc(1, {"f": {"enabled": True, "mode": "fail", "severity": "hard"},
                    "g": {"enabled": True, "mode": "fallback", "severity": "soft", "latency_ms": 1}})),
      call("f", [fired(0, "fail", "hard")] * 2), call("g", [fired(1_000_000, "fallback", "soft")])])
case("params-values", ["3"], "params keep strings, numbers and booleans; absent params are empty.",
     [write(doc(1, {"p": {"enabled": False, "params": {"route": "/checkout", "rps": 5, "ratio": 0.25, "strict": True}},
                    "q": {"enabled": True}})),
      state(params={"p": {"route": "/checkout", "rps": 5, "ratio": 0.25, "strict": True}, "q": {}, "absent": {}})])
spec_example = doc(12, {
    "drop-s3": {"enabled": True, "expires_at": "2026-11-22T18:00:00Z", "percent": 10},
    "fail-auth": {"enabled": True, "max_hits": 25, "mode": "fallback", "percent": 100},
    "rate-limit-spike": {"enabled": False, "params": {"route": "/checkout", "rps": 5}, "percent": 100, "severity": "hard"},
    "slow-db": {"enabled": True, "jitter_ms": 150, "latency_ms": 200, "percent": 50},
}, updated_at="2026-11-22T17:05:00.250Z", updated_by="chaosctl alice@build-7 pid 4242")
case("spec-example", ["1", "3"], "The example of section 1 at 17:05: fail-auth falls back, the spike is off.",
     [write(spec_example), state(generation=12, error=False, params={"rate-limit-spike": {"route": "/checkout", "rps": 5}}),
      call("fail-auth", [fired(0, "fallback")] * 3), call("rate-limit-spike", [NONE])],
     clock="2026-11-22T17:05:00Z")

# ---- seeded sequences (3.2, 3.3) ----------------------------------------------------------
s = Sequence(42)
case("flag-seed-percent-50", ["3.2", "3.3"], "A flag's own seed: the first 16 percent-50 decisions of seed 42.",
     [write(doc(1, {"s": {"enabled": True, "percent": 50, "latency_ms": 3, "seed": 42}})),
      call("s", decisions(s, 16, 50, 3))])
s = Sequence(42)
case("flag-seed-jitter", ["3.3"], "latency 100 ms ± 80 ms from seed 42: the delay mapping in nanoseconds.",
     [write(doc(1, {"j": {"enabled": True, "latency_ms": 100, "jitter_ms": 80, "seed": 42}})),
      call("j", decisions(s, 12, 100, 100, 80))])
s = Sequence(7)
clamped = decisions(s, 20, 100, 10, 50)
assert any(d["delay_ns"] == 0 for d in clamped), "the case must show the clamp"
case("jitter-clamped-at-zero", ["3", "3.3"], "latency 10 ms ± 50 ms: negative delays are clamped to 0.",
     [write(doc(1, {"j": {"enabled": True, "latency_ms": 10, "jitter_ms": 50, "seed": 7}})), call("j", clamped)])
s = Sequence(1234)
case("fractional-percent", ["3", "3.3"], "percent 12.5 from seed 1234, 24 calls.",
     [write(doc(1, {"f": {"enabled": True, "percent": 12.5, "seed": 1234}})), call("f", decisions(s, 24, 12.5))])
s = Sequence(99)
case("percent-99.9", ["3.3"], "percent 99.9 (threshold below 2^64) from seed 99.",
     [write(doc(1, {"f": {"enabled": True, "percent": 99.9, "seed": 99}})), call("f", decisions(s, 16, 99.9))])
s = Sequence(2**53 - 1)
case("flag-seed-largest", ["3.2", "3.3"], "seed 2^53-1, the largest allowed: additions wrap modulo 2^64.",
     [write(doc(1, {"f": {"enabled": True, "percent": 33.3, "jitter_ms": 5, "seed": 2**53 - 1}})),
      call("f", decisions(s, 12, 33.3, 0, 5))])
s = Sequence(0)
case("flag-seed-zero", ["3.3"], "seed 0 is a seed like any other.",
     [write(doc(1, {"f": {"enabled": True, "percent": 50, "seed": 0}})), call("f", decisions(s, 12, 50))])
r = Sequence(5)
interleaved = []
a1 = decisions(r, 2, 50, 1)
b1 = decisions(r, 3, 50, 2)
a2 = decisions(r, 2, 50, 1)
case("reader-seed-shared-sequence", ["3.2", "3.3"], "A reader seed: all flags draw from one sequence in call order.",
     [write(doc(1, {"a": {"enabled": True, "percent": 50, "latency_ms": 1}, "b": {"enabled": True, "percent": 50, "latency_ms": 2}})),
      call("a", a1), call("b", b1), call("a", a2)], reader_seed=5)
r = Sequence(5)
case("reader-seed-overrides-flag-seed", ["3.2"], "A reader seed wins over the flag's seed field.",
     [write(doc(1, {"a": {"enabled": True, "percent": 50, "seed": 42}})), call("a", decisions(r, 12, 50))], reader_seed=5)
r = Sequence(11)
always = decisions(r, 2, 100, 0, 20)
after = decisions(r, 6, 50)
case("percent-100-takes-a-draw", ["3.3"], "A percent-100 call still takes one draw from the shared sequence.",
     [write(doc(1, {"all": {"enabled": True, "jitter_ms": 20}, "half": {"enabled": True, "percent": 50}})),
      call("all", always), call("half", after)], reader_seed=11)
r = Sequence(11)
first = decisions(r, 4, 50)
case("fires-takes-one-draw", ["3.3"], "fires() and decide() each take one draw, so they can be mixed.",
     [write(doc(1, {"half": {"enabled": True, "percent": 50}, "all": {"enabled": True}})),
      call("half", [d["fires"] for d in first[:2]], "fires"), call("all", [True], "fires"),
      call("half", decisions(r, 2, 50))], reader_seed=11)
# the call on "all" took draw 5 (draws 1-4 were computed into `first`, only 1-2 used):
# recompute exactly: draws 1,2 -> half (fires); 3 -> all; 4,5 -> half (decide)
r = Sequence(11)
d1 = [passes(r.next(), 50) for _ in range(2)]
r.next()
d2 = decisions(r, 2, 50)
CASES[-1]["steps"][1]["expect"] = d1
CASES[-1]["steps"][3]["expect"] = d2
r = Sequence(9)
case("inactive-flags-take-no-draw", ["3.3"], "Disabled, expired and absent flags take no draw.",
     [write(doc(1, {"off": {"enabled": False}, "old": {"enabled": True, "expires_at": "2026-11-22T16:00:00Z"},
                    "half": {"enabled": True, "percent": 50}})),
      call("off", [NONE] * 3), call("old", [NONE] * 3), call("gone", [NONE] * 3), call("half", decisions(r, 8, 50))],
     reader_seed=9)
r = Sequence(3)
hits = [0]
case("max-hits-exhausted-still-draws", ["3.1", "3.3"], "Calls after max_hits is used up still take their draw.",
     [write(doc(1, {"m": {"enabled": True, "max_hits": 1}, "half": {"enabled": True, "percent": 50}})),
      call("m", decisions(r, 3, 100, max_hits=1, hits=hits)), call("half", decisions(r, 6, 50))], reader_seed=3)
s = Sequence(42)
first = decisions(s, 5, 50, 0, 10)
s = Sequence(42)
case("seed-restarts-on-definition-change", ["3.2"], "Any change of the flag's JSON restarts its seeded sequence.",
     [write(doc(1, {"s": {"enabled": True, "percent": 50, "jitter_ms": 10, "seed": 42}})), call("s", first),
      write(doc(2, {"s": {"enabled": True, "percent": 50, "jitter_ms": 10, "seed": 42, "note": "rewritten"}})),
      call("s", first)])
s = Sequence(42)
part1 = decisions(s, 4, 50)
part2 = decisions(s, 4, 50)
case("seed-continues-across-other-changes", ["3.2"], "A rewrite that changes only generation, updated_* or other flags keeps the sequence going.",
     [write(doc(1, {"s": {"enabled": True, "percent": 50, "seed": 42}})), call("s", part1),
      write(doc(2, {"s": {"enabled": True, "percent": 50, "seed": 42}, "other": {"enabled": True}},
                updated_at="2026-11-22T17:00:00Z", updated_by="someone", extra={"x": 1})),
      call("s", part2)])

# ---- max_hits (3.1) -------------------------------------------------------------------------
case("max-hits-basic", ["3.1"], "max_hits 3: three firings, then none.",
     [write(doc(1, {"m": {"enabled": True, "max_hits": 3, "mode": "fail"}})),
      call("m", [fired(0, "fail")] * 3 + [NONE] * 2), call("m", [False], "fires")])
s = Sequence(42)
hits = [0]
counted = decisions(s, 14, 50, max_hits=3, hits=hits)
assert hits[0] == 3 and counted.index(NONE) < 5
case("max-hits-counts-only-firings", ["3.1"], "Calls that lose the percent roll do not use up max_hits.",
     [write(doc(1, {"m": {"enabled": True, "percent": 50, "max_hits": 3, "seed": 42}})), call("m", counted)])
case("max-hits-reset-on-definition-change", ["3.1"], "A changed definition (here params) counts afresh.",
     [write(doc(1, {"m": {"enabled": True, "max_hits": 2, "params": {"v": 1}}})), call("m", [fired()] * 2 + [NONE]),
      write(doc(2, {"m": {"enabled": True, "max_hits": 2, "params": {"v": 2}}})), call("m", [fired()] * 2 + [NONE])])
case("max-hits-reset-on-unknown-field-change", ["3.1", "5.1"], "A changed unknown field is a definition change.",
     [write(doc(1, {"m": {"enabled": True, "max_hits": 1, "chaosctl_write": "r1"}})), call("m", [fired(), NONE]),
      write(doc(2, {"m": {"enabled": True, "max_hits": 1, "chaosctl_write": "r2"}})), call("m", [fired(), NONE])])
case("max-hits-kept-across-other-changes", ["3.1"], "Rewrites of other flags, generation or updated_* keep the count.",
     [write(doc(1, {"m": {"enabled": True, "max_hits": 2}})), call("m", [fired()] * 2),
      write(doc(2, {"m": {"enabled": True, "max_hits": 2}, "n": {"enabled": True}}, updated_by="x")),
      call("m", [NONE]), write(doc(3, {"m": {"enabled": True, "max_hits": 2}})), call("m", [NONE]),
      state(generation=3, error=False)])
case("max-hits-remove-and-add-back", ["3.1"], "Removing a flag and adding it back is a definition change.",
     [write(doc(1, {"m": {"enabled": True, "max_hits": 1}})), call("m", [fired(), NONE]),
      write(doc(2, {})), call("m", [NONE]),
      write(doc(3, {"m": {"enabled": True, "max_hits": 1}})), call("m", [fired(), NONE])])

# ---- expiry (3, 3.1) -------------------------------------------------------------------------
case("expires-in-future", ["3.1"], "expires_at an hour away: the flag fires.",
     [write(doc(1, {"e": {"enabled": True, "expires_at": "2026-11-22T18:00:00Z"}})), call("e", [fired()] * 2)])
case("expires-in-past", ["3.1"], "expires_at in the past: off.",
     [write(doc(1, {"e": {"enabled": True, "expires_at": "2026-11-22T16:59:59Z"}})), call("e", [NONE] * 2),
      state(generation=1, error=False)])
case("expires-at-now", ["3.1"], "From the expires_at instant on the flag is off (now >= expires_at).",
     [write(doc(1, {"e": {"enabled": True, "expires_at": C0}})), call("e", [NONE])])
case("expires-sub-millisecond-truncated", ["3.1"], "Fraction digits after the third are dropped: .0009 is the instant itself.",
     [write(doc(1, {"e": {"enabled": True, "expires_at": "2026-11-22T17:00:00.0009Z"}})), call("e", [NONE])])
case("expires-during-run", ["3.1"], "The flag turns off when the clock reaches expires_at, with no file change.",
     [write(doc(1, {"e": {"enabled": True, "latency_ms": 1, "expires_at": "2026-11-22T17:00:00.300Z"}})),
      call("e", [fired(1_000_000)] * 2), {"op": "clock", "at": "2026-11-22T17:00:00.300Z"}, call("e", [NONE] * 2)])
case("expires-with-offset", ["3.1"], "A +02:00 offset names the same instant as Z.",
     [write(doc(1, {"e": {"enabled": True, "expires_at": "2026-11-22T19:00:00.500+02:00"},
                    "f": {"enabled": True, "expires_at": "2026-11-22T18:59:59+02:00"}})),
      call("e", [fired()]), call("f", [NONE]), {"op": "clock", "at": "2026-11-22T17:00:00.500Z"}, call("e", [NONE])])
case("expires-millisecond-digits", ["3.1"], "expires_at .035 is 35 ms, read in integers (summing 0.1^k in doubles gave 34).",
     [write(doc(1, {"e": {"enabled": True, "expires_at": "2026-11-22T17:00:01.035Z"}})), call("e", [fired()]),
      {"op": "clock", "at": "2026-11-22T17:00:00.935Z"}, call("e", [fired()]),
      {"op": "clock", "at": "2026-11-22T17:00:01.035Z"}, call("e", [NONE])])

# ---- reader rules (4) ---------------------------------------------------------------------
keeps_last_good("invalid-json-keeps-last-good", ["4"], "Bytes that are not JSON: last good state, error.", text("{not json"))
keeps_last_good("empty-file", ["4"], "An empty file is invalid.", text(""))
keeps_last_good("truncated-file", ["4"], "A half-written file is invalid.", text('{"version": 1, "generation": 2, "flags": {"a": {"enab'))
keeps_last_good("top-level-array", ["2", "4"], "The top level must be an object.", text("[]"))
keeps_last_good("unsupported-version", ["4"], "version 2: unsupported, last good state.",
                write({"version": 2, "generation": 2, "flags": {"a": {"enabled": True, "percent": 0}}}))
keeps_last_good("one-invalid-flag-rejects-file", ["4"], "One invalid flag rejects the whole file, valid flags included.",
                write(doc(2, {"a": {"enabled": True, "percent": 0}, "b": {"enabled": True, "percent": 150}})))
keeps_last_good("oversized-file", ["2", "4"], "A file over 1 MiB is refused.", {"op": "write_large", "bytes": 1048577})
keeps_last_good("directory-in-place", ["4"], "A directory at the path: unreadable, last good state.", {"op": "make_directory"})
keeps_last_good("symlink-loop", ["4"], "A symlink loop (ELOOP, not ENOENT): last good state.", {"op": "symlink_loop"})
keeps_last_good("deeply-nested-unknown-field", ["2", "4"], "Nesting deeper than 512 levels is invalid (and must not crash).",
                text('{"version": 1, "generation": 2, "flags": {}, "deep": ' + "[" * 100000 + "]" * 100000 + "}"))

def nested(depth):
    """A valid document whose unknown field nests arrays so the whole is `depth` levels deep."""
    return '{"version": 1, "generation": 2, "flags": {}, "deep": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


case("nesting-512-accepted", ["2"], "512 levels (the top-level object is level 1) is the deepest valid document.",
     [{"op": "write_text", "text": nested(512)}, state(generation=2, error=False)])
keeps_last_good("nesting-513-rejected", ["2", "4"], "513 levels is one too deep.", text(nested(513)))
rejected_at_start("invalid-before-any-good", ["4"], "An invalid file before any good one: no faults.", text("garbage"))
rejected_at_start("future-version-at-start", ["4"], "An unsupported version at start: no faults.",
                  write({"version": 3, "generation": 1, "flags": {"a": {"enabled": True}}}))
case("exactly-one-mebibyte", ["2"], "A file of exactly 1 048 576 bytes is accepted.",
     [{"op": "write_large", "bytes": 1048576}, state(generation=99, error=False)])
case("nested-unknown-fields-ignored", ["2", "3"], "Unknown fields (nested to 64 levels) are ignored at both levels.",
     [write(doc(4, {"a": {"enabled": True, "future": {"x": [1, {"y": None}]}, "why": "test"}},
                owner={"team": "payments"}, deep=json.loads("[" * 63 + "]" * 63))),
      state(generation=4, error=False), call("a", [fired()])])
case("deleted-after-good", ["4"], "A deleted file means no faults, without error.",
     [write(GOOD), call("a", GOOD_A), {"op": "remove"}, state(generation=0, error=False), call("a", [NONE])])
case("error-cleared-by-good-read", ["4"], "The next good read clears the error.",
     [write(GOOD), {"op": "start"}, text("nope"), state(generation=1, error=True),
      write(doc(2, {"a": {"enabled": True, "latency_ms": 7}})), state(generation=2, error=False),
      call("a", [fired(7_000_000)])])
case("error-cleared-by-missing-file", ["4"], "A missing file clears the error too (no faults).",
     [write(GOOD), {"op": "start"}, text("nope"), state(generation=1, error=True), {"op": "remove"}, state(generation=0, error=False)])
case("generation-may-decrease", ["2"], "Readers do not require generation to increase.",
     [write(doc(5, {})), state(generation=5), write(doc(3, {"a": ON})), state(generation=3, error=False), call("a", [fired()])])
case("rename-over", ["4.1", "5"], "Documents replaced by rename are read afresh.",
     [write(doc(1, {"a": {"enabled": True, "latency_ms": 1}})), call("a", [fired(1_000_000)]),
      write(doc(2, {"a": {"enabled": True, "latency_ms": 2}})), call("a", [fired(2_000_000)])])
case("configmap-swap", ["4.1"], "A ConfigMap volume: ..data is swapped and the path resolves afresh.",
     [{"op": "configmap", "document": doc(1, {"a": {"enabled": True, "latency_ms": 1}})}, state(generation=1, error=False),
      call("a", [fired(1_000_000)]),
      {"op": "configmap", "document": doc(2, {"a": {"enabled": False}, "b": ON})}, state(generation=2, error=False),
      call("a", [NONE]), call("b", [fired()])])
case("integral-numbers", ["2", "3"], "Integral doubles (1.0, 200.0, 1e2) are integers; percent may be 1e2.",
     [write({"version": 1.0, "generation": 2.0, "flags": {"a": {"enabled": True, "latency_ms": 200.0, "percent": 1e2, "max_hits": 1.0}}}),
      state(generation=2, error=False), call("a", [fired(200_000_000), NONE])])
case("limits-accepted", ["2", "3"], "The largest values of every range are valid.",
     [write(doc(2**53 - 1, {"x" * 128: {"enabled": True, "latency_ms": 86_400_000, "jitter_ms": 86_400_000,
                                         "max_hits": 10**12, "seed": 2**53 - 1, "percent": 100,
                                         "params": {"k" * 128: "v"}}})),
      state(generation=2**53 - 1, error=False)])

# Invalid values: each rejects the whole file, keeping the good state before it.
invalid = [
    ("percent-above-100", {"enabled": True, "percent": 100.5}),
    ("percent-negative", {"enabled": True, "percent": -1}),
    ("percent-string", {"enabled": True, "percent": "50"}),
    ("enabled-missing", {"percent": 10}),
    ("enabled-not-boolean", {"enabled": 1}),
    ("latency-fractional", {"enabled": True, "latency_ms": 1.5}),
    ("latency-above-limit", {"enabled": True, "latency_ms": 86_400_001}),
    ("jitter-negative", {"enabled": True, "jitter_ms": -5}),
    ("mode-unknown", {"enabled": True, "mode": "explode"}),
    ("severity-unknown", {"enabled": True, "severity": "medium"}),
    ("max-hits-zero", {"enabled": True, "max_hits": 0}),
    ("max-hits-above-limit", {"enabled": True, "max_hits": 10**12 + 1}),
    ("seed-negative", {"enabled": True, "seed": -1}),
    ("seed-above-limit", {"enabled": True, "seed": 2**53}),
    ("expires-not-rfc3339", {"enabled": True, "expires_at": "tomorrow"}),
    ("expires-impossible-date", {"enabled": True, "expires_at": "2026-02-30T00:00:00Z"}),
    ("params-nested-object", {"enabled": True, "params": {"a": {"b": 1}}}),
    ("params-null-value", {"enabled": True, "params": {"a": None}}),
    ("params-empty-key", {"enabled": True, "params": {"": 1}}),
    ("null-optional-field", {"enabled": True, "mode": None}),
    ("flag-not-object", True),
]
case("invalid-flag-values", ["3", "4"], "Each invalid flag value rejects the whole file: "
     + ", ".join(n for n, _ in invalid) + ".",
     [write(GOOD), call("a", GOOD_A)]
     + [step for _, flag in invalid for step in (write(doc(2, {"a": {"enabled": True}, "bad": flag})),
                                                  state(generation=1, error=True), call("a", GOOD_A))])
invalid_documents = [
    {"generation": 2, "flags": {}},
    {"version": 1, "flags": {}},
    {"version": 1, "generation": 2},
    {"version": 0, "generation": 2, "flags": {}},
    {"version": "1", "generation": 2, "flags": {}},
    {"version": 1, "generation": -1, "flags": {}},
    {"version": 1, "generation": 2**53, "flags": {}},
    {"version": 1, "generation": 2, "flags": []},
    {"version": 1, "generation": 2, "flags": {}, "updated_at": "yesterday"},
    {"version": 1, "generation": 2, "flags": {}, "updated_by": 7},
    {"version": 1, "generation": 2, "flags": {"Slow-DB": {"enabled": True}}},
    {"version": 1, "generation": 2, "flags": {"x" * 129: {"enabled": True}}},
    {"version": 1, "generation": 2, "flags": {"a": {"enabled": True, "params": {"k" * 129: 1}}}},
]
case("invalid-documents", ["2", "4"], "Missing or wrong top-level fields and bad flag names reject the file.",
     [write(GOOD), {"op": "start"}] + [step for bad in invalid_documents for step in (write(bad), state(generation=1, error=True),
                                                                       call("a", GOOD_A))])
case("same-bytes-rewritten", ["3.1", "4"], "Writing identical content again is not a definition change.",
     [write(doc(1, {"m": {"enabled": True, "max_hits": 1}})), call("m", [fired(), NONE]),
      write(doc(1, {"m": {"enabled": True, "max_hits": 1}})), call("m", [NONE])])


def main():
    for old in os.listdir(HERE):
        if old.endswith(".json"):
            os.remove(os.path.join(HERE, old))
    for number, vector in enumerate(CASES, 1):
        path = os.path.join(HERE, "%03d-%s.json" % (number, vector["name"]))
        with open(path, "w") as out:
            json.dump(vector, out, indent=1, ensure_ascii=False)
            out.write("\n")
    print("%d vectors written to %s" % (len(CASES), HERE))


if __name__ == "__main__":
    main()
