#!/usr/bin/env bash
# test.sh — configure, build and run every test (unit, golden, database) with ctest.
# The database tests start their own servers (ctest fixtures, tests/db); the EXIT trap
# stops them even when ctest is interrupted, so no server outlives the run.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD_DIR:-build}
stop_servers() {
  bash tests/db/pg-down.sh "$BUILD/dbstate" >/dev/null 2>&1 || true
  bash tests/db/pglite-down.sh "$BUILD/dbstate" >/dev/null 2>&1 || true
}
trap stop_servers EXIT

cmake -S . -B "$BUILD" -G Ninja
cmake --build "$BUILD"
ctest --test-dir "$BUILD" --output-on-failure "$@"
