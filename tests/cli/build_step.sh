#!/usr/bin/env bash
# The build-system step of `packdbc compile` (issue 8), one part per MODE:
#   mtime    an unchanged output keeps its modification time when compiled again
#   depfile  --depfile: make syntax, every file read (spec, imported files, packdbc for the
#            stdlib), always written, escaped, atomically; --depfile-target
#   check    --check: writes nothing; exit 1 and lists files that differ, are missing or are
#            stale (this pack's migrations that would no longer be generated); exit 0 when
#            everything matches
#   import   import "file.packdb": mixins from a file beside the spec; E0116; unreadable file
# usage: build_step.sh PACKDBC MODE
set -uo pipefail
PACKDBC=$(realpath "${1:?usage: $0 PACKDBC MODE}") MODE=${2:?usage: $0 PACKDBC MODE}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok   $*"; }

mkdir -p "$work/my schema"
cat >"$work/my schema/common.packdb" <<'PACKDB'
mixin soft_delete {
  deleted_at timestamptz?
}
PACKDB
cat >"$work/my schema/notes.packdb" <<'PACKDB'
pack notes version "1.0.0" { target supabase date "2025-01-01" }
import "common.packdb"
need multi_user "each user keeps private notes"
table notes owned by user uses soft_delete { body text }
query my_notes = notes where owner = me
PACKDB
SPEC="$work/my schema/notes.packdb"
OUT="$work/out"

