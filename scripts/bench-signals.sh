#!/usr/bin/env bash
# bench-signals.sh — issue #11's signal benchmark: start a chaosctl command that holds a fault,
# send SIGINT or SIGTERM at a random instant 0..MAX_DELAY ms after start, and count, per command:
#   lost     the process had not ended 2 s after the signal (it is then SIGKILLed + recovered)
#   unclean  it ended, but with an unexpected status or with its fault still applied
#   p50/p99  time from the signal to the exit (bash's `wait`; includes the revert)
#   pre-code how many of the clean ends came before any chaosctl code ran (no output at all: the
#            signal arrived while the dynamic loader was still mapping libraries and killed it)
#
# usage: scripts/bench-signals.sh [--rounds N] [--commands "flag tbf container run netem"]
#                                 [--seed S] [--max-delay MS] [--chaosctl PATH]
#   --rounds N     rounds per command (default 1000)
#   --commands     which commands (default: flag tbf container run netem)
#       flag       flag enable sN --percent 10 --for 30s --wait           (control file, journal)
#       tbf        tbf apply in a namespace pair made here --for 30s       (tc qdisc show, journal)
#       container  container pause --for 30s on scripts/docker-engine.sh's private dockerd
#       run        run an experiment holding a flag for 30 s (exit 3 = aborted and rolled back)
#       netem      netem apply --for 30s, inside the netem VM (this host's kernel has no
#                  sch_netem): scripts/netem-vm.sh runs this same script as the guest
#   --chaosctl P   use this binary (default: `swift build --product chaosctl`, debug)
# Exit status 1 when any signal was lost or any round was unclean.
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=1000 commands="flag tbf container run netem" seed=1107 max_delay=500 chaosctl=${CHAOSCTL:-} limit_ms=2000 in_vm=0
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --commands) commands=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --max-delay) max_delay=$2; shift 2 ;;
    --chaosctl) chaosctl=$2; shift 2 ;;
    --in-vm) in_vm=1; shift ;;   # set by the netem branch when netem-vm.sh runs this as its guest
    *) echo "bench-signals: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$chaosctl" ]; then
  swift build --product chaosctl >&2 || exit 1
  chaosctl=$(swift build --show-bin-path)/chaosctl
