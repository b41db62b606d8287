#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need, builds, runs every
# test suite (the Swift tests, then netem for real in a VM booting Debian's kernel), and
# closes with one summary line. Exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --test || exit 1

# == Style (issue #12 item 4): swift-format's rules as configured in .swift-format. Rules
# only: its pretty-printer would re-indent every continuation line aligned under an opening
# parenthesis (the code base's layout), which no configuration expresses, so that part is
# off (--debug-disable-pretty-print). Any finding fails the run.
echo "== swift format lint (.swift-format)"
swift format lint --strict --parallel --debug-disable-pretty-print --recursive Sources Tests Fuzz > /tmp/chaosctl-lint.$$ 2>&1
lint_status=$?
lint_findings=$(grep -cE ': (error|warning): ' /tmp/chaosctl-lint.$$)
lint_failed=0
if [ "$lint_status" != 0 ] || [ "$lint_findings" -gt 0 ]; then
  lint_failed=1
  echo "swift format lint: $lint_findings finding(s) (exit $lint_status); the first ones:"
  head -20 /tmp/chaosctl-lint.$$
else
  echo "swift format lint: no findings"
fi
rm -f /tmp/chaosctl-lint.$$

swift build --build-tests || exit 1

log=$(mktemp /tmp/chaosctl-test.XXXXXX)
swift test --skip-build 2>&1 | tee "$log"
swift_status=${PIPESTATUS[0]}
# XCTest's last "Executed N tests, with F failures" line is the total.
# ("Executed 297 tests, with 1 test skipped and 0 failures" when something was skipped.)
read -r swift_total swift_skipped swift_failed < <(grep -E 'Executed [0-9]+ tests?, with ' "$log" | tail -1 |
  sed -E 's/.*Executed ([0-9]+) tests?, with (([0-9]+) tests? skipped and )?([0-9]+) failures?.*/\1 \3 \4/;
          s/^([0-9]+)  ([0-9]+)$/\1 0 \2/')
swift_total=${swift_total:-0}; swift_skipped=${swift_skipped:-0}; swift_failed=${swift_failed:-0}
[ "$swift_status" = 0 ] || [ "$swift_failed" -gt 0 ] || swift_failed=1
# Every skipped test by name (XCTest: "Test Case 'Class.test' skipped (0.001 seconds)").
skipped_names=$(sed -nE "s/^Test Case '([^']+)' skipped .*/\1/p" "$log" | sort -u | paste -sd, - | sed 's/,/, /g')

# == ThreadSanitizer (issue #11 "Races"): the suites of the modules that run threads, in
# their own build directory. A reported race fails the step (TSan exits 66); nothing is
# suppressed. Excluded under TSan only (they still run above, uninstrumented):
#   ToxicBehaviourTests.testLatencyAddsItsDelayToEveryRoundTrip — asserts a 50 ms latency
#   toxic adds at most 60 ms; TSan's 5-15x slowdown of the loop thread alone breaks that.
echo "== ThreadSanitizer: ChaosProxyTests ChaosCoreTests ChaosControlTests ChaosProbeTests"
tsan_status=0
swift build --build-tests --sanitize=thread --scratch-path .build-tsan 2>&1 | tail -20
[ "${PIPESTATUS[0]}" = 0 ] || tsan_status=1
if [ "$tsan_status" = 0 ]; then
  swift test --skip-build --sanitize=thread --scratch-path .build-tsan \
    --filter '^(ChaosProxyTests|ChaosCoreTests|ChaosControlTests|ChaosProbeTests)\.' \
    --skip 'ToxicBehaviourTests\.testLatencyAddsItsDelayToEveryRoundTrip$' 2>&1 | tee "$log.tsan"
  tsan_status=${PIPESTATUS[0]}
fi
tsan_races=$(grep -c 'WARNING: ThreadSanitizer' "$log.tsan" 2>/dev/null); tsan_races=${tsan_races:-0}
read -r tsan_total tsan_failed < <(grep -E 'Executed [0-9]+ tests?, with ' "$log.tsan" 2>/dev/null | tail -1 |
  sed -E 's/.*Executed ([0-9]+) tests?, with ([0-9]+ tests? skipped and )?([0-9]+) failures?.*/\1 \3/')
tsan_total=${tsan_total:-0}; tsan_failed=${tsan_failed:-0}
# A race, a crash or a failed build with no failed test still counts as one failure.
[ "$tsan_status" = 0 ] && [ "$tsan_races" = 0 ] || [ "$tsan_failed" -gt 0 ] || tsan_failed=1
tsan_skipped_names=$(sed -nE "s/^Test Case '([^']+)' skipped .*/\1/p" "$log.tsan" 2>/dev/null | sort -u | paste -sd, - | sed 's/,/, /g')
rm -f "$log.tsan"

# Every fuzz target for a bounded time (issue #11); a crash fails the run and is saved under
# fuzz/crashes/. About 2 min of build plus 8 × FUZZ_SECONDS.
echo "== fuzz: every target for ${FUZZ_SECONDS:-20}s (scripts/fuzz.sh)"
bash scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-20}" 2>&1 | tee "$log.fuzz"
fuzz_status=${PIPESTATUS[0]}
read -r fuzz_passed fuzz_failed < <(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed$' "$log.fuzz" | tail -1 | sed -E 's/fuzz: ([0-9]+) passed, ([0-9]+) failed/\1 \2/')
fuzz_passed=${fuzz_passed:-0}; fuzz_failed=${fuzz_failed:-0}
[ "$fuzz_status" = 0 ] || [ "$fuzz_failed" -gt 0 ] || fuzz_failed=1

# Control-file readers in every language against the conformance vectors (issue #14).
echo "== clients: conformance vectors and each reader's tests (scripts/test-clients.sh)"
bash scripts/test-clients.sh 2>&1 | tee "$log.clients"
clients_status=${PIPESTATUS[0]}
read -r clients_passed clients_failed < <(grep -E '^clients: [0-9]+ passed, [0-9]+ failed' "$log.clients" | tail -1 | sed -E 's/clients: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/')
clients_passed=${clients_passed:-0}; clients_failed=${clients_failed:-0}
[ "$clients_status" = 0 ] || [ "$clients_failed" -gt 0 ] || clients_failed=1
rm -f "$log.clients"

echo "== netem in a VM (this host's kernel has no sch_netem)"
bash scripts/test-netem-vm.sh 2>&1 | tee "$log.vm"
vm_status=${PIPESTATUS[0]}
read -r vm_passed vm_failed < <(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log.vm" | tail -1 | sed -E 's/([0-9]+) passed, ([0-9]+) failed/\1 \2/')
vm_passed=${vm_passed:-0}; vm_failed=${vm_failed:-0}
[ "$vm_status" = 0 ] || [ "$vm_failed" -gt 0 ] || vm_failed=1
rm -f "$log" "$log.vm" "$log.fuzz"

passed=$(( swift_total - swift_skipped - swift_failed + vm_passed + fuzz_passed + clients_passed ))
failed=$(( swift_failed + vm_failed + fuzz_failed + tsan_failed + lint_failed + clients_failed ))
echo "swift: $((swift_total - swift_skipped - swift_failed)) passed, $swift_failed failed, $swift_skipped skipped; netem VM: $vm_passed passed, $vm_failed failed; fuzz targets: $fuzz_passed passed, $fuzz_failed failed"
echo "clients: $clients_passed passed, $clients_failed failed (scripts/test-clients.sh)"
echo "tsan: $tsan_total tests run, $tsan_failed failed, $tsan_races races reported${tsan_skipped_names:+, skipped: $tsan_skipped_names}"
echo "lint: $lint_findings swift-format finding(s)"
echo "tests: $passed passed, $failed failed, $swift_skipped skipped${skipped_names:+ ($skipped_names)}"
[ "$failed" = 0 ]
