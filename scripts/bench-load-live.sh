#!/usr/bin/env bash
# Live ingest benchmark (issue #13, Performance): real k6 at a constant arrival rate of RATE
# requests/s (default 5000) for SECONDS (default 20), tailed while it writes, as the runner's
# status line and stop conditions do (a poll every 250 ms). The target is a closed loopback
# port, so every request fails at once and the machine's cores go to k6 and the reader, not
# to a server; k6 still writes one http_req_duration point per request (plus its other
# metrics). Prints the rate k6 reached, the longest poll, and the age of the newest request
# seen at each poll (includes k6's own ~1 s output buffering). Goal: keep up, lag <= 1 s
# beyond k6's own buffering.
#
# --replay: k6 cannot reach 5000 requests/s on a small machine, so this mode first records a
# real k6 run (3 s, 300 requests/s, against the ChaosLoad tests' loopback target with one
# request in five answered 503), then a REPLAY WRITER (chaos-load-bench replay, not k6)
# appends that recording's lines at RATE requests/s for SECONDS, data.time re-stamped with
# the wall time each request is due, in buffered chunks once per FLUSH seconds (default 1),
# while the runner's tailer follows the file. Prints the newest request's age at each poll
# and each request's age when first seen (p50/p99/max; both include the writer's buffering),
# and whether every request written was seen.
#   scripts/bench-load-live.sh [RATE=5000] [SECONDS=20]
#   scripts/bench-load-live.sh --replay [RATE=5000] [SECONDS=20] [FLUSH=1]
set -euo pipefail
cd "$(dirname "$0")/.."
replay=0
[ "${1:-}" = "--replay" ] && { replay=1; shift; }
rate="${1:-5000}"
seconds="${2:-20}"
flush="${3:-1}"
command -v k6 >/dev/null || { echo "bench-load-live: k6 is not installed (scripts/install-deps.sh)" >&2; exit 1; }
swift build -c release --product chaos-load-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/chaos-load-bench"
work="$(mktemp -d)"
target_pid=
source scripts/load-target.sh
trap '[ -n "$target_pid" ] && kill "$target_pid" 2>/dev/null; rm -rf "$work"' EXIT

if [ "$replay" = 1 ]; then
  start_load_target "$work"
  cat >"$work/record.js" <<JS
import http from 'k6/http';
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s',
  duration: '3s', preAllocatedVUs: 20, maxVUs: 50 } } };
export default function () { http.get('http://127.0.0.1:$port/work'); }
JS
  k6 run --quiet --out "json=$work/recording.json" "$work/record.js" >"$work/k6.log" 2>&1 || true
  kill "$target_pid" 2>/dev/null; target_pid=
  recorded="$(grep -c '"metric":"http_req_duration","type":"Point"' "$work/recording.json" || true)"
  echo "recording: real $(k6 version | head -1 | cut -d' ' -f1-2), $recorded requests, $(wc -l <"$work/recording.json") lines"
  echo "REPLAY (not k6): a writer appends the recording at $rate requests/s for ${seconds}s, flushing every ${flush}s"
  # The writer's output file appears when it is done: the tailer then polls once more and stops.
  { "$bin" replay "$work/recording.json" "$work/k6.json" "$rate" "$seconds" "$flush" >"$work/writer.tmp" &&
    mv "$work/writer.tmp" "$work/writer.out"; } &
  writer_pid=$!
  live="$("$bin" live "$work/k6.json" "$((seconds + 5))" "$work/writer.out")"
  wait "$writer_pid"
  echo "writer: $(cat "$work/writer.out") (rate reached, requests/s)"
  echo "tailer: $live" | sed '2,$s/^/        /'
  seen="$(sed -n 's/.*requests_seen=\([0-9]*\).*/\1/p' <<<"$live")"
  written="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$work/writer.out")"
  if [ "$seen" = "$written" ]; then echo "every request seen: yes ($seen of $written)"; else echo "every request seen: NO ($seen of $written)"; fi
  exit 0
fi
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