case $MODE in
mtime)
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q || die "first compile failed"
  mapfile -t files < <(cd "$OUT" && find . -type f | LC_ALL=C sort)
  [ ${#files[@]} -gt 5 ] || die "expected the outputs, found ${#files[@]} files"
  # Age every output, so a rewrite (even within the same second) would show.
  for f in "${files[@]}"; do touch -d '2001-01-01 00:00:00' "$OUT/$f"; done
  before=$(cd "$OUT" && stat -c '%n %Y' "${files[@]}")
  got=$("$PACKDBC" compile "$SPEC" -o "$OUT") || die "second compile failed"
  after=$(cd "$OUT" && stat -c '%n %Y' "${files[@]}")
  [ "$before" = "$after" ] && ok "${#files[@]} unchanged outputs kept their mtime" || die "an unchanged output was rewritten"
  grep -q '^  wrote' <<<"$got" && die "the second compile says it wrote something: $got"
  [ "$(grep -c '^  unchanged' <<<"$got")" = "${#files[@]}" ] && ok "every file is reported unchanged" \
    || die "expected ${#files[@]} 'unchanged' lines: $got"
  # A changed spec rewrites only the files whose bytes change.
  sed -i 's/body text/body text\n  title text?/' "$SPEC"
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q || die "third compile failed"
  changed=$(cd "$OUT" && stat -c '%n %Y' "${files[@]}" | grep -vc ' 978307200$')
  kept=$(cd "$OUT" && stat -c '%n %Y' "${files[@]}" | grep -c ' 978307200$')
  [ "$changed" -gt 0 ] && [ "$kept" -gt 0 ] && ok "after an edit: $changed rewritten, $kept kept" \
    || die "after an edit: $changed rewritten, $kept kept (want some of each)"
  ;;
depfile)
  D="$work/deps/notes.d"
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q --depfile "$D" || die "compile --depfile failed"
  [ -f "$D" ] || die "no depfile written"
  cat "$D"
  first=$(head -1 "$D")
  # Targets: every file written, absolute, spaces escaped.
  n_out=$(cd "$OUT" && find . -type f | wc -l)
  n_targets=$(sed -n '1s/:.*//p' "$D" | sed 's/\\ /_/g' | wc -w)
  [ "$n_targets" = "$n_out" ] && ok "$n_targets targets, one per output" || die "$n_targets targets for $n_out outputs"
  grep -qF "${OUT}/supabase/tests/notes_rls.test.sql" <<<"$first" || die "the pgTAP file is not a target"
  esc_dir=${work//\ /\\ }
  grep -qF " ${esc_dir}/my\\ schema/notes.packdb" "$D" && ok "the spec is listed, its space escaped" || die "spec missing or unescaped"
  grep -qF " ${esc_dir}/my\\ schema/common.packdb" "$D" && ok "the imported file is listed" || die "imported file missing"
  grep -qF " $PACKDBC" "$D" && ok "packdbc (the stdlib's home) is listed" || die "the packdbc executable is missing"
  [ "$(grep -c '\.packdb' "$D")" = 2 ] || die "expected exactly two .packdb files in the depfile"
  grep -q packdbc-tmp <<<"$(ls "$work/deps")" && die "a temporary depfile was left behind"
  # Always written, also when no output changed.
  touch -d '2001-01-01 00:00:00' "$D"
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q --depfile "$D" || die "second compile failed"
  [ "$(stat -c %Y "$D")" != 978307200 ] && ok "the depfile is written again when nothing changed" || die "the depfile was not rewritten"
  # --depfile-target: one target (a stamp); relative paths stay as given (like gcc -MD), the
  # imported file relative to the spec's folder.
  (cd "$work" && "$PACKDBC" compile "my schema/notes.packdb" -o out -q --depfile deps/stamp.d --depfile-target stamp) \
    || die "compile --depfile-target failed"
  cat "$work/deps/stamp.d"
  want="stamp: \\
  my\\ schema/notes.packdb \\
  my\\ schema/common.packdb \\
  $PACKDBC"
  [ "$(cat "$work/deps/stamp.d")" = "$want" ] && ok "--depfile-target gives the one target; paths as given" \
    || die "want the depfile:
$want"
  # Make reads it: the stamp depends on the imported file.
  if command -v make >/dev/null; then
    printf 'stamp:\n\ttouch stamp\ninclude deps/stamp.d\n' >"$work/Makefile"
    (cd "$work" && make -s stamp >/dev/null) || die "make cannot read the depfile"
    (cd "$work" && make -q stamp) && ok "make: up to date" || die "make: out of date without a change"
    touch -d '+5 seconds' "$work/my schema/common.packdb"
    (cd "$work" && make -q stamp) && die "make: touching the imported file does not make the stamp stale" \
      || ok "make: touching the imported file makes the stamp stale"
  fi
  # Nothing (no depfile either) when there are errors.
  rm -f "$D"
  echo 'table broken owned by nobody { }' >>"$SPEC"
  "$PACKDBC" compile "$SPEC" -o "$work/out2" -q --depfile "$D" 2>/dev/null && die "a broken spec compiled"
  [ -e "$D" ] && die "a depfile was written for a spec with errors" || ok "no depfile when the spec has errors"
  ;;
check)
  # No output folder at all: everything is missing, nothing is created.
  got=$("$PACKDBC" compile "$SPEC" -o "$OUT" --check 2>"$work/err"); rc=$?
  [ $rc = 1 ] || die "--check on a missing folder: exit $rc, want 1"
  [ -e "$OUT" ] && die "--check created the output folder"
  grep -q "^missing  $OUT/supabase/migrations/20250101000001_notes_foundation.sql$" <<<"$got" \
    && ok "missing files are listed" || die "no 'missing' line: $got"
  grep -q 'out of date' "$work/err" || die "no summary on stderr: $(cat "$work/err")"
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q || die "compile failed"
  got=$("$PACKDBC" compile "$SPEC" -o "$OUT" --check); rc=$?
  [ $rc = 0 ] && [ -z "$got" ] && ok "up to date: exit 0, nothing listed" || die "fresh output: exit $rc, output: $got"
  # Another pack's migration in the same supabase/ folder is none of our business.
  cp "$OUT/supabase/migrations/20250101000001_notes_foundation.sql" "$OUT/supabase/migrations/20240101000001_other_foundation.sql"
  "$PACKDBC" compile "$SPEC" -o "$OUT" --check >/dev/null && ok "another pack's migration is not reported" \
    || die "another pack's migration made --check fail"
  # A changed file, a missing file, a stale migration of this pack.
  echo '-- edited' >>"$OUT/supabase/migrations/20250101000001_notes_foundation.sql"
  rm "$OUT/supabase/tests/notes_rls.test.sql"
  cp "$OUT/supabase/rollback/20250101000001_notes_foundation.down.sql" "$OUT/supabase/rollback/20240101000003_notes_functions.down.sql"
  snapshot=$(cd "$OUT" && find . -type f -printf '%p %T@ %s\n' | LC_ALL=C sort)
  got=$("$PACKDBC" compile "$SPEC" -o "$OUT" --check 2>/dev/null); rc=$?
  echo "$got"
  [ $rc = 1 ] || die "stale output: exit $rc, want 1"
  want="differs  $OUT/supabase/migrations/20250101000001_notes_foundation.sql
missing  $OUT/supabase/tests/notes_rls.test.sql
stale    $OUT/supabase/rollback/20240101000003_notes_functions.down.sql"
  [ "$got" = "$want" ] && ok "differs, missing and stale are listed" || die "want:
$want"
  [ "$snapshot" = "$(cd "$OUT" && find . -type f -printf '%p %T@ %s\n' | LC_ALL=C sort)" ] \
    && ok "--check wrote nothing" || die "--check changed the output folder"
  # JSON.
  got=$("$PACKDBC" compile "$SPEC" -o "$OUT" --check --format json); rc=$?
  [ $rc = 1 ] || die "json: exit $rc"
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); c=d["check"]; assert d["diagnostics"]==[] and c["up_to_date"] is False and c["differ"]==["supabase/migrations/20250101000001_notes_foundation.sql"] and c["missing"]==["supabase/tests/notes_rls.test.sql"] and c["stale"]==["supabase/rollback/20240101000003_notes_functions.down.sql"], d' "$got" \
    && ok "--format json: {diagnostics, check}" || die "json: $got"
  # Compile brings it back in line (the stale file stays: compile never deletes).
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q
  rm "$OUT/supabase/rollback/20240101000003_notes_functions.down.sql"
  "$PACKDBC" compile "$SPEC" -o "$OUT" --check && ok "after compile: up to date" || die "still stale after compile"
  # After a KISS STOP only the report would be written: the migrations of the earlier PROCEED
  # are stale; once they are gone, --check exits 3 like compile.
  sed -i '/^need /d' "$SPEC"
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q >/dev/null; rc=$?
  [ $rc = 3 ] || die "a spec without needs: compile exit $rc, want 3"
  got=$("$PACKDBC" compile "$SPEC" -o "$OUT" --check 2>/dev/null); rc=$?
  [ $rc = 1 ] && grep -q "^stale    $OUT/supabase/migrations/20250101000001_notes_foundation.sql$" <<<"$got" \
    && ok "after STOP, the earlier migrations are stale" || die "STOP: exit $rc: $got"
  rm -r "$OUT/supabase" "$OUT/docs"
  find "$OUT/expansion-packs/notes" -type f ! -name 'database-integration-report.yaml' -delete
  "$PACKDBC" compile "$SPEC" -o "$OUT" --check >/dev/null; rc=$?
  [ $rc = 3 ] && ok "STOP and the report matches: exit 3" || die "STOP, up to date: exit $rc, want 3"
  # --check with --depfile is a usage error.
  "$PACKDBC" compile "$SPEC" -o "$OUT" --check --depfile "$work/x.d" >/dev/null 2>&1; rc=$?
  [ $rc = 2 ] && ok "--check --depfile: exit 2" || die "--check --depfile: exit $rc, want 2"
  ;;
