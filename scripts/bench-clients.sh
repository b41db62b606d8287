#!/usr/bin/env bash
# Benchmark of the control-file readers (issue #14 "Performance"): per language, ns per
# decision for a firing and a non-firing flag against that language's own cheapest
# equivalent (a map lookup plus one call to its standard RNG) measured in the same run,
# allocations per decision (Go: testing.Benchmark with ReportAllocs; Java: per-thread
# allocated bytes), and write -> reader-sees-it p50/p99 from scripts/live-clients.py (from
# just before the writer's rename; chaosctl's own flips, from the temp file's mtime, too).
# Prints one table; fire/no-fire is each reader's primitive fast path (Swift: decide(), a
# struct), with decide() and a breakdown of Python's time as extra lines.
# Goals: ratio <= 2x, 0 allocations in Go and Java, p99 <= 20 ms.
#   scripts/bench-clients.sh [SECONDS_PER_LANGUAGE]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

swift build -c release --product control-conformance >/dev/null
swift build --product control-conformance >/dev/null   # the live test's debug runner
swift build --product chaosctl >/dev/null
.build/release/control-conformance --bench "$seconds" > "$out/swift.json"
PYTHONPATH=clients/python python3 -m chaos_control.conformance --bench "$seconds" > "$out/python.json"
(cd clients/go && go build -o "$out/go-runner" ./cmd/control-conformance)
"$out/go-runner" --bench > "$out/go.json"
(cd clients/typescript && tsc -p .)
node clients/typescript/dist/src/conformance.js --bench "$seconds" > "$out/typescript.json"
bash clients/java/build.sh
java -cp clients/java/build/classes dev.chaosctl.control.Conformance --bench "$seconds" > "$out/java.json"
python3 scripts/live-clients.py --flips 40 --json > "$out/live.json" || true

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
live = json.load(open(os.path.join(out, "live.json")))["languages"]
print("%-11s %9s %10s %8s %8s %10s %12s %7s %7s %13s" % ("language", "fire ns", "no-fire ns", "ref ns", "fire/ref",
      "nofire/ref", "allocs/call", "p50 ms", "p99 ms", "chaosctl p99"))
results = {}
for name in ("swift", "python", "go", "typescript", "java"):
    r = results[name] = json.load(open(os.path.join(out, name + ".json")))
    allocs = ("%g/%g" % (r["fire_allocs"], r["nofire_allocs"]) if "fire_allocs" in r else
              "%gB/%gB" % (r["fire_bytes"], r["nofire_bytes"]) if "fire_bytes" in r else "-")
    l = live.get(name, {})
    print("%-11s %9.1f %10.1f %8.1f %8.2f %10.2f %12s %7s %7s %13s" % (name, r["fire_ns"], r["nofire_ns"], r["reference_ns"],
          r["fire_ns"] / r["reference_ns"], r["nofire_ns"] / r["reference_ns"], allocs, l.get("p50_ms"), l.get("p99_ms"),
          l.get("chaosctl_p99_ms")))
print("fire: a flag at 100 % with latency 5 ms ± 2 ms, the whole decision (delay included); no-fire: a flag at 0 %."
      " Python, Go, TypeScript, Java: the fast path (fire_delay_ns, FireDelay, fireDelayNs, fireDelayNanos: a number,"
      " no object); Swift: decide(), a struct value")
print("the object path, decide(), for comparison:")
for name in ("python", "go", "typescript", "java"):
    r = results[name]
    allocs = ("  allocs/call %g/%g" % (r["decide_fire_allocs"], r["decide_nofire_allocs"]) if "decide_fire_allocs" in r else
              "  bytes/call %g/%g" % (r["decide_fire_bytes"], r["decide_nofire_bytes"]) if "decide_fire_bytes" in r else "")
    print("  %-11s decide() fire %7.1f ns (%.2fx)  no-fire %7.1f ns (%.2fx)%s" % (name, r["decide_fire_ns"],
          r["decide_fire_ns"] / r["reference_ns"], r["decide_nofire_ns"], r["decide_nofire_ns"] / r["reference_ns"], allocs))
python = results["python"]
print("python: fire_delay_ns() on a 50 %% flag that fires or not: %.1f ns (%.2fx); fires() at 100 %%: %.1f ns (%.2fx)"
      % (python["half_ns"], python["half_ns"] / python["reference_ns"], python["fires_ns"],
         python["fires_ns"] / python["reference_ns"]))
loop = python["ops_loop_ns"]
print("python: where fire_delay_ns() firing goes, each piece timed alone (loop overhead %.1f ns subtracted):"
      " method call %.1f, dict get + unpack %.1f, random() %.1f, floor(u * span) + add %.1f ns (sum %.1f of %.1f)"
      % (loop, *(python[k] - loop for k in ("ops_method_call_ns", "ops_dict_get_unpack_ns", "ops_random_ns",
                                            "ops_floor_scale_add_ns")),
         sum(python[k] - loop for k in ("ops_method_call_ns", "ops_dict_get_unpack_ns", "ops_random_ns",
                                        "ops_floor_scale_add_ns")), python["fire_ns"] - loop))
print("reference: map/dict lookup + one standard-RNG call (Swift: Double.random, SystemRandomNumberGenerator;"
      " Python: random.random; Go: math/rand.Float64; TS: Math.random; Java: ThreadLocalRandom)")
for name, r in results.items():
    if "clock" in r:
        print("%s timing: %s, each body in turn, %d rounds" % (name, r["clock"], r.get("rounds", 0))
              if "rounds" in r else "%s timing: %s, each body in turn" % (name, r["clock"]))
flips = max((v.get("flips", 0) for v in live.values()), default=0) // 2
print("latency: reader process sees fires() flip; p50/p99 over %d flips written like chaosctl (write, fsync, rename,"
      " fsync dir), from just before rename(2); chaosctl p99 over %d `chaosctl flag enable/disable` flips, from the temp"
      " file's mtime (adds chaosctl's fsync and rename)" % (flips, flips))
PY
