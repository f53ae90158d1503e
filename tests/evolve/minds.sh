#!/usr/bin/env bash
# Evolving an mmos-like pack on a real PostgreSQL 15 (tests/evolve/minds: the mmos design without
# vectors): an enum value added under a view and a partial index whose predicate uses the enum,
# a widened column under that view, a unique key and a check on a table with rows. Asserts: each
# migration goes up and its down script undoes exactly it (rolled back one at a time, the catalog
# is what it was before that migration, and applying it again works); each migration's header
# lists its own changes only; squawk finds only the declared type change; the documentation
# describes the evolution (its migrations, transactions, risk and hazards), not a first compile.
# usage: minds.sh PACKDBC ENV_FILE SQUAWK
. "$(dirname "$0")/../migrate/lib.sh"
SQUAWK=${3:?usage: $0 PACKDBC ENV_FILE SQUAWK}
[ -x "$SQUAWK" ] || fail "squawk not found at $SQUAWK (run scripts/install-deps.sh)"
. "$(dirname "$0")/squawk.sh"
SPECS="$REPO/tests/evolve/minds"
DIR="$WORK/out"
DB=$(new_db minds); DBS+=("$DB")
URL=$(url_of "$DB")
A=00000000-0000-0000-0000-0000000000a1
B=00000000-0000-0000-0000-0000000000b2
migrations() { (cd "$DIR/supabase/migrations" && ls); }
migrate() { run "$1" "$PACKDBC" migrate --db "$URL" --dir "${2:-$DIR}"; expect_rc "$1" 0; }
rollback_last() { run "$1" "$PACKDBC" rollback --db "$URL" --dir "$DIR" --last 1; expect_rc "$1" 0; }
rows() {
  q "$DB" "select 'mind ' || id || ' ' || user_id || ' ' || slug || ' ' || name || ' ' || status || ' ' || version from public.minds order by id"
  q "$DB" "select 'prompt ' || id || ' ' || mind_id || ' ' || version || ' ' || content from public.mind_system_prompts order by id"
}

# ---- step 1: the first compile, applied, with rows
run c1 "$PACKDBC" compile "$SPECS/v1.packdb" -o "$DIR" --quiet
expect_rc c1 0
OLD=$(migrations)
migrate m1
q "$DB" "insert into auth.users (id) values ('$A'), ('$B');
insert into public.minds (id, user_id, slug, name, status, version) values
  ('10000000-0000-0000-0000-000000000001', '$A', 'ada', 'Ada', 'completed', 2),
  ('10000000-0000-0000-0000-000000000002', '$A', 'bob', 'Bob', 'pending', 1),
  ('10000000-0000-0000-0000-000000000003', '$B', 'ada', 'Ada', 'completed', 1);
