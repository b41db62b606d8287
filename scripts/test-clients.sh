#!/usr/bin/env bash
# Control-file readers in every language (issue #14): every conformance vector in
# docs/conformance/ through every language's runner, compared by conformance-check.py
# (for Python, Go, TypeScript and Java twice: decide() and the primitive fast path),
# plus each client's own tests. Prints one line per step and closes with
# "clients: N passed, M failed". A missing toolchain fails under CI=true, else is skipped
# (and said so). Run from anywhere; scripts/test.sh calls it.
set -uo pipefail
cd "$(dirname "$0")/.."

vectors=(docs/conformance/*.json)
passed=0; failed=0; skipped=()
step() {   # step NAME COMMAND...: runs it, counts it, shows its last lines on failure
  local name=$1; shift
  local out; out=$(mktemp)
  if "$@" >"$out" 2>&1; then
    passed=$((passed + 1)); echo "ok    $name ($(grep -av "^[[:space:]]*$" "$out" | tail -1))"
  else
    failed=$((failed + 1)); echo "FAIL  $name"; tail -40 "$out" | sed 's/^/      /'
  fi
  rm -f "$out"
}
missing() {   # missing NAME TOOL: a language whose toolchain is absent
  if [ "${CI:-}" = true ]; then
    failed=$((failed + 1)); echo "FAIL  $1: $2 not installed (scripts/install-deps.sh installs it)"
  else
    skipped+=("$1"); echo "skip  $1: $2 not installed"
  fi
}
check() {   # check LANGUAGE RUNNER...: all vectors through one runner
  step "$1 conformance (${#vectors[@]} vectors)" python3 scripts/conformance-check.py --name "$1" -- "${@:2}" "${vectors[@]}"
}
check_fast() {   # the same through the runner's --fast mode: "decide" calls take the fast path
  step "$1 fast path conformance (${#vectors[@]} vectors)" \
    python3 scripts/conformance-check.py --name "$1 fast path" -- "${@:2}" --fast "${vectors[@]}"
}

# Swift: the runner is a product of the package (test.sh has built it already).
if [ -x .build/debug/control-conformance ] || swift build --product control-conformance >/dev/null 2>&1; then
  check swift .build/debug/control-conformance
else
  failed=$((failed + 1)); echo "FAIL  swift: control-conformance does not build"
fi

# Python (stdlib only).
if command -v python3 >/dev/null; then
  check python env PYTHONPATH=clients/python python3 -m chaos_control.conformance
  check_fast python env PYTHONPATH=clients/python python3 -m chaos_control.conformance
  step "python unittest" bash -c 'cd clients/python && python3 -m unittest discover -s tests -t . 2>&1'
else
  missing python python3
fi

# Go (Debian golang-go).
if command -v go >/dev/null; then
  gobin=$(mktemp -d)
  if (cd clients/go && go build -o "$gobin/control-conformance" ./cmd/control-conformance); then
    check go "$gobin/control-conformance"
    check_fast go "$gobin/control-conformance"
  else
    failed=$((failed + 1)); echo "FAIL  go: control-conformance does not build"
  fi
  step "go test" bash -c 'cd clients/go && go vet ./... && go test -count=1 . 2>&1'
  rm -rf "$gobin"
else
  missing go golang-go
fi

# TypeScript (Debian node-typescript; Node >= 18).
if [ -f clients/typescript/package.json ]; then
  if command -v tsc >/dev/null && command -v node >/dev/null; then
    if (cd clients/typescript && tsc -p . >/dev/null 2>&1); then
      check typescript node clients/typescript/dist/src/conformance.js
      check_fast typescript node clients/typescript/dist/src/conformance.js
      step "typescript tests" bash -c 'cd clients/typescript && node --test dist/test/ 2>&1'
    else
      failed=$((failed + 1)); echo "FAIL  typescript: tsc failed"; (cd clients/typescript && tsc -p . 2>&1 | tail -20)
    fi
  else
    missing typescript "node-typescript (tsc)"
  fi
fi

# Java 17 (Debian default-jdk, junit5).
if [ -f clients/java/build.sh ]; then
  if command -v javac >/dev/null && [ -e /usr/share/java/junit-platform-console-standalone.jar ]; then
    if bash clients/java/build.sh >/dev/null 2>&1; then
      check java java -cp clients/java/build/classes dev.chaosctl.control.Conformance
      check_fast java java -cp clients/java/build/classes dev.chaosctl.control.Conformance
      step "java junit" bash clients/java/test.sh
    else
      failed=$((failed + 1)); echo "FAIL  java: build failed"; bash clients/java/build.sh 2>&1 | tail -20
    fi
  else
    missing java "default-jdk / junit5"
  fi
fi

# Live, across languages: chaosctl writes, every reader process sees each flip; then a
# rename writer rewrites ~1000 times while they read and none may reject a file.
if [ -x .build/debug/chaosctl ]; then
  step "live cross-language (chaosctl writes, every reader sees it, no torn read)" python3 scripts/live-clients.py --flips 10
else
  failed=$((failed + 1)); echo "FAIL  live: .build/debug/chaosctl not built"
fi

echo "clients: $passed passed, $failed failed${skipped[*]:+, skipped: ${skipped[*]}}"
[ "$failed" = 0 ]
