#!/usr/bin/env bash
# run.sh SOURCE_DIR WORK_DIR SECONDS — builds the libFuzzer target (clang, ASan + UBSan, in a
# tree of its own: WORK_DIR/build), replays every input kept in tests/fuzz/regressions/, then
# fuzzes the whole front end for SECONDS, seeded with every spec in the repository. Fails on
# any crash, leak, timeout (10 s per input) or sanitizer report; the input that caused it is
# left in WORK_DIR/artifacts/ — fix the bug and keep the input in tests/fuzz/regressions/.
set -uo pipefail
SRC=$(cd "${1:?usage: run.sh SOURCE_DIR WORK_DIR SECONDS}" && pwd) WORK=${2:?} SECONDS_=${3:?}
log() { printf '[fuzz] %s\n' "$*"; }
die() { printf '[fuzz] ERROR: %s\n' "$*" >&2; exit 1; }
command -v clang++ >/dev/null || die "clang++ not found (scripts/install-deps.sh installs clang)"
mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd)

log "building packdb_fuzz (clang, libFuzzer + ASan + UBSan) in $WORK/build"
cmake -S "$SRC" -B "$WORK/build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPACKDB_FUZZ=ON -DBUILD_TESTING=OFF >"$WORK/configure.log" 2>&1 || { tail -20 "$WORK/configure.log" >&2; die "configure failed"; }
ninja -C "$WORK/build" -j2 packdb_fuzz >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; die "build failed"; }
FUZZ=$WORK/build/packdb_fuzz

# Regressions: each kept input once.
shopt -s nullglob
regressions=("$SRC"/tests/fuzz/regressions/*)
if [ ${#regressions[@]} -gt 0 ]; then
  "$FUZZ" "${regressions[@]}" >"$WORK/regressions.log" 2>&1 || { tail -40 "$WORK/regressions.log" >&2; die "a kept regression input fails again"; }
  log "${#regressions[@]} regression inputs pass"
fi

# Seeds: every spec of the repository (examples, error tests, CLI cases, KISS packs, …).
rm -rf "$WORK/corpus" "$WORK/artifacts" && mkdir -p "$WORK/corpus" "$WORK/artifacts"
n=0
while IFS= read -r -d '' f; do cp "$f" "$WORK/corpus/seed_$n.packdb"; n=$((n + 1)); done \
  < <(find "$SRC/examples" "$SRC/tests" "$SRC/stdlib" -name '*.packdb' -print0 | sort -z)
[ "$n" -gt 0 ] || die "no seed specs found"
log "fuzzing for ${SECONDS_}s from $n seed specs"
if "$FUZZ" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
     -artifact_prefix="$WORK/artifacts/" "$WORK/corpus" >"$WORK/fuzz.log" 2>&1; then
  log "no crash, leak, timeout or sanitizer report: $(grep -E 'stat::number_of_executed_units' "$WORK/fuzz.log" | awk '{print $2}') inputs run"
else
  tail -60 "$WORK/fuzz.log" >&2
  die "the fuzzer found a failure; its input: $(ls "$WORK/artifacts" | head -3)"
fi
