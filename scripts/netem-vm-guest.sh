#!/usr/bin/env bash
# Runs INSIDE the netem VM (scripts/netem-vm.sh), as root, with sch_netem loaded.
# usage: netem-vm-guest.sh PROBE   (PROBE = path of the chaosctl binary)
# Checks chaosctl's netem end to end against the real qdisc: ping RTT and loss across a veth
# pair into a namespace this script makes, `tc qdisc show`, signal revert, SIGKILL + recover.
set -u
P=$1
export CHAOSCTL_STATE_DIR=/tmp/chaosctl-state
passed=0 failed=0
ok()   { echo "PASS $*"; passed=$((passed + 1)); }
bad()  { echo "FAIL $*"; failed=$((failed + 1)); }
# awk does the float comparisons busybox sh cannot.
within() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'; }

ip netns add peer
ip link add v0 type veth peer name v1
ip link set v1 netns peer
ip addr add 198.18.0.1/24 dev v0 && ip link set v0 up
ip -n peer addr add 198.18.0.2/24 dev v1 && ip -n peer link set v1 up && ip -n peer link set lo up

# avg RTT in ms of COUNT pings of SIZE bytes
rtt() { ping -q -c "$1" -s "${2:-56}" -i 0.1 198.18.0.2 | sed -n 's#.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*#\1#p'; }
# loss percent of COUNT pings
loss() { ping -q -c "$1" -i 0.02 -W 1 198.18.0.2 | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p'; }
wait_ours() {  # wait until chaosctl's qdisc is on DEV (args: tc prefix...)
  for _ in $(seq 1 100); do "$@" qdisc show | grep -q 'ca05:' && return 0; sleep 0.1; done; return 1
}
ping -q -c 3 198.18.0.2 >/dev/null || { echo "FAIL veth setup: no ping"; echo "0 passed, 1 failed"; exit 1; }

echo "== delay via --netns, held, reverted by SIGTERM"
base=$(rtt 20)
"$P" netem apply --dev v1 --netns peer --delay 100ms --for 300s > /tmp/delay.out 2>&1 &
holder=$!
if wait_ours tc -n peer; then
  with=$(rtt 20)
  echo "rtt base ${base}ms, with delay 100ms: ${with}ms"
  grow=$(awk -v a="$with" -v b="$base" 'BEGIN { print a - b }')
  within "$grow" 90 140 && ok "delay: RTT grew by ${grow}ms (expected 100ms, 90..140)" || bad "delay: RTT grew by ${grow}ms"
  tc -n peer qdisc show dev v1 | grep -qE 'netem ca05: root .*delay 100ms' && ok "delay: tc shows delay 100ms" || bad "delay: tc shows $(tc -n peer qdisc show dev v1)"
else bad "delay: qdisc never appeared: $(cat /tmp/delay.out)"; fi
kill -TERM "$holder"; wait "$holder"; rc=$?
[ "$rc" = 143 ] && ok "delay: holder exited 143 on SIGTERM" || bad "delay: holder exit $rc: $(cat /tmp/delay.out)"
tc -n peer qdisc show dev v1 | grep -q ca05 && bad "delay: qdisc still there after SIGTERM" || ok "delay: reverted on SIGTERM"
after=$(rtt 10)
within "$after" 0 "$(awk -v b="$base" 'BEGIN { print b + 20 }')" && ok "delay: RTT back to ${after}ms" || bad "delay: RTT still ${after}ms"

echo "== random loss 30%"
"$P" netem apply --dev v0 --loss 30% --detach >/dev/null || bad "loss: apply failed"
l=$(loss 400)
# Binomial, n=400, p=0.3: sd = 2.3 points; 20..40 is over 4 sd either side.
within "$l" 20 40 && ok "loss: observed ${l}% for 30% (20..40)" || bad "loss: observed ${l}%"
tc qdisc show dev v0 | grep -q 'loss 30%' && ok "loss: tc shows loss 30%" || bad "loss: tc shows $(tc qdisc show dev v0)"
"$P" netem clear --dev v0 >/dev/null

echo "== Gilbert-Elliott loss"
"$P" netem apply --dev v0 --loss "gemodel 20% 20% 50% 0%" --detach >/dev/null || bad "gemodel: apply failed"
l=$(loss 500)
# Half the time in the bad state (p = r = 20%), losing 50% there, none in the good state:
# 25% on average; losses come in bursts, so the spread is about twice binomial (sd ~ 4).
within "$l" 12 38 && ok "gemodel: observed ${l}% for 25% expected (12..38)" || bad "gemodel: observed ${l}%"
tc qdisc show dev v0 | grep -qE 'loss gemodel p 20% r 20% 1-h 50% 1-k 0%' && ok "gemodel: tc shows the model" || bad "gemodel: tc shows $(tc qdisc show dev v0)"
"$P" netem show --dev v0 | grep -q 'gemodel p 20% r 20% 1-h 50% 1-k 0%' && ok "gemodel: chaosctl show agrees" || bad "gemodel: show says $("$P" netem show --dev v0)"
"$P" netem clear --dev v0 >/dev/null

echo "== 4-state loss model"
"$P" netem apply --dev v0 --loss "state 10% 50% 5% 2% 1%" --detach >/dev/null || bad "state: apply failed"
tc qdisc show dev v0 | grep -qE 'loss state p13 10% p31 50% p32 5% p23 2% p14 1%' && ok "state: tc shows the model" || bad "state: tc shows $(tc qdisc show dev v0)"
"$P" netem clear --dev v0 >/dev/null

echo "== rate 100kbit"
base=$(rtt 10 1200)
"$P" netem apply --dev v0 --rate 100kbit --detach >/dev/null || bad "rate: apply failed"
with=$(rtt 10 1200)
# A 1200-byte ping is 1242 bytes on the wire (ICMP 8 + IP 20 + Ethernet 14): 99.4ms at 100kbit.
grow=$(awk -v a="$with" -v b="$base" 'BEGIN { print a - b }')
echo "rtt base ${base}ms, with rate: ${with}ms"
within "$grow" 85 125 && ok "rate: 1242-byte frame took ${grow}ms more (expected 99.4)" || bad "rate: grew ${grow}ms"
tc qdisc show dev v0 | grep -q 'rate 100Kbit' && ok "rate: tc shows rate 100Kbit" || bad "rate: tc shows $(tc qdisc show dev v0)"
"$P" netem clear --dev v0 >/dev/null

echo "== rate 1mbit: TCP goodput"
# bytes/s from the sender's start to the receiver's EOF (busybox nc; the receiver's stdin is
# held open so it ends on the network EOF, not its own).
goodput() {
  rm -f /tmp/rx /tmp/rx.end
  ip netns exec peer bash -c 'nc -l -p 5001 > /tmp/rx < <(sleep 120); echo $EPOCHREALTIME > /tmp/rx.end' &
  local rx=$! start
  sleep 0.5
  start=$EPOCHREALTIME
  head -c "$1" /dev/zero | nc 198.18.0.2 5001
  wait "$rx"
  awk -v n="$(wc -c < /tmp/rx)" -v want="$1" -v s="$start" -v e="$(cat /tmp/rx.end)" \
    'BEGIN { if (n != want) print 0; else printf "%d\n", n / (e - s) }'
}
"$P" netem apply --dev v0 --rate 1mbit --detach >/dev/null || bad "goodput: apply failed"
g=$(goodput 400000)
# 1mbit = 125,000 B/s on the wire; TCP payload is 1448 of each 1514-byte frame (95.6 %), plus
# slow start: it cannot beat the rate, so 0.75..1.02 x 125000. (The rate is kept low because
# busybox nc under TCG emulation tops out near 1 MB/s on its own.)
within "$g" 93750 127500 && ok "goodput: ${g} B/s through rate 1mbit (125000 configured)" || bad "goodput: ${g} B/s through rate 1mbit"
"$P" netem clear --dev v0 >/dev/null
g=$(goodput 400000)
within "$g" 375000 100000000000 && ok "goodput: ${g} B/s after clear (over 3x the rate)" || bad "goodput: ${g} B/s after clear"

echo "== every parameter at once, as tc prints it"
"$P" netem apply --dev v0 --delay 100ms --jitter 10ms --correlation 25% --distribution normal \
  --loss 1% --loss-correlation 5% --ecn --duplicate 2% --corrupt 3% --reorder 5% --reorder-correlation 50% --gap 3 \
  --rate 1mbit --packet-overhead 10 --cell-size 53 --cell-overhead 5 --slot "10ms 20ms packets 5 bytes 3000" \
  --limit 500 --detach >/tmp/all.out 2>&1 || bad "all: apply failed: $(cat /tmp/all.out)"
shown=$(tc qdisc show dev v0)
echo "tc: $shown"
for want in 'netem ca05: root' 'limit 500' 'delay 100ms +10ms +25%' 'loss 1% +5%' 'duplicate 2%' 'reorder 5% +50%' \
            'corrupt 3%' 'rate 1Mbit packetoverhead 10 cellsize 53 celloverhead 5' 'ecn' 'gap 3' \
            'slot 10ms 20ms packets 5 bytes 3000'; do
  grep -qE -- "$want" <<<"$shown" && ok "all: tc shows '$want'" || bad "all: tc lacks '$want'"
done
"$P" netem show --dev v0 | grep -q 'delay 100ms 10ms 25%' && ok "all: chaosctl show agrees on delay" || bad "all: show: $("$P" netem show --dev v0)"
"$P" netem clear --dev v0 >/dev/null

echo "== --seed on a kernel without TCA_NETEM_PRNG_SEED"
out=$("$P" netem apply --dev v0 --delay 1ms --seed 42 --detach 2>&1); rc=$?
if [ "$(uname -r | cut -d. -f1-2)" = 6.1 ]; then
  [ "$rc" = 9 ] && grep -q 'ignores netem' <<<"$out" && ok "seed: refused plainly (exit 9)" || bad "seed: rc $rc: $out"
  tc qdisc show dev v0 | grep -q ca05 && bad "seed: half-applied qdisc left behind" || ok "seed: nothing left behind"
fi
"$P" netem clear --dev v0 >/dev/null

echo "== foreign root: refused, then --force, SIGKILL, recover restores it exactly"
tc qdisc add dev v0 root handle 1: tbf rate 5mbit burst 10kb latency 70ms
before=$(tc qdisc show dev v0)
out=$("$P" netem apply --dev v0 --delay 50ms --detach 2>&1); rc=$?
[ "$rc" = 8 ] && grep -q 'did not install' <<<"$out" && ok "foreign: refused without --force (exit 8)" || bad "foreign: rc $rc: $out"
"$P" netem apply --dev v0 --delay 50ms --force --for 300s >/tmp/kill.out 2>&1 &
holder=$!
if wait_ours tc; then ok "foreign: --force replaced it"; else bad "foreign: never applied: $(cat /tmp/kill.out)"; fi
kill -KILL "$holder"; wait "$holder" 2>/dev/null
tc qdisc show dev v0 | grep -q ca05 && ok "kill: fault outlived SIGKILL (as expected)" || bad "kill: fault vanished"
"$P" recover | tee /tmp/recover.out | grep -q 'reverted .* netem ' && ok "recover: reverted the orphan" || bad "recover: $(cat /tmp/recover.out)"
after=$(tc qdisc show dev v0)
[ "$before" = "$after" ] && ok "recover: qdisc list restored exactly ($after)" || bad "recover: before '$before' after '$after'"
ls "$CHAOSCTL_STATE_DIR/faults" 2>/dev/null | grep -q . && bad "recover: journal not empty" || ok "recover: journal empty"

echo "== signals: SIGINT/SIGTERM 0..500 ms after start end every holder through a revert (issue #11)"
# Job control: background jobs keep SIGINT at its default (without it bash ignores it for them).
set -m
RANDOM=1107
sig_rounds=25 sig_bad=0
for i in $(seq 1 $sig_rounds); do
  if [ $((RANDOM % 2)) = 0 ]; then sig=INT; else sig=TERM; fi
  delay=$((RANDOM % 501))
  "$P" netem apply --dev v1 --netns peer --delay 20ms --for 30s > /tmp/sig.out 2>&1 &
  holder=$!
  # Start the clock once chaosctl runs (a signal before the exec would hit bash's child).
  for _ in $(seq 1 2000); do [ /proc/$holder/exe -ef "$P" ] || ! kill -0 $holder 2>/dev/null && break; done
  sleep "$(printf '0.%03d' "$delay")"
  kill -s $sig $holder
  t0=${EPOCHREALTIME/./}
  ( sleep 2; kill -KILL $holder 2>/dev/null && echo lost > /tmp/sig.lost ) &
  dog=$!
  wait $holder; rc=$?
  ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
  kill $dog 2>/dev/null; wait $dog 2>/dev/null
  want=$((128 + $(kill -l $sig)))
  problem=""
  [ -e /tmp/sig.lost ] && problem="LOST (no exit 2 s after the signal)" && rm -f /tmp/sig.lost
  [ -z "$problem" ] && [ "$rc" != "$want" ] && problem="exit $rc, want $want"
  tc -n peer qdisc show dev v1 | grep -q ca05 && problem="$problem; qdisc left"
  ls "$CHAOSCTL_STATE_DIR"/faults/*.json >/dev/null 2>&1 && problem="$problem; journal record left"
  if [ -n "$problem" ]; then
    sig_bad=$((sig_bad + 1))
    echo "signal round $i: $sig at ${delay}ms: $problem ($(tr '\n' ' ' < /tmp/sig.out))"
    "$P" recover --all >/dev/null 2>&1
  else
    echo "signal round $i: $sig at ${delay}ms: exit $rc ${ms}ms after the signal, nothing left"
  fi
done
set +m
[ "$sig_bad" = 0 ] && ok "signals: $sig_rounds of $sig_rounds holders ended within 2 s, reverted" || bad "signals: $sig_bad of $sig_rounds rounds lost or left something"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
