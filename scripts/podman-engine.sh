#!/usr/bin/env bash
# podman-engine.sh start [N] | stop | status
#
# A private rootful Podman 4 serving the Docker-compatible API on its own unix socket, for
# chaosctl's Podman tests; the Podman counterpart of docker-engine.sh. Its storage, run dir,
# configuration and events log all live in one state dir. Same registry-free busybox-static
# image (localhost/chaosctl-target:latest) and N labelled containers (app=web).
# Prints "ENGINE_READY DOCKER_HOST=unix://..." when the API answers.
#
#   CHAOSCTL_PODMAN_DIR   state dir (default /tmp/chaosctl-podman)
set -euo pipefail

DIR=${CHAOSCTL_PODMAN_DIR:-/tmp/chaosctl-podman}
SOCK="$DIR/podman.sock"
IMAGE=localhost/chaosctl-target:latest
export CONTAINERS_CONF="$DIR/containers.conf" CONTAINERS_STORAGE_CONF="$DIR/storage.conf"

log() { printf '[podman-engine] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
# shellcheck source=lib/engine-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/engine-common.sh"

engine_pid() {
  local pid
  pid=$(cat "$DIR/engine.pid" 2>/dev/null) || return 1
  tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q "podman.*$SOCK" || return 1
  echo "$pid"
}

write_config() {
  mkdir -p "$DIR"/{root,run,tmp}
  # Root here may lack CAP_SYS_RESOURCE: podman's default rlimits for root would make the
  # runtime fail, so use the current hard limits. crun refuses cgroup v1/hybrid; runc copes.
  local nofile nproc
  nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
  nproc=$(ulimit -Hu); [ "$nproc" = unlimited ] && nproc=32768
  [ "$nproc" -gt 32768 ] && nproc=32768
  cat > "$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
netns = "none"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$DIR/events.log"
tmp_dir = "$DIR/tmp"
CONF
  cat > "$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "overlay"
graphroot = "$DIR/root"
runroot = "$DIR/run"
CONF
  if ! podman info >/dev/null 2>"$DIR/overlay-probe.err"; then
    log "overlay unusable; using vfs"
    sed -i 's/^driver = "overlay"/driver = "vfs"/' "$CONTAINERS_STORAGE_CONF"
  fi
}

# Close every descriptor above 2 this script inherited, before it starts anything. The engine
# and each `podman run`'s conmon outlive the script and would keep them open: a caller waiting
# for EOF, or for a descriptor it passed down to close (Foundation's Process watches a socket
# it gives the child to tell when it exits), would wait until the engine or container ended.
close_inherited_descriptors() {
  local fd
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] && [ "$fd" != 255 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

cmd_start() {
  local n=${1:-3}
  close_inherited_descriptors
  [ "$(id -u)" = 0 ] || die "must run as root"
  for b in podman conmon runc /bin/busybox curl; do
    command -v "$b" >/dev/null || die "missing $b: apt-get install podman conmon runc busybox-static"
  done
  if pid=$(engine_pid); then
    ping_ok && { echo "ENGINE_READY DOCKER_HOST=unix://$SOCK pid=$pid"; return 0; }
    die "podman pid $pid exists but does not answer; run stop first"
  fi
  [ -e /var/lib/containers ] || { mkdir -p "$DIR"; touch "$DIR/created-var-lib-containers"; }
  write_config
  rm -f "$SOCK"
  podman system service --time=0 "unix://$SOCK" >"$DIR/engine.log" 2>&1 </dev/null &
  echo $! > "$DIR/engine.pid"
  for _ in $(seq 1 300); do ping_ok && break; kill -0 "$(cat "$DIR/engine.pid")" 2>/dev/null || break; sleep 0.1; done
  ping_ok || { tail -20 "$DIR/engine.log" >&2; die "podman API did not come up"; }
  podman image exists "$IMAGE" || import_busybox_image podman

  for i in $(seq 1 "$n"); do
    podman rm -f "chaosctl-web-$i" >/dev/null 2>&1 || true
    podman run -d --name "chaosctl-web-$i" --label app=web --label chaosctl.test=true \
      --network none "$IMAGE" >/dev/null
  done
  printf 'export DOCKER_HOST=unix://%s CONTAINERS_CONF=%q CONTAINERS_STORAGE_CONF=%q\n' \
    "$SOCK" "$CONTAINERS_CONF" "$CONTAINERS_STORAGE_CONF" > "$DIR/env"
  log "podman pid $(cat "$DIR/engine.pid") on $SOCK; $n containers"
  echo "ENGINE_READY DOCKER_HOST=unix://$SOCK pid=$(cat "$DIR/engine.pid")"
}

cmd_stop() {
  [ -d "$DIR" ] || { log "nothing to stop"; return 0; }
  if [ -f "$CONTAINERS_CONF" ] && command -v podman >/dev/null; then
    timeout 60 podman rm -a -f -t 0 >/dev/null 2>&1 || true
    timeout 60 podman rmi -a -f >/dev/null 2>&1 || true
  fi
  if pid=$(engine_pid); then stop_engine_pid "$pid" podman 100; fi
  # conmon and cleanup processes of this state dir, by PID.
  kill_leftovers '*conmon*' '*podman*'
  unmount_state_dir
  remove_cgroups /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/libpod_parent
  if [ -f "$DIR/created-var-lib-containers" ]; then
    rm -rf /var/lib/containers/cache; rmdir /var/lib/containers 2>/dev/null || true
  fi
  rm -rf "$DIR"
  log "stopped; $DIR removed"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) if pid=$(engine_pid) && ping_ok; then echo "running pid=$pid DOCKER_HOST=unix://$SOCK"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
