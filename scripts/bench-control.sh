#!/usr/bin/env bash
# Builds chaos-bench in release mode and runs the ChaosControl benchmark.
# Usage: scripts/bench-control.sh [--calls N] [--writes N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product chaos-bench
exec "$(swift build -c release --show-bin-path)/chaos-bench" control "$@"
