#!/usr/bin/env bash
# Builds wgi and runs every test: the GoogleTest suite (unit, CLI and decoder
# fuzz tests), the spec testsuite through the library and through the CLI
# (as CTest tests), and finally the spec runner directly, so the output ends
# with its tally line `spec: N passed, N failed, N skipped`.
#
# Usage: scripts/test-all.sh [extra cmake arguments...]
#   WGI_BUILD_DIR   build directory (default: build)
# The spec testsuite is read from ../shared/spec-testsuite unless
# -DWGI_SPEC_TESTSUITE=DIR is given.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${WGI_BUILD_DIR:-build}"

cmake -S . -B "$build" -DWGI_BUILD_TESTS=ON -DWGI_BUILD_BENCH=ON "$@"
cmake --build "$build" -j2

# Keep going after a ctest failure so the spec tally is still printed; the
# exit status reports the first failure.
status=0
(cd "$build" && ctest --output-on-failure -j2) || status=$?
"$build/spec-tests/wgi-spec" || { s=$?; [ "$status" -ne 0 ] || status=$s; }
exit "$status"
