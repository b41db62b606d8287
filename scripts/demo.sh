#!/usr/bin/env bash
# The README's first command: install what chaosctl needs, build it, run the main job.
# For now the main job is a guided round trip of flags on a temporary control file.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build --product chaosctl
exec "$(swift build --show-bin-path)/chaosctl" demo "$@"
