#!/usr/bin/env bash
# Compiles the reader (Java 17, no dependencies) into clients/java/build/classes.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf build/classes && mkdir -p build/classes
javac --release 17 -Xlint:all -Werror -d build/classes $(find src/main/java -name '*.java')
