#!/usr/bin/env bash
# bench/run.sh [N...] — times `packdbc compile` on synthetic specs of N tables.
#
# For each N (default: 1000 5000 20000) it generates the spec into a temp folder with
# build/bench/gen, then runs
#     /usr/bin/time -v ./build/packdbc compile bench.packdb -o OUT --quiet --max-spec-mib 64
#   (the limit raised so that N = 100,000, a 40 MB spec, compiles)
# REPEAT times (default 3) into a fresh OUT each time, and prints a table: the best wall time,
# that run's user and system time, the largest peak RSS of the runs, and the sizes of the
# spec and of what packdbc wrote. It builds nothing: build first with
#     cmake -S . -B build -G Ninja && ninja -C build packdbc packdb_bench_gen
#
# Environment: REPEAT (runs per N, default 3), KEEP=1 (keep the temp folder and say where),
# PACKDBC / GEN (other binaries, e.g. a build of another commit; default build/packdbc and
# build/bench/gen).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: bench/run.sh [N...]   (each N a whole number from 1 to 1000000; default: 1000 5000 20000)" >&2
  exit 2
}
REPEAT=${REPEAT:-3}
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: REPEAT must be a positive whole number" >&2; exit 2; }
case "${1:-}" in -h|--help) usage ;; esac
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 5000 20000)
for n in "${SIZES[@]}"; do
  if ! [[ "$n" =~ ^[1-9][0-9]{0,6}$ ]] || [ "$n" -gt 1000000 ]; then
    echo "run.sh: bad N '$n'" >&2
    usage
  fi
done

PACKDBC=${PACKDBC:-./build/packdbc}
GEN=${GEN:-./build/bench/gen}
TIME=/usr/bin/time
for b in "$PACKDBC" "$GEN"; do
  [ -x "$b" ] || { echo "run.sh: $b is missing; build first: ninja -C build packdbc packdb_bench_gen" >&2; exit 2; }
done
[ -x "$TIME" ] || { echo "run.sh: $TIME is missing (GNU time: apt-get install -y time)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/packdb-bench.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then
  trap 'echo "run.sh: kept $WORK" >&2' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi

# "h:mm:ss.ss" or "m:ss.ss" → seconds
to_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

printf '%-8s %9s %9s %8s %8s %13s %10s %7s\n' "N" "spec MB" "wall s" "user s" "sys s" "peak RSS MB" "output MB" "files"
for n in "${SIZES[@]}"; do
  dir="$WORK/n$n"
  "$GEN" "$n" "$dir" >/dev/null
  spec_bytes=$(stat -c %s "$dir/bench.packdb")
  best_wall="" best_user="" best_sys="" peak_kb=0
  for ((r = 1; r <= REPEAT; r++)); do
    out="$dir/out"
    rm -rf "$out"
    if ! "$TIME" -v -o "$dir/time.txt" "$PACKDBC" compile "$dir/bench.packdb" -o "$out" --quiet --max-spec-mib 64 >"$dir/stdout.txt" 2>"$dir/stderr.txt"; then
      cat "$dir/stderr.txt" >&2
      echo "run.sh: packdbc compile failed for N=$n" >&2
      exit 1
    fi
    wall=$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt")")
    user=$(sed -n 's/.*User time (seconds): //p' "$dir/time.txt")
    sys=$(sed -n 's/.*System time (seconds): //p' "$dir/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
    [ "$rss" -gt "$peak_kb" ] && peak_kb=$rss
    if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall best_user=$user best_sys=$sys
    fi
  done
  out_bytes=$(du -sb "$dir/out" | cut -f1)
  files=$(find "$dir/out" -type f | wc -l)
  printf '%-8s %9s %9s %8s %8s %13s %10s %7s\n' "$n" "$(mb "$spec_bytes")" "$best_wall" "$best_user" "$best_sys" \
    "$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')" "$(mb "$out_bytes")" "$files"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
done
