#!/usr/bin/env bash
# Live ingest benchmark (issue #13, Performance): real k6 at a constant arrival rate of RATE
# requests/s (default 5000) for SECONDS (default 20), tailed while it writes, as the runner's
# status line and stop conditions do (a poll every 250 ms). The target is a closed loopback
# port, so every request fails at once and the machine's cores go to k6 and the reader, not
# to a server; k6 still writes one http_req_duration point per request (plus its other
# metrics). Prints the rate k6 reached, the longest poll, and the age of the newest request
# seen at each poll (includes k6's own ~1 s output buffering). Goal: keep up, lag <= 1 s
# beyond k6's own buffering.
#   scripts/bench-load-live.sh [RATE=5000] [SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-5000}"
seconds="${2:-20}"
command -v k6 >/dev/null || { echo "bench-load-live: k6 is not installed (scripts/install-deps.sh)" >&2; exit 1; }
swift build -c release --product chaos-load-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/chaos-load-bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A port nothing listens on: bind, read the port, close.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
cat >"$work/rate.js" <<JS
import http from 'k6/http';
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: $rate, timeUnit: '1s',
  duration: '${seconds}s', preAllocatedVUs: 200, maxVUs: 400 } } };
export default function () { http.get('http://127.0.0.1:$port/'); }
JS
k6 run --quiet --out "json=$work/k6.json" "$work/rate.js" >"$work/k6.log" 2>&1 &
k6pid=$!
live="$("$bin" live "$work/k6.json" "$((seconds + 2))")"
wait "$k6pid" || true
points="$(grep -c '"metric":"http_req_duration","type":"Point"' "$work/k6.json" || true)"
echo "k6: rate asked $rate/s for ${seconds}s; http_req_duration points written: $points ($(awk -v p="$points" -v s="$seconds" 'BEGIN{printf "%.0f", p/s}')/s); lines: $(wc -l <"$work/k6.json")"
echo "live: $live"
