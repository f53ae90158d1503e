#!/usr/bin/env bash
# test.sh — configure, build and run every test (unit, golden, database) with ctest.
# The database tests start their own servers (ctest fixtures, tests/db); the EXIT trap
# stops them even when ctest is interrupted, so no server outlives the run.
set -euo pipefail
cd "$(dirname "$0")/.."

# SANITIZE=1: the same suite on a build with AddressSanitizer + UndefinedBehaviorSanitizer
# (-DPACKDB_SANITIZE=ON, in build-asan/ unless BUILD_DIR says otherwise); CI runs both.
if [ "${SANITIZE:-0}" = 1 ]; then
  BUILD=${BUILD_DIR:-build-asan}
  CMAKE_EXTRA=(-DPACKDB_SANITIZE=ON)
  # A distinctive exit code, so a sanitizer report is never mistaken for an expected exit 1.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:exitcode=86}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}
else
  BUILD=${BUILD_DIR:-build}
  CMAKE_EXTRA=()
fi
stop_servers() {
  bash tests/db/pg-down.sh "$BUILD/dbstate" >/dev/null 2>&1 || true
  bash tests/db/pglite-down.sh "$BUILD/dbstate" >/dev/null 2>&1 || true
}
trap stop_servers EXIT

cmake -S . -B "$BUILD" -G Ninja "${CMAKE_EXTRA[@]}"
cmake --build "$BUILD"
ctest --test-dir "$BUILD" --output-on-failure "$@"
