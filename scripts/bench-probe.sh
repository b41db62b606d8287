#!/usr/bin/env bash
# Probe loop benchmark: a TCP probe at RATE/s for SECONDS against a local listener, printing
# schedule drift (max |actual - planned|) and CPU use. Targets: < 1 ms drift, < 5 % of a core.
#   scripts/bench-probe.sh [RATE=100] [SECONDS=60] [--realtime]
# --realtime asks for SCHED_FIFO on the loop's scheduler thread (needs CAP_SYS_NICE).
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-100}"
seconds="${2:-60}"

swift build -c release --product chaos-probe-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/chaos-probe-bench"

# The listener runs in its own process so its CPU is not charged to the loop.
portfile="$(mktemp)"
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(1024)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.close()
' >"$portfile" &
listener=$!
trap 'kill "$listener" 2>/dev/null || true; rm -f "$portfile"' EXIT
for _ in $(seq 50); do [ -s "$portfile" ] && break; sleep 0.1; done
port="$(head -1 "$portfile")"

"$bin" --port "$port" --rate "$rate" --seconds "$seconds" ${3:-}
