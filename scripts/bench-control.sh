#!/usr/bin/env bash
# Builds chaos-bench in release mode and runs the ChaosControl benchmark.
# Usage: scripts/bench-control.sh [--calls N] [--writes N] [--dir PATH]
# (--dir /dev/shm measures update() without the disk's fsync latency)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product chaos-bench
exec "$(swift build -c release --show-bin-path)/chaos-bench" control "$@"
