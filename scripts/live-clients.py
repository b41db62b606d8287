#!/usr/bin/env python3
"""Cross-language live test (issue #14 item 4): `chaosctl flag enable/disable` writes the
control file; a reader process per language (each runner's --watch mode) reports when it
sees the flag flip. Then a writer rewrites the file by rename as fast as it can while the
readers keep reading: no reader may ever reject a file (a torn read).

    scripts/live-clients.py [--flips N] [--json]

Prints, per language, write → reader-sees-it latency p50/p99 twice:
  * p50/p99: flips this script writes itself the way chaosctl does (temp file, write,
    fchmod, fsync, rename, fsync of the directory; FileReplacement.swift), timed from
    the moment rename(2) returned: what a reader can be held to;
  * chaosctl p50/p99: `chaosctl flag enable/disable` flips, timed from the temp file's
    mtime, so they also include chaosctl's own fsync and rename;
and the number of rejected files. Exit 1 if a reader missed a flip, rejected a file, or did not start.
The latency figures are reported, not asserted (a loaded machine must not fail this).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def runners(tmp):
    """Each present language's watch command (built as scripts/test-clients.sh builds them)."""
    found = {}
    swift = os.path.join(REPO, ".build", "debug", "control-conformance")
    if os.path.exists(swift):
        found["swift"] = [swift]
    found["python"] = ["env", "PYTHONPATH=" + os.path.join(REPO, "clients", "python"), sys.executable,
                       "-m", "chaos_control.conformance"]
    if shutil.which("go"):
        binary = os.path.join(tmp, "go-control-conformance")
        subprocess.run(["go", "build", "-o", binary, "./cmd/control-conformance"], cwd=os.path.join(REPO, "clients", "go"),
                       check=True)
        found["go"] = [binary]
    ts = os.path.join(REPO, "clients", "typescript", "dist", "src", "conformance.js")
    if os.path.exists(ts) and shutil.which("node"):
        found["typescript"] = ["node", ts]
    classes = os.path.join(REPO, "clients", "java", "build", "classes")
    if os.path.isdir(classes) and shutil.which("java"):
        found["java"] = ["java", "-cp", classes, "dev.chaosctl.control.Conformance"]
    return found


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def write_like_chaosctl(path, document):
    """FileReplacement.swift's atomic replace; returns time.time_ns() taken just before rename
    (readers on a loaded machine can see the file before this process runs again after it)."""
    directory = os.path.dirname(path)
    temp = os.path.join(directory, ".control.json.tmp.live-writer.%d" % os.getpid())
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        os.write(fd, json.dumps(document, indent=2).encode() + b"\n")
        os.fchmod(fd, 0o644)
        os.fsync(fd)
    finally:
        os.close(fd)
    renamed_ns = time.time_ns()
    os.rename(temp, path)
    directory_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)
    return renamed_ns


