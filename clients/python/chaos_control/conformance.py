"""Conformance runner: python3 -m chaos_control.conformance VECTOR.json...

Runs each vector of docs/conformance/ (docs/control-file.md section 8) through a real
ControlReader and prints one JSON line per vector with what its call and state steps saw.
With --fast first, "decide" calls go through the fast path, fire_delay_ns() with mode()
and severity(), so the vectors hold it to the same decisions.
"""
import json
import os
import shutil
import sys
import tempfile

from .reader import ControlReader
from .rfc3339 import parse_ms


class VectorClock:
    """The vector's clock, handed to the reader as its clock_ns."""

    def __init__(self, start):
        self.ms = parse_ms(start)

    def __call__(self):
        return self.ms * 1_000_000


class VectorFiles:
    """The file-system situations of section 8, in a fresh directory."""

    def __init__(self, root):
        self.directory = os.path.join(root, "chaos")
        self.path = os.path.join(self.directory, "control.json")
        self.configmap_versions = 0

    def replace(self, data):
        os.makedirs(self.directory, exist_ok=True)
        temp = os.path.join(self.directory, ".control.json.tmp.%d" % os.getpid())
        with open(temp, "wb") as out:
            out.write(data)
        if os.path.lexists(self.path) and (os.path.islink(self.path) or not os.path.isfile(self.path)):
            self.clear(self.path)
        os.rename(temp, self.path)

    @staticmethod
    def clear(target):
        if os.path.islink(target) or os.path.isfile(target):
            os.unlink(target)
        elif os.path.isdir(target):
            shutil.rmtree(target)

    def configmap(self, data):
        self.configmap_versions += 1
        version = "..2026_11_22_17_05_00.%d" % self.configmap_versions
        os.makedirs(os.path.join(self.directory, version))
        with open(os.path.join(self.directory, version, "control.json"), "wb") as out:
            out.write(data)
        link = os.path.join(self.directory, "..data_tmp")
        os.symlink(version, link)
        os.rename(link, os.path.join(self.directory, "..data"))
        if not (os.path.islink(self.path) and os.readlink(self.path) == "..data/control.json"):
            self.clear(self.path)
            os.symlink("..data/control.json", self.path)

    def apply(self, step):
        op = step["op"]
        if op == "write":
            self.replace(json.dumps(step["document"]).encode())
        elif op == "write_text":
            self.replace(step["text"].encode("utf-8"))
        elif op == "write_large":
            text = '{"version": 1, "generation": 99, "flags": {}}'
            self.replace(text.ljust(step["bytes"]).encode())
        elif op == "configmap":
            self.configmap(json.dumps(step["document"]).encode())
        elif op == "remove":
            self.clear(self.path)
        elif op == "remove_directory":
            self.clear(self.directory)
        elif op == "make_directory":
            self.clear(self.path)
            os.makedirs(self.path)
        elif op == "symlink_loop":
            os.makedirs(self.directory, exist_ok=True)
            self.clear(self.path)
            os.symlink("control.json", self.path)
        else:
            return False
        return True


def fast_decision(reader, name):
    """decide()'s answer assembled from the fast path (the runner's --fast mode)."""
    delay = reader.fire_delay_ns(name)
    if delay is None:
        return {"fires": False, "delay_ns": 0, "mode": None, "severity": None}
    return {"fires": True, "delay_ns": delay, "mode": reader.mode(name), "severity": reader.severity(name)}


def run(vector, fast=False):
    root = tempfile.mkdtemp(prefix="control-conformance-")
    files, clock = VectorFiles(root), VectorClock(vector["clock"])
    reader, results = None, []
    try:
        for step in vector["steps"]:
            op = step["op"]
            if files.apply(step):
                if reader is not None:
                    reader.reload()
                continue
            if op == "clock":
                clock.ms = parse_ms(step["at"])
                continue
            if reader is None:
                reader = ControlReader(files.path, seed=vector.get("reader_seed"), follow=False, clock_ns=clock)
            if op == "call":
                count = len(step["expect"])
                if step.get("method") == "fires":
                    results.append([reader.fires(step["flag"]) for _ in range(count)])
                elif fast:
                    results.append([fast_decision(reader, step["flag"]) for _ in range(count)])
                else:
                    results.append([dict(zip(("fires", "delay_ns", "mode", "severity"), reader.decide(step["flag"])))
                                    for _ in range(count)])
            elif op == "state":
                expect, seen = step["expect"], {}
                if "generation" in expect:
                    seen["generation"] = reader.generation
                if "error" in expect:
                    seen["error"] = reader.error is not None
                if "params" in expect:
                    seen["params"] = {name: reader.params(name) for name in expect["params"]}
                results.append(seen)
            elif op != "start":
                raise ValueError("unknown op %r" % op)
    finally:
        if reader is not None:
            reader.stop()
        shutil.rmtree(root, ignore_errors=True)
    return results


