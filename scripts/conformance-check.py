#!/usr/bin/env python3
"""Runs conformance vectors (docs/control-file.md section 8) through one reader's runner
and compares what it prints with each vector's expected results.

    scripts/conformance-check.py --name swift -- .build/debug/control-conformance docs/conformance/*.json

The runner is the command after `--`, given every vector file as arguments. Exit status 0
when every vector matches, 1 otherwise; one line per failing vector names the step.
"""
import argparse
import json
import subprocess
import sys


def same(expected, actual):
    """Equal, with numbers compared by value (5 == 5.0) but booleans kept apart from numbers."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return expected == actual
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual))
    return expected == actual


def expectations(vector):
    return [(index, step["op"], step["expect"]) for index, step in enumerate(vector["steps"])
            if step["op"] in ("call", "state")]


def compare(vector, line):
    """The reasons this runner line does not match the vector (empty when it does)."""
    if "error" in line:
        return ["runner error: %s" % line["error"]]
    results = line.get("results", [])
    wanted = expectations(vector)
    if len(results) != len(wanted):
        return ["%d results for %d call/state steps" % (len(results), len(wanted))]
    problems = []
    for (index, op, expect), actual in zip(wanted, results):
        if op == "call" and isinstance(expect, list) and isinstance(actual, list) and len(expect) == len(actual):
            for call, (e, a) in enumerate(zip(expect, actual)):
                if not same(e, a):
                    problems.append("step %d call %d: expected %s, got %s" % (index, call + 1, json.dumps(e), json.dumps(a)))
        elif not same(expect, actual):
            problems.append("step %d (%s): expected %s, got %s" % (index, op, json.dumps(expect), json.dumps(actual)))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="runner", help="language name for the output")
    parser.add_argument("command", nargs="+", help="runner command, then the vector files")
    args = parser.parse_args()
    files = [a for a in args.command if a.endswith(".json")]
    command = [a for a in args.command if not a.endswith(".json")]
    vectors = {}
    for path in files:
        with open(path) as handle:
            vectors[path] = json.load(handle)
    run = subprocess.run(command + files, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = {}
    for text in run.stdout.splitlines():
        try:
            line = json.loads(text)
        except ValueError:
            continue
        lines[line.get("file")] = line
    failed = 0
    for path in files:
        line = lines.get(path)
        problems = compare(vectors[path], line) if line else ["no output line (runner exit %d: %s)" % (run.returncode, run.stderr.strip()[-300:])]
        if problems:
            failed += 1
            print("%s: FAIL %s" % (args.name, path))
            for problem in problems[:5]:
                print("    " + problem)
    print("%s: %d of %d vectors passed" % (args.name, len(files) - failed, len(files)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
