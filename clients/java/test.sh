#!/usr/bin/env bash
# Compiles and runs the JUnit 5 tests with Debian's junit5 (console launcher).
set -euo pipefail
cd "$(dirname "$0")"
bash build.sh
junit=/usr/share/java/junit-platform-console-standalone.jar
rm -rf build/test-classes && mkdir -p build/test-classes
javac --release 17 -cp build/classes:"$junit" -d build/test-classes $(find src/test/java -name '*.java')
java -jar "$junit" --disable-banner --details=summary --fail-if-no-tests \
  -cp build/classes:build/test-classes --scan-classpath build/test-classes