def watch(path, name, seconds):
    """--watch PATH FLAG SECONDS: the live cross-language test's reader (scripts/live-clients.py).
    Prints "ready", then "<fires> <epoch ns>" when fires() flips, then "errors N"."""
    import logging
    import time
    logging.disable(logging.WARNING)
    errors = []
    reader = ControlReader(path, on_error=errors.append)
    last = False
    print("ready", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        fires = reader.fires(name)
        if fires != last:
            print("%s %d" % ("true" if fires else "false", time.time_ns()), flush=True)
            last = fires
        time.sleep(0.0002)
    print("errors %d" % len(errors), flush=True)
    reader.stop()


def bench(seconds):
    """--bench SECONDS: ns per decision (firing, not firing) on the fast path, fire_delay_ns(),
    against a dict lookup plus one random.random() call, measured in the same run; decide()
    and fires() as extra rows; one JSON line (scripts/bench-clients.sh)."""
    import random
    import time
    root = tempfile.mkdtemp(prefix="control-bench-")
    path = os.path.join(root, "control.json")
    with open(path, "w") as out:
        json.dump({"version": 1, "generation": 1, "flags": {"hot": {"enabled": True, "latency_ms": 5, "jitter_ms": 2},
                                                          "cold": {"enabled": True, "percent": 0},
                                                          "half": {"enabled": True, "percent": 50, "latency_ms": 5,
                                                                   "jitter_ms": 2}}}, out)
    reader = ControlReader(path)
    percents = {"hot": 100.0, "cold": 0.0}

    def loop(call, name):
        def body(n):
            for _ in range(n):
                call(name)
        return body

    def reference(n):
        rand, get = random.random, percents.get
        for _ in range(n):
            rand() * 100 < get("hot", 0.0)
    # Rounds of each body in turn, each timed on this thread's CPU clock (a loaded machine's
    # preemption is not counted); the fastest round of each is reported.
    bodies = {"fire_ns": loop(reader.fire_delay_ns, "hot"), "nofire_ns": loop(reader.fire_delay_ns, "cold"),
              "reference_ns": reference, "half_ns": loop(reader.fire_delay_ns, "half"),
              "decide_fire_ns": loop(reader.decide, "hot"), "decide_nofire_ns": loop(reader.decide, "cold"),
              "fires_ns": loop(reader.fires, "hot")}
    bodies.update(breakdown(reader))
    best = dict.fromkeys(bodies, float("inf"))
    rounds, n, end = 0, 20000, time.monotonic() + seconds
    while rounds < 5 or time.monotonic() < end:
        rounds += 1
        for key, body in bodies.items():
            start = time.thread_time_ns()
            body(n)
            best[key] = min(best[key], (time.thread_time_ns() - start) / n)
    result = {"language": "python", "rounds": rounds, "clock": "thread CPU, fastest round of %d calls" % n}
    result.update((key, round(value, 1)) for key, value in best.items())
    reader.stop()
    shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result))


def breakdown(reader):
    """Where fire_delay_ns("hot") spends its time: each piece of it alone, in the same loop
    (the "ops_" keys; subtract ops_loop_ns from each for the piece itself)."""
    import math
    import random
    rand, floor, plain = random.random, math.floor, {"hot": reader.snapshot.flags["hot"].fast}

    def empty(n):
        for _ in range(n):
            pass

    def call(n):
        noop = VectorClock("1970-01-01T00:00:00Z").__call__     # a bound method doing almost nothing
        for _ in range(n):
            noop()

    def lookup(n):
        get = plain.get
        for _ in range(n):
            q, low, span = get("hot")

    def draw(n):
        for _ in range(n):
            rand()

    def scale(n):
        span = plain["hot"][2]
        for _ in range(n):
            3_000_000 + floor(0.5 * span)
    return {"ops_loop_ns": empty, "ops_method_call_ns": call, "ops_dict_get_unpack_ns": lookup,
            "ops_random_ns": draw, "ops_floor_scale_add_ns": scale}


def main(argv):
    if len(argv) == 2 and argv[0] == "--bench":
        bench(float(argv[1]))
        return 0
    if len(argv) == 4 and argv[0] == "--watch":
        watch(argv[1], argv[2], float(argv[3]))
        return 0
    import logging
    logging.disable(logging.WARNING)     # rejected files are expected here; results say so
    fast = bool(argv) and argv[0] == "--fast"
    failed = False
    for path in argv[1:] if fast else argv:
        line = {"file": path}
        try:
            with open(path) as handle:
                vector = json.load(handle)
            line["name"] = vector.get("name", path)
            line["results"] = run(vector, fast)
        except Exception as error:
            line["error"] = "%s: %s" % (type(error).__name__, error)
            failed = True
        print(json.dumps(line, sort_keys=True), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