insert into public.mind_system_prompts (id, mind_id, version, prompt_type, content) values
  ('20000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 1, 'system', 'be Ada')" >/dev/null
ROWS=$(rows)
snap "$DB" "$WORK/S0"

# ---- step 2: compiled; the headers list each migration's own changes
run c2 "$PACKDBC" compile "$SPECS/v2.packdb" -o "$DIR"
expect_rc c2 0
NEW=$(migrations | grep -vxF "$OLD")
[ "$(echo "$NEW" | sed 's/^[0-9]*_minds_demo_//' | tr '\n' ' ')" = "types.sql evolve.sql index_1.sql validate.sql " ] \
  || fail "step 2 should write types, evolve, index_1, validate: $NEW"
M="$DIR/supabase/migrations"
changes_of() { sed -n 's/^--   - //p' "$M/"*"_minds_demo_$1.sql" | tr '\n' '|'; }
[ "$(changes_of types)" = "add value paused to enum mind_status before 'completed'|" ] || fail "types lists: $(changes_of types)"
[ "$(changes_of evolve)" = "replace view public.active_minds|change type of minds.version from integer to bigint|add check minds_check on minds|" ] \
  || fail "evolve lists: $(changes_of evolve)"
[ "$(changes_of index_1)" = "add unique minds_user_id_name_key on minds|" ] || fail "index_1 lists: $(changes_of index_1)"
[ "$(changes_of validate)" = "add unique minds_user_id_name_key on minds|add check minds_check on minds|" ] \
  || fail "validate lists: $(changes_of validate)"
pass "each migration's header lists its own changes"
# The documentation describes the evolution: each migration with its transaction, changes,
# tables, hazards (pg-schema-diff's names) and risk; the report counts the tables it changes.
PLAN="$DIR/docs/minds_demo/migration-plan.yaml"
REPORT="$DIR/expansion-packs/minds_demo/database-integration-report.yaml"
GUIDE="$DIR/docs/minds_demo/database-integration.md"
section() { sed -n "/^  $2:\$/,/^  [a-z]/p" "$1"; }
grep -q '^  evolution_evolve:$' "$PLAN" || fail "the migration plan does not name the evolve migration: $(cat "$PLAN")"
! grep -q 'creates: \[\]\|phase_0_' "$PLAN" || fail "the migration plan describes a first compile: $(cat "$PLAN")"
grep -qx '    hazards: \[ACQUIRES_ACCESS_EXCLUSIVE_LOCK, HAS_UNTRACKABLE_DEPENDENCIES, IMPACTS_DATABASE_PERFORMANCE\]' <<<"$(section "$PLAN" evolution_evolve)" \
  || fail "the plan lacks the evolve migration's hazards"
grep -qx '    risk: medium' <<<"$(section "$PLAN" evolution_evolve)" || fail "altering minds is not medium risk"
grep -qx '    transaction: no (packdbc migrate runs it statement by statement)' <<<"$(section "$PLAN" evolution_index_1)" \
  || fail "the plan does not say index_1 runs outside a transaction"
grep -qx '    hazards: \[INDEX_BUILD\]' <<<"$(section "$PLAN" evolution_index_1)" || fail "the plan lacks INDEX_BUILD"
grep -qx '  migration_risk: medium' "$PLAN" || fail "the plan's overall risk is not medium"
grep -qx '  tables_modified: 1' "$REPORT" || fail "the report does not count minds as modified"
grep -qx '  tables_added: 0' "$REPORT" || fail "the report counts the spec's tables as added"
grep -qx '  migration_risk: medium' "$REPORT" || fail "the report's risk is not medium"
grep -qxF '    20260201000003_minds_demo_index_1: [INDEX_BUILD]' "$REPORT" || fail "the report lacks the hazards per migration"
grep -qF 'except those marked *no transaction*' "$GUIDE" || fail "the guide claims every migration runs in one transaction"
grep -qF '_minds_demo_index_1.sql` — index_1, *no transaction*; hazards: INDEX_BUILD:' "$GUIDE" || fail "the guide does not mark index_1"
pass "the migration plan, report and guide describe the evolution, its transactions, risk and hazards"
found=$(squawk_findings_first $(for f in $OLD; do echo "$M/$f"; done))
[ -z "$found" ] || fail "squawk on the first compile found: $found"
found=$(squawk_findings $(for f in $NEW; do echo "$M/$f"; done) | tr '\n' ' ')
[ "$found" = "changing-column-type " ] || fail "squawk on the mmos-like step 2 found: $found"
pass "squawk on every migration of both steps: only the declared type change (and the first compile's exclusions)"

# ---- each migration up, then its own down: the catalog exactly as before it, and up again
i=0
for f in $NEW; do
  i=$((i + 1))
  mkdir -p "$WORK/part$i/supabase/migrations" "$WORK/part$i/supabase/rollback"
  for g in $OLD $(echo "$NEW" | head -$i); do
    cp "$M/$g" "$WORK/part$i/supabase/migrations/"
    cp "$DIR/supabase/rollback/${g%.sql}.down.sql" "$WORK/part$i/supabase/rollback/"
  done
done
i=0
for f in $NEW; do
  i=$((i + 1))
  migrate "up$i" "$WORK/part$i"
  [ "$(rows)" = "$ROWS" ] || fail "$f changed the rows"
  snap "$DB" "$WORK/S$i"
done
[ "$(q "$DB" "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'public.active_minds'::regclass and attname = 'version'")" = bigint ] \
  || fail "the view does not show the widened column"
for ((k = i; k >= 1; k--)); do
  f=$(echo "$NEW" | sed -n "${k}p")
  run "down$k" "$PACKDBC" rollback --db "$URL" --dir "$WORK/part$k" --last 1
  expect_rc "down$k" 0
  snap "$DB" "$WORK/B$k"
  same_snap "$WORK/S$((k - 1))" "$WORK/B$k" "rolling back $f alone did not restore the catalog before it"
  [ "$(rows)" = "$ROWS" ] || fail "rolling back $f changed the rows"
  migrate "again$k" "$WORK/part$k"
  snap "$DB" "$WORK/A$k"
  same_snap "$WORK/S$k" "$WORK/A$k" "$f applied again differs"
  run "redown$k" "$PACKDBC" rollback --db "$URL" --dir "$WORK/part$k" --last 1
  expect_rc "redown$k" 0
done
same_snap "$WORK/S0" "$WORK/B1" "not back at step 1"
pass "every migration of step 2: up, its own down restores the catalog before it, up again"
migrate m2
snap "$DB" "$WORK/S2"
same_snap "$WORK/S$i" "$WORK/S2" "migrating the whole folder differs"
