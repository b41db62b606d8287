#!/usr/bin/env bash
# Builds proxy-bench in release mode and runs it on loopback:
#   latency-toxic accuracy (added delay error p50/p99) and throughput direct vs proxy.
# Extra arguments go to proxy-bench, e.g. `scripts/bench-proxy-dataplane.sh latency --samples 300`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product proxy-bench >&2
exec .build/release/proxy-bench "${@:-all}"
