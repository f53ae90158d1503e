#!/usr/bin/env bash
# A pack of 10,000 files (documents, scripts, JSON, a few binaries) must be audited in a few
# seconds. Generated on the fly into a scratch folder; prints the time it took.
# usage: large_pack.sh PACKDBC [LIMIT_SECONDS]
set -uo pipefail
PACKDBC=$(realpath "$1") LIMIT=${2:-10}
WORK=$(mktemp -d /tmp/packdbc-audit-large.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
P=$WORK/big-pack
mkdir -p "$P"
printf 'name: big-pack\nversion: 1.0.0\ndescription: ten thousand files\n' >"$P/config.yaml"
for d in $(seq 0 99); do
  mkdir -p "$P/sources/batch$d" "$P/scripts/s$d" "$P/tasks/t$d"
done
# Written by bash alone: no interpreter beyond the shell is assumed on the machine.
LOREM="lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt"
for i in $(seq 0 9999); do
  d=$((i % 100))
  case $((i % 4)) in
    0) printf '# Doc %d\n\nSee `outputs/minds/{slug}/kb/` and `data/x.json`.\n%s\n' "$i" "$LOREM" \
         >"$P/sources/batch$d/doc$i.md" ;;
    1) for _ in 1 2 3; do
         printf "import json, os\nOUT = 'outputs/runs'\ndef run(slug):\n    with open(os.path.join(OUT, slug, 'r%d.json'), 'w') as f:\n        json.dump({'status': 'done'}, f)\n    return os.getenv('SUPABASE_DB_URL')\n" "$i"
       done >"$P/scripts/s$d/job$i.py" ;;
    2) printf 'template:\n  output:\n    filename: docs/t%d.md\nsteps: [a, b, c]\n' $((i % 7)) >"$P/tasks/t$d/task$i.yaml" ;;
    3) printf '\x89PNG\0\0' >"$P/sources/batch$d/img$i.png" ;;
  esac
done
files=$(find "$P" -type f | wc -l)
start=$(date +%s%N)
"$PACKDBC" audit "$P" -o "$WORK/out" >"$WORK/stdout" 2>"$WORK/stderr"
rc=$?
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "audited $files files in ${ms} ms (exit $rc)"
cat "$WORK/stdout"
grep -i 'packdbc audit:' "$WORK/stderr" | head -3
[ $rc -eq 0 ] || { echo "FAIL: exit $rc"; head "$WORK/stderr"; exit 1; }
grep -q 'scanned 10001 files' "$WORK/stdout" || { echo "FAIL: not every file was scanned"; exit 1; }
if [ "$ms" -gt $((LIMIT * 1000)) ]; then echo "FAIL: slower than ${LIMIT}s"; exit 1; fi
echo "ok   large pack"
