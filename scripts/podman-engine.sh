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
ping_ok() { curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }

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

cmd_start() {
  local n=${1:-3}
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
  # Close inherited descriptors above 2 (see docker-engine.sh): callers must see EOF.
  local fd close=""
  for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && [ "$fd" != 255 ] && close+=" $fd>&-"; done
  eval "podman system service --time=0 \"unix://\$SOCK\" >\"\$DIR/engine.log\" 2>&1 </dev/null $close &"
  echo $! > "$DIR/engine.pid"
  for _ in $(seq 1 300); do ping_ok && break; kill -0 "$(cat "$DIR/engine.pid")" 2>/dev/null || break; sleep 0.1; done
  ping_ok || { tail -20 "$DIR/engine.log" >&2; die "podman API did not come up"; }
  if ! podman image exists "$IMAGE"; then
    local root="$DIR/rootfs"
    rm -rf "$root"; mkdir -p "$root"/{bin,tmp,proc,sys,dev,etc}
    cp /bin/busybox "$root/bin/busybox"
    for a in sh sleep ls ps cat echo kill true; do ln -sf busybox "$root/bin/$a"; done
    echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"; echo 'root:x:0:' > "$root/etc/group"
    tar -C "$root" -cf "$DIR/rootfs.tar" .
    podman import --change 'ENV PATH=/bin' \
      --change 'CMD ["/bin/sh","-c","trap \"exit 0\" TERM INT; while true; do sleep 3600 & wait $!; done"]' \
      "$DIR/rootfs.tar" "$IMAGE" >/dev/null
    rm -rf "$root" "$DIR/rootfs.tar"
  fi
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
  if pid=$(engine_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    log "podman pid $pid stopped"
  fi
  # conmon and cleanup processes of this state dir, by PID.
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null < "$p/cmdline") || continue
    case "${cmd%% *}" in *conmon*|*podman*) ;; *) continue ;; esac
    case "$cmd" in *"$DIR/"*) kill -KILL "${p#/proc/}" 2>/dev/null && log "killed leftover ${p#/proc/}";; esac
  done
  sleep 0.2
  for _ in 1 2 3; do
    mnts=$(awk -v d="$DIR" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    [ -z "$mnts" ] && break
    for m in $mnts; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
  for cg in /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/libpod_parent; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
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
