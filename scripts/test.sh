#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need, builds, runs every
# test suite. Exit status is non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build --build-tests
swift test 2>&1 | tee /tmp/chaosctl-swift-test.log
