#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/*, with AddressSanitizer, in .build-fuzz so the normal
# build is untouched) and runs each for as long as asked, then prints executions and
# crashes per target. A crashing input is saved as fuzz/crashes/<target>/crash-<sha1>
# (replay it with the normal build: .build/debug/fuzz-<target> FILE). Exits 1 if any
# target crashed or could not run.
#
#   scripts/fuzz.sh [--seconds N] [--keep-going] [--no-build] [TARGET...]
#
# --seconds N    run time per target (default 60)
# --no-build     run what is already built (several runs at once must not build at once)
# --keep-going   keep fuzzing after a crash (libFuzzer's fork mode) to find more than one
# TARGET         http-request, proxy-json, api-router, control-document, experiment,
#                kubeconfig, tc-units, load-output (default: all)
#
# New inputs that reach new code go to .build-fuzz/corpus/<target>; the committed seeds in
# fuzz/corpus/<target> (and the tokens in fuzz/dict/<target>.dict) are only read. Copy a
# find worth keeping into fuzz/corpus by hand.
set -uo pipefail
cd "$(dirname "$0")/.."

all_targets=(http-request proxy-json api-router control-document experiment kubeconfig tc-units load-output)
seconds=60
keep_going=0
build_first=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --keep-going) keep_going=1; shift ;;
    --no-build) build_first=0; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target $t (known: ${all_targets[*]})" >&2; exit 2; }
done

scratch=.build-fuzz
# lld: with ld.gold the sanitizer-coverage sections of an ASan build are dropped and
# libFuzzer runs blind ("no interesting inputs"). CHAOS_FUZZING drops each target's
# replay main, since libFuzzer brings its own.
# One -sanitize=fuzzer,address for swiftc, not SwiftPM's --sanitize twice: SwiftPM passes
# each as its own -sanitize= flag in an order that varies from run to run, and swiftc keeps
# only the last, so half the builds lost their coverage (or ASan). --sanitize=fuzzer still
# makes SwiftPM instrument the C shims and link libFuzzer.
build=(swift build --scratch-path "$scratch" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
       -Xswiftc -use-ld=lld -Xswiftc -DCHAOS_FUZZING)
bin="$("${build[@]}" --show-bin-path)"
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1
if [ "$build_first" = 1 ]; then
  echo "== building ${#targets[@]} fuzz target(s) in $scratch"
  mkdir -p "$scratch"
  build_start=$SECONDS
  for t in "${targets[@]}"; do
    "${build[@]}" --product "fuzz-$t" >"$scratch/build-$t.log" 2>&1 || {
      tail -30 "$scratch/build-$t.log"; echo "fuzz.sh: building fuzz-$t failed" >&2; exit 1; }
  done
  echo "built in $((SECONDS - build_start)) s"
fi
# A binary without coverage counters for the code under test fuzzes blind and finds
# nothing; that is how a lost -sanitize=fuzzer showed. Refuse to run it.
for t in "${targets[@]}"; do
  counters=$("$bin/fuzz-$t" -runs=0 </dev/null 2>&1 | sed -nE 's/.*Loaded 1 modules +\(([0-9]+) inline.*/\1/p' | head -1)
  if [ "${counters:-0}" -lt 1000 ]; then
    echo "fuzz.sh: $bin/fuzz-$t has ${counters:-no} coverage counters: not instrumented, rebuild it (rm -rf $scratch)" >&2
    exit 1
  fi
done

results=()
failed=0
for t in "${targets[@]}"; do
  seeds="fuzz/corpus/$t"
  work="$scratch/corpus/$t"
  crashes="fuzz/crashes/$t"
  mkdir -p "$seeds" "$work" "$crashes"
  before=$(find "$crashes" -type f | wc -l)
  log="$scratch/run-$t.log"
  flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
         -artifact_prefix="$crashes/")
  [ -f "fuzz/dict/$t.dict" ] && flags+=(-dict="fuzz/dict/$t.dict")
  [ "$keep_going" = 1 ] && flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  echo "== fuzz-$t for ${seconds}s (log: $log)"
  # (SWIFT_BACKTRACE is off above: Swift's own backtracer would catch the crash signal before
  # libFuzzer could save the input; leak checks are off because the Swift runtime keeps
  # caches for the process's life.)
  "$bin/fuzz-$t" "${flags[@]}" "$work" "$seeds" </dev/null >"$log" 2>&1
  status=$?
  executions=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{s+=$2} END {print s+0}')
  if [ "$executions" = 0 ]; then
    # Fork mode prints progress lines instead of final stats: take the last count.
    executions=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  fi
  found=$(( $(find "$crashes" -type f | wc -l) - before ))
  if [ "$found" -gt 0 ] || { [ "$status" != 0 ] && [ "$keep_going" = 0 ]; }; then
    failed=1
    [ "$found" -gt 0 ] || found="? (exit $status)"
    grep -E 'SUMMARY|Fatal error|ERROR: libFuzzer|Test unit written' "$log" | head -8
  fi
  results+=("$t|$seconds|${executions:-0}|${found}")
done

echo
printf '%-18s %8s %12s %10s %s\n' TARGET SECONDS EXECUTIONS EXEC/S CRASHES
for row in "${results[@]}"; do
  IFS='|' read -r t s e c <<<"$row"
  printf '%-18s %8s %12s %10s %s\n' "$t" "$s" "$e" "$(( ${e:-0} / (s > 0 ? s : 1) ))" "$c"
done
crashed=0
for row in "${results[@]}"; do [[ "$row" == *"|0" ]] || crashed=$((crashed + 1)); done
[ "$failed" = 1 ] && echo "crashes are saved under fuzz/crashes/ (replay one: .build/debug/fuzz-<target> FILE)"
# One line per run that scripts/test.sh adds to its totals: a target passes if it never crashed.
echo "fuzz: $(( ${#results[@]} - crashed )) passed, $crashed failed"
[ "$failed" = 0 ]
