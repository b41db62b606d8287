#!/usr/bin/env bash
# The README's first command: install what building and running chaosctl needs (only that:
# the test suites' packages come with scripts/test.sh), build it, and run the demo
# experiment (experiments/demo.yaml) against the embedded demo service; prints where the
# report is. Everything runs on loopback inside one process.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --build
swift build --product chaosctl
exec "$(swift build --show-bin-path)/chaosctl" demo "$@"
