#!/usr/bin/env bash
# Every subcommand that `packdbc --help` lists has a section `## packdbc NAME` in
# docs/cli.md, and every long option that `packdbc NAME --help` lists appears, as
# `--option`, in that section (up to the next `## ` heading). The commands table at the top
# of docs/cli.md has a row `| [`packdbc NAME`](#packdbc-NAME) | DESCRIPTION | … |` for each,
# whose DESCRIPTION is the one-line description `packdbc --help` prints, word for word; and
# the table lists no command that the CLI does not have.
# usage: commands_documented.sh PACKDBC SOURCE_DIR
set -euo pipefail
PACKDBC=${1:?usage: $0 PACKDBC SOURCE_DIR}
SRC=${2:?usage: $0 PACKDBC SOURCE_DIR}
DOC="$SRC/docs/cli.md"
[ -f "$DOC" ] || { echo "FAIL: $DOC does not exist"; exit 1; }

help=$("$PACKDBC" --help)
# CLI11 lists the subcommands under a "Subcommands:" (or "SUBCOMMANDS:") line, one per line.
# (Here-strings, not pipes, feed grep and awk: under pipefail `printf … | grep -q` can fail
# when grep stops reading early.)
mapfile -t commands < <(awk '
  tolower($0) ~ /^subcommands:/ { on = 1; next }
  on && /^[^ ]/ { on = 0 }
  on && /^  +[a-z][a-z0-9-]*/ { print $1 }' <<<"$help")
[ ${#commands[@]} -gt 0 ] || { echo "FAIL: found no subcommands in 'packdbc --help':"; printf '%s\n' "$help"; exit 1; }

fail=0
# The commands table: `| [`packdbc NAME`](#…) | DESCRIPTION | writes |`, before the first `## `.
table=$(awk '/^## / { exit } /^\| \[`packdbc [a-z][a-z0-9-]*`\]/ { print }' "$DOC")
for cmd in "${commands[@]}"; do
  cli_desc=$(awk -v c="$cmd" '
    tolower($0) ~ /^subcommands:/ { on = 1; next }
    on && /^[^ ]/ { on = 0 }
    on && $1 == c { sub(/^ +[^ ]+ +/, ""); print; exit }' <<<"$help")
  row=$(grep -F "| [\`packdbc $cmd\`](" <<<"$table" || true)
  if [ -z "$row" ]; then
    echo "FAIL: the commands table of docs/cli.md has no row for '$cmd' (| [\`packdbc $cmd\`](#packdbc-$cmd) | $cli_desc | … |)"
    fail=1
  else
    doc_desc=$(awk -F' \\| ' '{ print $2 }' <<<"$row" | sed 's/\\|/|/g')
    if [ "$doc_desc" != "$cli_desc" ]; then
      echo "FAIL: '$cmd' is described differently in docs/cli.md's commands table and in 'packdbc --help':"
      echo "  docs/cli.md:    $doc_desc"
      echo "  packdbc --help: $cli_desc"
      fail=1
    fi
  fi
done
while IFS= read -r row; do
  [ -n "$row" ] || continue
  name=$(sed -E 's/^\| \[`packdbc ([a-z0-9-]+)`\].*/\1/' <<<"$row")
  if ! grep -qx -- "$name" < <(printf '%s\n' "${commands[@]}"); then
    echo "FAIL: the commands table of docs/cli.md lists '$name', which 'packdbc --help' does not"
    fail=1
  fi
done <<<"$table"

for cmd in "${commands[@]}"; do
  section=$(awk -v h="## packdbc $cmd" '
    index($0, h) == 1 && (length($0) == length(h) || substr($0, length(h) + 1, 1) ~ /[^a-z0-9-]/) { on = 1; print; next }
    on && /^## / { exit }
    on { print }' "$DOC")
  if [ -z "$section" ]; then
    echo "FAIL: 'packdbc --help' lists '$cmd', but docs/cli.md has no '## packdbc $cmd' section"
    fail=1
    continue
  fi
  cmd_help=$("$PACKDBC" "$cmd" --help)
  mapfile -t options < <(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$cmd_help" | grep -vx -- '--help' | LC_ALL=C sort -u)
  for opt in "${options[@]}"; do
    if ! grep -qE -- "${opt}([^a-z0-9-]|\$)" <<<"$section"; then
      echo "FAIL: 'packdbc $cmd --help' lists $opt, but the '## packdbc $cmd' section of docs/cli.md does not mention it"
      fail=1
    fi
  done
done
[ $fail -eq 0 ] && echo "ok: ${#commands[@]} commands (${commands[*]}), each in the commands table with the CLI's description and with its options documented in docs/cli.md"
exit $fail
