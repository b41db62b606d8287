#!/usr/bin/env bash
# CI entry for netem: build chaosctl, boot
# Debian's kernel in QEMU (scripts/netem-vm.sh) and run scripts/netem-vm-guest.sh there.
# usage: scripts/test-netem-vm.sh          (CHAOS_PROBE=PATH skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
probe=${CHAOS_PROBE:-}
if [ -z "$probe" ]; then
  swift build --product chaosctl >&2
  probe=$(swift build --show-bin-path)/chaosctl
fi
exec scripts/netem-vm.sh --file "$probe" scripts/netem-vm-guest.sh "$probe"