fi
P=$chaosctl
# Job control: background jobs keep SIGINT at its default instead of ignoring it, as a
# command started from a terminal would.
set -m
RANDOM=$seed
work=$(mktemp -d /tmp/bench-signals.XXXXXX)
export CHAOSCTL_STATE_DIR=$work/state CHAOS_CONTROL_PATH=$work/control.json
cleanup_steps=()
cleanup() { for step in "${cleanup_steps[@]}"; do eval "$step"; done; rm -rf "$work"; }
# Not an EXIT trap: bash runs that in some subshells too (command substitutions here).
trap 'cleanup; exit 130' INT TERM

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
sleep_ms() { [ "$1" -gt 0 ] && sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; return 0; }
journal_left() { ls "$CHAOSCTL_STATE_DIR"/faults/*.json >/dev/null 2>&1; }

# One round: start "$@" in the background, signal it, wait (a watchdog SIGKILLs it after
# limit_ms). Sets: sig, delay, rc, elapsed_us, lost.
one_round() {
  if [ $((RANDOM % 2)) = 0 ]; then sig=INT; else sig=TERM; fi
  delay=$((RANDOM * 32768 + RANDOM)); delay=$((delay % (max_delay + 1)))
  "$@" >"$work/out" 2>&1 &
  local pid=$! n=0
  # The clock starts once chaosctl runs: a signal before the exec would hit bash's child.
  until [ /proc/$pid/exe -ef "$P" ] || ! kill -0 "$pid" 2>/dev/null || [ $((n += 1)) -gt 100000 ]; do :; done
  sleep_ms "$delay"
  kill -s "$sig" "$pid" 2>/dev/null
  local t0; t0=$(now_us)
  ( sleep "$(printf '%d.%03d' $((limit_ms / 1000)) $((limit_ms % 1000)))"; kill -KILL "$pid" 2>/dev/null && echo lost > "$work/watchdog" ) &
  local dog=$!
  wait "$pid"; rc=$?
  elapsed_us=$(( $(now_us) - t0 ))
  kill "$dog" 2>/dev/null; wait "$dog" 2>/dev/null
  lost=0
  if [ -e "$work/watchdog" ]; then lost=1; rm -f "$work/watchdog"; fi
}

# Run ROUNDS rounds of one command. $1 = label, $2 = a function that starts the command
# (argument: round index), $3 = a function that prints what is left applied (empty = clean),
# $4 = extra accepted exit statuses (space-separated; 128+n is always accepted).
bench() {
  local label=$1 start=$2 check=$3 accept=${4:-}
  local lost_n=0 unclean_n=0 early_n=0 times=$work/times-$label
  : > "$times"
  for i in $(seq 1 "$rounds"); do
    one_round "$start" "$i"
    local want=$((128 + $(kill -l "$sig"))) left ok=0
    left=$($check "$i")
    [ "$rc" = "$want" ] && ok=1
    for a in $accept; do [ "$rc" = "$a" ] && ok=1; done
    if [ "$lost" = 1 ]; then
      lost_n=$((lost_n + 1))
      echo "  $label round $i: LOST $sig sent at ${delay}ms; $(tail -2 "$work/out" | tr '\n' ' ')" >&2
      "$P" recover --all >/dev/null 2>&1
    elif [ "$ok" = 0 ] || [ -n "$left" ]; then
      unclean_n=$((unclean_n + 1))
      echo "  $label round $i: $sig at ${delay}ms: exit $rc (want $want${accept:+ or $accept}) ${left}; $(tail -2 "$work/out" | tr '\n' ' ')" >&2
      "$P" recover --all >/dev/null 2>&1
      echo "$elapsed_us" >> "$times"
    else
      echo "$elapsed_us" >> "$times"
      [ -s "$work/out" ] || early_n=$((early_n + 1))
    fi
  done
  sort -n "$times" | awk -v label="$label" -v rounds="$rounds" -v lost="$lost_n" -v unclean="$unclean_n" -v early="$early_n" '
    { v[NR] = $1 }
    END {
      n = NR
      p50 = n ? v[int((n - 1) * 0.50) + 1] / 1000 : 0
      p99 = n ? v[int((n - 1) * 0.99) + 1] / 1000 : 0
      mx = n ? v[n] / 1000 : 0
      printf "%-10s rounds %5d  lost %4d  unclean %4d  pre-code %4d  signal->exit p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", label, rounds, lost, unclean, early, p50, p99, mx
    }'
  [ "$lost_n" = 0 ] && [ "$unclean_n" = 0 ]
}

# --- flag enable --wait
flag_start() { exec "$P" flag enable "s$1" --percent 10 --for 30s --wait; }
flag_left() {
  grep -q "\"s$1\"" "$CHAOS_CONTROL_PATH" 2>/dev/null && printf 'flag s%s left in the control file; ' "$1"
  journal_left && printf 'journal record left; '
  return 0
}

# --- tbf / netem apply in a namespace pair made here
make_netns() {
  ns=bsig$$
  ip netns add "${ns}a" && ip netns add "${ns}b" &&
    ip link add bsva netns "${ns}a" type veth peer name bsvb netns "${ns}b" &&
    ip -n "${ns}a" link set bsva up && ip -n "${ns}b" link set bsvb up || { echo "bench-signals: cannot make namespaces" >&2; exit 1; }
  cleanup_steps+=("ip netns del ${ns}a 2>/dev/null; ip netns del ${ns}b 2>/dev/null")
}
tbf_start() { exec "$P" tbf apply --dev bsva --netns "${ns}a" --rate 8mbit --burst 32kb --latency 100ms --for 30s; }
netem_start() { exec "$P" netem apply --dev bsva --netns "${ns}a" --delay 50ms --for 30s; }
qdisc_left() {
  tc -n "${ns}a" qdisc show dev bsva | grep -q 'ca05:' && printf 'qdisc left: %s; ' "$(tc -n "${ns}a" qdisc show dev bsva | tr '\n' ' ')"
  journal_left && printf 'journal record left; '
  return 0
}

# --- container pause on a private dockerd
container_start() { exec "$P" container pause --docker-host "unix://$engine_dir/docker.sock" --name chaosctl-web-1 --for 30s; }
container_left() {
  [ "$(docker -H "unix://$engine_dir/docker.sock" inspect -f '{{.State.Paused}}' chaosctl-web-1 2>&1)" = false ] ||
    printf 'container paused (or unknown); '
  journal_left && printf 'journal record left; '
  return 0
}

# --- run: an experiment that holds a flag
run_start() { exec "$P" run "$work/exp.yaml" --report-dir "$work/reports-$1"; }
run_left() {
  rm -rf "$work/reports-$1"
  grep -q '"slow-db"' "$CHAOS_CONTROL_PATH" 2>/dev/null && printf 'flag slow-db left; '
  journal_left && printf 'journal record left; '
  return 0
}

echo "bench-signals: $P, $rounds round(s) per command, signal at 0..${max_delay} ms, seed $seed, limit ${limit_ms} ms"
status=0
for c in $commands; do
  case $c in
    flag) bench flag flag_start flag_left || status=1 ;;
    tbf) make_netns; bench tbf tbf_start qdisc_left || status=1 ;;
    netem)
      if [ "$in_vm" = 1 ] || grep -qw sch_netem /proc/modules 2>/dev/null; then
        [ -n "${ns:-}" ] || make_netns
        bench netem netem_start qdisc_left || status=1
      else
        # This host's kernel has no sch_netem: the VM runs this same script, netem only.
        NETEM_VM_TIMEOUT=${NETEM_VM_TIMEOUT:-3600} scripts/netem-vm.sh --file "$P" scripts/bench-signals.sh \
          --in-vm --chaosctl "$P" --commands netem --rounds "$rounds" --seed "$seed" --max-delay "$max_delay" || status=1
      fi ;;
    container)
      engine_dir=/tmp/chaosctl-docker-bench-$$
      if CHAOSCTL_DOCKER_DIR=$engine_dir bash scripts/docker-engine.sh start 1 2>"$work/engine.log" | grep -q ENGINE_READY; then
        cleanup_steps+=("CHAOSCTL_DOCKER_DIR=$engine_dir bash scripts/docker-engine.sh stop >/dev/null 2>&1")
        bench container container_start container_left || status=1
      else
        echo "container: the private dockerd did not start: $(tail -3 "$work/engine.log")"; status=1
      fi ;;
    run)
      cat > "$work/exp.yaml" <<'EOF'
title: signal bench
steady_state:
  interval: 50ms
  before: 150ms
  after: 200ms
  probes:
    - name: always-fine
      command: "true"
method:
  - name: slow everything
    flag: {name: slow-db, percent: 50, latency_ms: 100}
    duration: 30s
EOF
      bench run run_start run_left 3 || status=1 ;;
    *) echo "bench-signals: unknown command $c" >&2; status=2 ;;
  esac
done
cleanup
exit $status