def rewrite_by_rename(path, seconds):
    """Rewrites the control file by rename as fast as possible, sizes varying; returns the count."""
    count, end = 0, time.monotonic() + seconds
    directory = os.path.dirname(path)
    while time.monotonic() < end:
        count += 1
        flags = {"live": {"enabled": True, "params": {"pad": "x" * (count % 5000)}}}
        temp = os.path.join(directory, ".control.json.tmp.live.%d" % count)
        with open(temp, "w") as out:
            json.dump({"version": 1, "generation": count, "flags": flags}, out)
        os.rename(temp, path)
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flips", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the results as one JSON line")
    args = parser.parse_args()
    chaosctl = os.path.join(REPO, ".build", "debug", "chaosctl")
    tmp = tempfile.mkdtemp(prefix="live-clients-")
    path = os.path.join(tmp, "chaos", "control.json")
    os.makedirs(os.path.dirname(path))
    env = dict(os.environ, CHAOSCTL_STATE_DIR=os.path.join(tmp, "state"))
    try:
        commands = runners(tmp)
        seconds = args.flips * 0.7 + 12
        processes = {name: subprocess.Popen(cmd + ["--watch", path, "live", str(seconds)], stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True) for name, cmd in commands.items()}
        for name, process in processes.items():
            line = process.stdout.readline().strip()
            if line != "ready":
                print("%s: did not start (%r) %s" % (name, line, process.stderr.read()[-500:]))
                return 1
        time.sleep(1.0)   # every reader has loaded and is watching
        written = []
        for flip in range(args.flips):
            verb = "enable" if flip % 2 == 0 else "disable"
            subprocess.run([chaosctl, "flag", verb, "live", "--control-file", path], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            written.append((verb == "enable", os.stat(path).st_mtime_ns, "chaosctl"))
            time.sleep(0.25)
        if args.flips % 2 == 1:   # end disabled, so the next phases' first write flips it on
            subprocess.run([chaosctl, "flag", "disable", "live", "--control-file", path], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            time.sleep(0.25)
        document = json.load(open(path))
        for flip in range(args.flips + args.flips % 2):   # ends disabled too
            enabled = flip % 2 == 0
            flags = document.setdefault("flags", {})
            flags["live"] = dict(flags.get("live", {}), enabled=enabled)   # disable may have removed it
            document["generation"] = document.get("generation", 0) + 1
            written.append((enabled, write_like_chaosctl(path, document), "rename"))
            time.sleep(0.25)
        rewrites = rewrite_by_rename(path, 3.0)
        results, status = {}, 0
        for name, process in processes.items():
            out, err = process.communicate(timeout=seconds + 30)
            lines = out.split("\n")
            seen = [(parts[0] == "true", int(parts[1])) for parts in (l.split() for l in lines) if len(parts) == 2
                    and parts[0] in ("true", "false")]
            errors = [int(l.split()[1]) for l in lines if l.startswith("errors ")]
            latencies = {"rename": [], "chaosctl": []}
            missed = 0
            for state, written_ns, kind in written:
                match = next((ns for s, ns in seen if s == state and ns >= written_ns - 5_000_000), None)
                if match is None:
                    missed += 1
                    continue
                latencies[kind].append(max(0, match - written_ns) / 1e6)
                seen = seen[seen.index((state, match)) + 1:]
            rejected = errors[0] if errors else None
            results[name] = {"flips": len(written), "missed": missed, "rejected_files": rejected}
            for kind, prefix in (("rename", ""), ("chaosctl", "chaosctl_")):
                values = latencies[kind]
                results[name].update({prefix + "p50_ms": round(percentile(values, 0.5), 2) if values else None,
                                      prefix + "p99_ms": round(percentile(values, 0.99), 2) if values else None,
                                      prefix + "max_ms": round(max(values), 2) if values else None})
            if missed or rejected != 0:
                status = 1
                results[name]["stderr"] = err[-300:]
        if args.json:
            print(json.dumps({"rewrites": rewrites, "languages": results}))
        else:
            print("%-11s %6s %7s %9s %9s %9s %12s %12s %9s" % ("language", "flips", "missed", "p50 ms", "p99 ms",
                  "max ms", "chaosctl p50", "chaosctl p99", "rejected"))
            for name, r in results.items():
                print("%-11s %6d %7d %9s %9s %9s %12s %12s %9s" % (name, r["flips"], r["missed"], r["p50_ms"], r["p99_ms"],
                      r["max_ms"], r["chaosctl_p50_ms"], r["chaosctl_p99_ms"], r["rejected_files"]))
            print("p50/p99/max: from just before rename(2) in this script's chaosctl-like write; chaosctl p50/p99:"
                  " from the temp file's mtime (adds chaosctl's fsync and rename)")
            print("torn-read phase: %d rewrites by rename while every reader read; rejected files must be 0" % rewrites)
            print("live: %s" % ("passed" if status == 0 else "FAILED"))
        return status
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
