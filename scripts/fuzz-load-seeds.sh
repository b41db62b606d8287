#!/usr/bin/env bash
# Regenerates the seed corpus of fuzz-load-output (fuzz/corpus/load-output) from real output:
# k6 (--out json and --summary-export, a threshold that fails) and Locust (--csv-full-history),
# each run for 3 s against the loopback target of the ChaosLoad tests with one request in
# five answered 503. The per-request JSONL seeds are k6's http_req_duration points of the
# same run rewritten under the four field mappings the target uses (no generator writes
# that format by itself). A seed's first byte picks the parser, its second the cut of the
# live tail and the JSONL mapping (Fuzz/LoadOutput/LoadOutputFuzz.swift).
#   scripts/fuzz-load-seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v k6 >/dev/null && command -v locust >/dev/null || { echo "fuzz-load-seeds: needs k6 and locust (scripts/install-deps.sh)" >&2; exit 1; }
work="$(mktemp -d)"
target_pid=
source scripts/load-target.sh
trap '[ -n "$target_pid" ] && kill "$target_pid" 2>/dev/null; rm -rf "$work"' EXIT
start_load_target "$work"

cat >"$work/script.js" <<JS
import http from 'k6/http';
export const options = { vus: 2, duration: '3s', thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<500'] } };
export default function () { http.get('http://127.0.0.1:$port/work', { tags: { name: 'work' } }); http.get('http://127.0.0.1:$port/work?x=1'); }
JS
k6 run --quiet --out "json=$work/k6.json" --summary-export "$work/summary.json" "$work/script.js" >/dev/null 2>&1 || true
cat >"$work/locustfile.py" <<PY
from locust import HttpUser, constant, task
class User(HttpUser):
    wait_time = constant(0.05)
    @task
    def work(self): self.client.get("/work")
    @task
    def other(self): self.client.get("/work?x=1", name="/work?x")
PY
locust -f "$work/locustfile.py" --headless -u 2 -r 2 -t 6s --host "http://127.0.0.1:$port" \
  --csv "$work/locust" --csv-full-history --only-summary >/dev/null 2>&1 || true

out=fuzz/corpus/load-output
rm -rf "$out" && mkdir -p "$out"
# Small seeds (libFuzzer's default max length follows the largest seed): runs of lines.
seed() { { printf '%s' "$1"; cat; } >"$out/$2"; }
head -40 "$work/k6.json" | seed '0@' k6-start
awk '/"http_req_duration","type":"Point"/ && /"status":"503"/ && n++ < 3' "$work/k6.json" | seed '0~' k6-errors
# The last line cut short, as a run killed mid-write leaves it.
awk '/"type":"Point"/ && n++ < 4' "$work/k6.json" | python3 -c 'import sys; sys.stdout.write(sys.stdin.read()[:-120])' | seed '0 ' k6-cut-line
seed '1@' k6-summary <"$work/summary.json"
head -6 "$work/locust_stats_history.csv" | seed '2@' locust-start
{ head -1 "$work/locust_stats_history.csv"; tail -4 "$work/locust_stats_history.csv"; } | seed '2~' locust-end
# JSONL: the same requests, under each mapping (second byte & 3 picks it).
python3 - "$work/k6.json" "$out" <<'PY'
import json, sys, datetime
points = [json.loads(l) for l in open(sys.argv[1]) if '"http_req_duration","type":"Point"' in l][:6]
def ns(t):
    base, frac = t.rstrip("Z").split(".") if "." in t else (t.rstrip("Z"), "0")
    s = datetime.datetime.fromisoformat(base).replace(tzinfo=datetime.timezone.utc).timestamp()
    return int(s) * 10**9 + int(frac.ljust(9, "0")[:9])
def line(m, p):
    t, v, tags = p["data"]["time"], p["data"]["value"], p["data"]["tags"] or {}
    status, name = int(tags.get("status", 0)), tags.get("name", "")
    if m == 0: o = {"ts": ns(t) / 1e9, "ms": v, "ok": 200 <= status < 400, "name": name}
    if m == 1: o = {"time": t, "timing": {"total": v * 1000}, "status": status, "route": name}
    if m == 2: o = {"t": ns(t), "d": v / 1000, "code": str(status)}
    if m == 3: o = {"t": ns(t) // 10**6, "lat": int(v * 1e6), "meta": {"ok": status < 400, "name": name}}
    return json.dumps(o, separators=(",", ":"))
for m in range(4):
    with open(f"{sys.argv[2]}/jsonl-mapping-{m}", "w") as f:
        f.write("3" + chr(0x40 | m) + "".join(line(m, p) + "\n" for p in points))
PY
ls -l "$out"
