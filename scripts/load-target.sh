# Sourced by scripts/fuzz-load-seeds.sh and scripts/bench-load-live.sh: starts the ChaosLoad
# tests' loopback HTTP target (Tests/ChaosLoadTests/Fixtures/load_target.py, 127.0.0.1 only,
# stops by itself after 60 s) with one request in five answered 503. Sets target_pid and
# port; the caller's EXIT trap ends the target by that PID.
start_load_target() {
  local out="$1/target.out"
  python3 Tests/ChaosLoadTests/Fixtures/load_target.py 60 >"$out" 2>/dev/null &
  target_pid=$!
  for _ in $(seq 50); do grep -q PORT "$out" && break; sleep 0.1; done
  port="$(awk '/PORT/ {print $2}' "$out")"
  curl -s -X POST -d '{"fail_every": 5}' "http://127.0.0.1:$port/mode" >/dev/null
}
