#!/usr/bin/env bash
# bench/vs-dbml2sql.sh [N...] — packdbc against a peer, side by side, in one run.
#
# For each N (default: 1000 5000 20000; the issue's 100000 too, if asked) it writes the same schema twice with build/bench/gen
# (bench.packdb and bench.dbml), then runs, REPEAT times each (default 3), alternating:
#     packdbc compile bench.packdb -o OUT --quiet --max-spec-mib 64
#     dbml2sql --postgres bench.dbml -o OUT.sql          (npm @dbml/cli 6.6.0)
# under /usr/bin/time, and prints the best wall time, the largest peak RSS, and the ratios
# (dbml2sql / packdbc: how many times faster and leaner packdbc is).
#
# packdbc does more per table than dbml2sql (RLS policies, pgTAP tests, rollbacks, the seed's
# documentation and two ERDs); the ratios are for the whole job of each tool.
#
# dbml2sql comes from bench/package.json (pinned by bench/package-lock.json), installed into
# bench/node_modules on first use with `npm ci` (236 MB; the test suite never needs it), or
# from $DBML2SQL. Build first: ninja -C build packdbc packdb_bench_gen
set -euo pipefail
cd "$(dirname "$0")/.."

REPEAT=${REPEAT:-3}
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "vs-dbml2sql: REPEAT must be a positive whole number" >&2; exit 2; }
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 5000 20000)
for n in "${SIZES[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]{0,6}$ ]] || { echo "usage: bench/vs-dbml2sql.sh [N...]   (bad N '$n')" >&2; exit 2; }
done
PACKDBC=${PACKDBC:-./build/packdbc}
GEN=${GEN:-./build/bench/gen}
TIME=/usr/bin/time
for b in "$PACKDBC" "$GEN" "$TIME"; do
  [ -x "$b" ] || { echo "vs-dbml2sql: $b is missing (build: ninja -C build packdbc packdb_bench_gen; GNU time: apt-get install -y time)" >&2; exit 2; }
done
if [ -z "${DBML2SQL:-}" ]; then
  DBML2SQL=bench/node_modules/.bin/dbml2sql
  if [ ! -x "$DBML2SQL" ]; then
    echo "vs-dbml2sql: installing @dbml/cli 6.6.0 into bench/node_modules (once)" >&2
    (cd bench && npm ci --no-audit --no-fund --silent) || { echo "vs-dbml2sql: npm ci failed" >&2; exit 1; }
  fi
fi
[ -x "$DBML2SQL" ] || { echo "vs-dbml2sql: $DBML2SQL is not executable" >&2; exit 2; }
DBML2SQL=$(readlink -f "$DBML2SQL")  # run from the spec folder below

WORK=$(mktemp -d /tmp/packdb-vs.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# measure NAME CMD... → appends "wall_s rss_kb" of one run to $WORK/NAME.times
measure() {
  local name=$1; shift
  "$TIME" -f '%e %M' -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; echo "vs-dbml2sql: $name failed" >&2; exit 1; }
  cat "$WORK/t" >>"$WORK/$name.times"
}
best() { sort -n "$WORK/$1.times" | head -1 | cut -d' ' -f1; }
peak() { sort -n -k2 "$WORK/$1.times" | tail -1 | cut -d' ' -f2; }

printf '| N | packdbc wall s | packdbc peak MB | dbml2sql wall s | dbml2sql peak MB | faster | leaner |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for n in "${SIZES[@]}"; do
  d="$WORK/n$n"
  "$GEN" "$n" "$d" >/dev/null
  rm -f "$WORK"/*.times
  for (( r = 0; r < REPEAT; r++ )); do
    rm -rf "$d/out"
    # N = 100,000 is a 40 MB spec, over the default 16 MiB limit (P0003): allowed here.
    measure packdbc "$PACKDBC" compile "$d/bench.packdb" -o "$d/out" --quiet --max-spec-mib 64
    (cd "$d" && measure dbml2sql "$DBML2SQL" --postgres bench.dbml -o dbml.sql)  # it leaves dbml-error.log in the cwd
  done
  pw=$(best packdbc) pm=$(peak packdbc) dw=$(best dbml2sql) dm=$(peak dbml2sql)
  awk -v n="$n" -v pw="$pw" -v pm="$pm" -v dw="$dw" -v dm="$dm" 'BEGIN {
    printf "| %d | %.2f | %.0f | %.2f | %.0f | %.1f× | %.1f× |\n", n, pw, pm / 1024, dw, dm / 1024,
           (pw > 0 ? dw / pw : 0), dm / pm }'
done
