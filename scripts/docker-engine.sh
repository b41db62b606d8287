#!/usr/bin/env bash
# docker-engine.sh start [N] | stop | status
#
# A private Docker engine for chaosctl's container tests: Debian's docker.io dockerd on its
# own unix socket, with its own data/exec dirs and cgroup parent, so it never meets a
# system dockerd. No registry is needed: the test image is a busybox-static rootfs tarball
# imported into the engine. `start` also runs N labelled containers (default 3):
#   chaosctl-web-1..N  labels app=web, chaosctl.test=true   restart=no   network=none
# Needs root. Prints "ENGINE_READY DOCKER_HOST=unix://..." when the API answers.
#
# Environment:
#   CHAOSCTL_DOCKER_DIR   state dir (default /tmp/chaosctl-docker); everything lives here
#   CHAOSCTL_DOCKER_IMAGE image name (default chaosctl-target:latest)
#
# `stop` removes the containers, stops dockerd by its recorded PID (then containerd and
# shims started for this state dir, by PID), unmounts, removes the cgroups and the state
# dir. Idempotent.
set -euo pipefail

DIR=${CHAOSCTL_DOCKER_DIR:-/tmp/chaosctl-docker}
SOCK="$DIR/docker.sock"
IMAGE=${CHAOSCTL_DOCKER_IMAGE:-chaosctl-target:latest}
CGROUP_PARENT=/chaosctl-docker-test
DOCKER=/usr/bin/docker   # Debian's client matches its dockerd's API version

log() { printf '[docker-engine] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
cli() { "$DOCKER" -H "unix://$SOCK" "$@"; }

# shellcheck source=lib/engine-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/engine-common.sh"

engine_pid() {
  local pid
  pid=$(cat "$DIR/engine.pid" 2>/dev/null) || return 1
  # Only our dockerd: the PID must still be a dockerd whose command line names our dir.
  tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q "dockerd.*$DIR" || return 1
  echo "$pid"
}

start_dockerd() {
  local driver=$1
  rm -f "$SOCK"
  local args=(--data-root "$DIR/data" --exec-root "$DIR/exec" --pidfile "$DIR/dockerd.pid"
    -H "unix://$SOCK" --storage-driver="$driver"
    --iptables=false --ip-masq=false --bridge=none --ip-forward=false
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent="$CGROUP_PARENT")
  # The daemon must not keep its caller's pipes open (a test reading this script's output
  # would never see EOF), so every inherited descriptor above 2 is closed for it. eval keeps
  # it one simple command, so $! is dockerd itself.
  local fd close=""
  for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && [ "$fd" != 255 ] && close+=" $fd>&-"; done
  eval "dockerd \"\${args[@]}\" >\"\$DIR/dockerd.log\" 2>&1 </dev/null $close &"
  echo $! > "$DIR/engine.pid"
  # Bounded wait: 30 s for the API to answer.
  for _ in $(seq 1 300); do
    ping_ok && return 0
    kill -0 "$(cat "$DIR/engine.pid")" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

build_image() {
  cli image inspect "$IMAGE" >/dev/null 2>&1 || import_busybox_image cli
}

cmd_start() {
  local n=${1:-3}
  [ "$(id -u)" = 0 ] || die "must run as root"
  for b in dockerd containerd runc "$DOCKER" /bin/busybox curl; do
    command -v "$b" >/dev/null || die "missing $b: install docker.io and busybox-static (scripts/install-deps.sh)"
  done
  if pid=$(engine_pid); then
    ping_ok && { log "already running (pid $pid)"; echo "ENGINE_READY DOCKER_HOST=unix://$SOCK pid=$pid"; return 0; }
    die "dockerd pid $pid exists but does not answer on $SOCK; run stop first"
  fi
  mkdir -p "$DIR"/{data,exec}
  # dockerd writes /etc/docker/key.json whatever the data root; remove it on stop only if
  # it was not there before.
  [ -e /etc/docker/key.json ] || touch "$DIR/created-etc-docker-key"
  if ! start_dockerd overlay2; then
    if grep -qi overlay "$DIR/dockerd.log"; then
      log "overlay2 unusable here; falling back to vfs"
      kill "$(cat "$DIR/engine.pid")" 2>/dev/null || true; sleep 1
      start_dockerd vfs || { tail -20 "$DIR/dockerd.log" >&2; die "dockerd did not come up"; }
    else
      tail -20 "$DIR/dockerd.log" >&2; die "dockerd did not come up"
    fi
  fi
  build_image
  for i in $(seq 1 "$n"); do
    cli rm -f "chaosctl-web-$i" >/dev/null 2>&1 || true
    cli run -d --name "chaosctl-web-$i" --label app=web --label chaosctl.test=true \
      --restart no --network none "$IMAGE" >/dev/null
  done
  echo "export DOCKER_HOST=unix://$SOCK" > "$DIR/env"
  log "dockerd pid $(cat "$DIR/engine.pid") on $SOCK; image $IMAGE; $n containers"
  echo "ENGINE_READY DOCKER_HOST=unix://$SOCK pid=$(cat "$DIR/engine.pid")"
}

cmd_stop() {
  [ -d "$DIR" ] || { log "nothing to stop"; return 0; }
  if [ -S "$SOCK" ] && ping_ok; then
    ids=$(timeout 20 "$DOCKER" -H "unix://$SOCK" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -n "$ids" ] && timeout 60 "$DOCKER" -H "unix://$SOCK" rm -f $ids >/dev/null 2>&1 || true
  fi
  if pid=$(engine_pid); then stop_engine_pid "$pid" dockerd 150; fi
  # containerd and shims this engine started: their command lines name our state dir.
  kill_leftovers '*containerd*' '*dockerd*'
  unmount_state_dir
  remove_cgroups /sys/fs/cgroup/*"$CGROUP_PARENT" /sys/fs/cgroup"$CGROUP_PARENT"
  [ -f "$DIR/created-etc-docker-key" ] && rm -f /etc/docker/key.json && rmdir /etc/docker 2>/dev/null || true
  rm -rf "$DIR"
  log "stopped; $DIR removed"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) if pid=$(engine_pid) && ping_ok; then echo "running pid=$pid DOCKER_HOST=unix://$SOCK"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