import)
  "$PACKDBC" compile "$SPEC" -o "$OUT" -q || die "compile with an imported file failed"
  grep -q 'deleted_at' "$OUT/supabase/migrations/20250101000001_notes_foundation.sql" \
    && ok "the imported mixin's column is in the migration" || die "the mixin from the imported file was not applied"
  # Imported files may only lend mixins.
  printf 'table extra { x text }\nmixin m2 { y text }\n' >>"$work/my schema/common.packdb"
  err=$("$PACKDBC" check "$SPEC" 2>&1); rc=$?
  [ $rc = 1 ] && grep -q 'common.packdb:4:1: error\[E0116\]' <<<"$err" && ok "E0116 points into the imported file" \
    || die "E0116: exit $rc: $err"
  # An import that cannot be read points at the import.
  sed -i 's/"common.packdb"/"nope.packdb"/' "$SPEC"
  err=$("$PACKDBC" check "$SPEC" 2>&1); rc=$?
  [ $rc = 1 ] && grep -q 'notes.packdb:2:8: error\[E0001\]: cannot read' <<<"$err" && ok "an unreadable import is E0001 at the import" \
    || die "unreadable import: exit $rc: $err"
  # fmt keeps the quoted path.
  sed -i 's/"nope.packdb"/"common.packdb", supabase/' "$SPEC"
  grep -qx 'import "common.packdb"' <<<"$("$PACKDBC" fmt "$SPEC")" && ok "fmt prints import \"common.packdb\"" || die "fmt lost the path"
  ;;
*) echo "unknown MODE $MODE"; exit 2 ;;
esac
exit $fail
