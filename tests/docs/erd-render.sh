#!/usr/bin/env bash
# erd-render.sh PACKDBC SOURCE_DIR [PNG_OUT]
# Renders both ERDs that `packdbc compile` writes for every example, for real:
#   docs/<pack>/database-erd.dot  with Graphviz: dot -Tsvg
#   docs/<pack>/database-erd.mmd  with mermaid-cli (tools/node_modules) and Debian's chromium:
#                                 mmdc -p tests/docs/puppeteer.json
# and fails on any render error (a non-zero exit, an empty SVG, or Mermaid's "Syntax error"
# picture).  With PNG_OUT, the mmos ERD is also rendered to that PNG (how
# docs/images/mmos-erd.png is made).
set -euo pipefail
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 PACKDBC SOURCE_DIR [PNG_OUT]" >&2; exit 2; }
PACKDBC=$1 SRC=$(cd "$2" && pwd) PNG_OUT=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
MMDC="$SRC/tools/node_modules/.bin/mmdc"
PUPPETEER="$HERE/puppeteer.json"

die() { printf '[erd-render] ERROR: %s\n' "$*" >&2; exit 1; }
command -v dot >/dev/null || die "dot not found (apt-get install graphviz; scripts/install-deps.sh)"
[ -x "$MMDC" ] || die "mmdc not found at $MMDC (scripts/install-deps.sh installs tools/)"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found (apt-get install chromium; scripts/install-deps.sh)"

work=$(mktemp -d /tmp/packdb-erd.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0
n=0
for spec in "$SRC"/examples/*/*.packdb; do
  name=$(basename "$spec" .packdb)
  out="$work/$name"
  "$PACKDBC" compile "$spec" -o "$out" --quiet || die "packdbc compile $spec failed"
  mmd=$(find "$out/docs" -name database-erd.mmd)
  gv=$(find "$out/docs" -name database-erd.dot)
  [ -f "$mmd" ] || { echo "FAIL $name: no database-erd.mmd written"; fail=1; continue; }
  [ -f "$gv" ] || { echo "FAIL $name: no database-erd.dot written"; fail=1; continue; }

  if ! dot -Tsvg "$gv" -o "$work/$name.dot.svg" 2>"$work/$name.dot.err" || [ -s "$work/$name.dot.err" ]; then
    echo "FAIL $name: dot -Tsvg $gv:"; sed 's/^/    /' "$work/$name.dot.err"; fail=1
  elif ! grep -q '<svg' "$work/$name.dot.svg"; then
    echo "FAIL $name: dot wrote no SVG"; fail=1
  else
    echo "ok   $name: dot -Tsvg ($(wc -c <"$work/$name.dot.svg") bytes)"
  fi

  if ! "$MMDC" -q -p "$PUPPETEER" -i "$mmd" -o "$work/$name.mmd.svg" >"$work/$name.mmdc.log" 2>&1; then
    echo "FAIL $name: mmdc -i $mmd:"; sed 's/^/    /' "$work/$name.mmdc.log" | head -20; fail=1
  elif ! grep -q '<svg' "$work/$name.mmd.svg" || grep -qi 'syntax error' "$work/$name.mmd.svg"; then
    echo "FAIL $name: mmdc rendered no diagram (syntax error picture)"; fail=1
  else
    # Every table of the diagram is drawn.
    missing=""
    for t in $(sed -n 's/^  \([a-z_][a-z0-9_]*\) {$/\1/p' "$mmd"); do
      grep -q ">$t<" "$work/$name.mmd.svg" || missing="$missing $t"
    done
    if [ -n "$missing" ]; then echo "FAIL $name: mmdc SVG lacks tables:$missing"; fail=1
    else echo "ok   $name: mmdc ($(wc -c <"$work/$name.mmd.svg") bytes)"; fi
  fi
  n=$((n + 1))
  if [ -n "$PNG_OUT" ] && [ "$name" = mmos ]; then
    "$MMDC" -q -p "$PUPPETEER" -i "$mmd" -o "$PNG_OUT" -b white -s 2 >"$work/png.log" 2>&1 \
      || { cat "$work/png.log" >&2; die "rendering $PNG_OUT failed"; }
    echo "wrote $PNG_OUT"
  fi
done
[ $n -gt 0 ] || die "no examples found under $SRC/examples"
exit $fail
