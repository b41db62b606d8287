# Shared by scripts/docker-engine.sh and scripts/podman-engine.sh (sourced, not run).
# Callers define DIR (the engine's private state dir), SOCK (its API socket) and log().

# The engine API answers on our private socket.
ping_ok() { curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }

# import_busybox_image CLI... : build a one-binary rootfs from busybox-static (no registry is
# reachable) and import it as $IMAGE with the given engine CLI (e.g. `podman` or `cli`).
import_busybox_image() {
  local root="$DIR/rootfs"
  rm -rf "$root"; mkdir -p "$root"/{bin,tmp,proc,sys,dev,etc}
  cp /bin/busybox "$root/bin/busybox"     # busybox-static: no shared libraries needed
  for a in sh sleep ls ps cat echo kill true; do ln -sf busybox "$root/bin/$a"; done
  echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"; echo 'root:x:0:' > "$root/etc/group"
  tar -C "$root" -cf "$DIR/rootfs.tar" .
  # PID 1 traps TERM so `stop` ends at once (a bare PID 1 ignores SIGTERM); `wait` is
  # interruptible, a foreground sleep would delay the trap.
  "$@" import --change 'ENV PATH=/bin' \
    --change 'CMD ["/bin/sh","-c","trap \"exit 0\" TERM INT; while true; do sleep 3600 & wait $!; done"]' \
    "$DIR/rootfs.tar" "$IMAGE" >/dev/null
  rm -rf "$root" "$DIR/rootfs.tar"
}

# stop_engine_pid PID NAME TENTHS: SIGTERM, wait up to TENTHS × 0.1 s, then SIGKILL.
stop_engine_pid() {
  local pid=$1 name=$2 tenths=$3
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$tenths"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  log "$name pid $pid stopped"
}

# kill_leftovers PATTERN...: processes whose program matches one of the glob PATTERNs and
# whose command line names our state dir, by PID (never by name alone).
kill_leftovers() {
  local p cmd program pattern match
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null < "$p/cmdline") || continue
    program=${cmd%% *}; match=
    for pattern in "$@"; do
      # shellcheck disable=SC2053
      [[ $program == $pattern ]] && match=1
    done
    [ -n "$match" ] || continue
    case "$cmd" in *"$DIR/"*) kill -KILL "${p#/proc/}" 2>/dev/null && log "killed leftover ${p#/proc/}";; esac
  done
  sleep 0.2
}

# unmount_state_dir: every mount below $DIR, deepest first (lazily if busy).
unmount_state_dir() {
  local mnts m
  for _ in 1 2 3; do
    mnts=$(awk -v d="$DIR" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    [ -z "$mnts" ] && break
    for m in $mnts; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
}

# remove_cgroups DIR...: the (empty) cgroup trees the engine made for its containers.
remove_cgroups() {
  local cg
  for cg in "$@"; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
