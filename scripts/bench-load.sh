#!/usr/bin/env bash
# ChaosLoad ingest benchmark (issue #13, Performance): a synthetic k6 `--out json` file of
# POINTS points in k6 v1.1.0's exact line format, read by ChaosLoad (cut into pre / during /
# post, a step and recovery windows) and, in the same run, by `wc -l` (the I/O floor) and a
# Python json.loads loop (what users script today). Prints points/s by wall and CPU time,
# ratios, and peak RSS. Goals: >= 1M points/s on one core, >= 10x Python, RSS < 64 MB at 10M.
#   [CHAOS_LOAD_BENCH=BINARY] scripts/bench-load.sh [POINTS=5000000] [--foundation]
# --foundation also times Foundation's JSONDecoder on the same file (slow: ~50k lines/s).
set -euo pipefail
cd "$(dirname "$0")/.."
points="${1:-5000000}"
[ "$points" -ge 5000000 ] || echo "bench-load: note: the issue's figure needs at least 5000000 points" >&2

# CHAOS_LOAD_BENCH=/path/to/chaos-load-bench measures another build (a before/after pair).
if [ -n "${CHAOS_LOAD_BENCH:-}" ]; then
  bin="$CHAOS_LOAD_BENCH"
else
  swift build -c release --product chaos-load-bench >/dev/null
  bin="$(swift build -c release --show-bin-path)/chaos-load-bench"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
file="$work/k6-results.json"

generated="$("$bin" generate "$file" "$points")"
span="$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$generated")"
echo "file: $file ($(du -h "$file" | cut -f1), $generated)"

# Runs a command, prints "wall cpu maxrss_kb" of it alone (a fresh measuring process each time).
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
out = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, check=True).stdout.decode().strip()
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {r.ru_utime + r.ru_stime:.3f} {r.ru_maxrss} {out.splitlines()[-1] if out else ''}")
PY
}

python_loop="$work/loop.py"
cat >"$python_loop" <<'PY'
import json, sys
lines = requests = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        o = json.loads(line)
        lines += 1
        if o.get("type") == "Point" and o.get("metric") == "http_req_duration":
            requests += 1
print(f"lines={lines} requests={requests}")
PY

lines="$(wc -l <"$file")"
read -r wc_wall wc_cpu wc_rss _ <<<"$(measure wc -l "$file")"
read -r cl_wall cl_cpu cl_rss cl_out <<<"$(measure "$bin" ingest "$file" "$span")"
read -r py_wall py_cpu py_rss py_out <<<"$(measure python3 "$python_loop" "$file")"
echo "chaosload: $cl_out"
echo "python:    $py_out"

rate() { python3 -c "print(f'{$1 / $2 / 1e6:.2f}M')"; }
ratio() { python3 -c "print(f'{$1 / $2:.1f}x')"; }
printf '%-22s %9s %9s %12s %12s %10s\n' reader wall_s cpu_s points/s_wall points/s_cpu peak_rss
printf '%-22s %9s %9s %12s %12s %8sMB\n' "wc -l (I/O floor)" "$wc_wall" "$wc_cpu" "$(rate "$lines" "$wc_wall")" "-" "$((wc_rss / 1024))"
printf '%-22s %9s %9s %12s %12s %8sMB\n' "ChaosLoad" "$cl_wall" "$cl_cpu" "$(rate "$lines" "$cl_wall")" "$(rate "$lines" "$cl_cpu")" "$((cl_rss / 1024))"
printf '%-22s %9s %9s %12s %12s %8sMB\n' "python json.loads" "$py_wall" "$py_cpu" "$(rate "$lines" "$py_wall")" "$(rate "$lines" "$py_cpu")" "$((py_rss / 1024))"
if [ "${2:-}" = "--foundation" ]; then
  read -r fd_wall fd_cpu fd_rss _ <<<"$(measure "$bin" ingest-foundation "$file")"
  printf '%-22s %9s %9s %12s %12s %8sMB\n' "Foundation JSONDecoder" "$fd_wall" "$fd_cpu" "$(rate "$lines" "$fd_wall")" "$(rate "$lines" "$fd_cpu")" "$((fd_rss / 1024))"
  echo "ChaosLoad vs JSONDecoder (cpu): $(ratio "$fd_cpu" "$cl_cpu")"
fi
echo "ChaosLoad vs python (cpu): $(ratio "$py_cpu" "$cl_cpu")   vs python (wall): $(ratio "$py_wall" "$cl_wall")"
echo "ChaosLoad vs wc -l (wall): $(ratio "$cl_wall" "$wc_wall") slower"
echo "ChaosLoad peak RSS: $((cl_rss / 1024)) MB (goal < 64 MB at 10M points)"
