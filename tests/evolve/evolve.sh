#!/usr/bin/env bash
# Evolving a pack on a real PostgreSQL 15 with rows in its tables (issue 10): the six specs of
# tests/evolve/demo compiled one after the other into one folder, each step applied with
# `packdbc migrate`, rolled back and applied again. Asserts: an unchanged spec writes no new
# migration; every row present before a step is there after it (except what a declared
# destructive change removes); down scripts return the catalog exactly; up → down → up holds;
# squawk finds nothing in the additive step and, in the destructive one, exactly the hazards
# packdbc reports; RLS still isolates users after a table rename; a type change and an enum
# re-created under the policies (of the table and of other tables) that name the column.
# usage: evolve.sh PACKDBC ENV_FILE SQUAWK
. "$(dirname "$0")/../migrate/lib.sh"
SQUAWK=${3:?usage: $0 PACKDBC ENV_FILE SQUAWK}
[ -x "$SQUAWK" ] || fail "squawk not found at $SQUAWK (run scripts/install-deps.sh)"
SPECS="$REPO/tests/evolve/demo"
DIR="$WORK/out"
DB=$(new_db evolve); DBS+=("$DB")
URL=$(url_of "$DB")
A=00000000-0000-0000-0000-0000000000a1
B=00000000-0000-0000-0000-0000000000b2

compile() {  # compile STEP NAME: compile vSTEP into $DIR, output in $WORK/NAME.*
  run "$2" "$PACKDBC" compile "$SPECS/v$1.packdb" -o "$DIR" --quiet
  expect_rc "$2" 0
}
migrate() {
  run "$1" "$PACKDBC" migrate --db "$URL" --dir "$DIR"
  expect_rc "$1" 0
}
rollback_to() {
  run "$1" "$PACKDBC" rollback --db "$URL" --dir "$DIR" --to "$2"
  expect_rc "$1" 0
}
migrations() { (cd "$DIR/supabase/migrations" && ls); }
last_version() { migrations | tail -1 | cut -c1-14; }
. "$(dirname "$0")/squawk.sh"  # squawk_findings, squawk_findings_first
# The extraction above must see a finding where there is one (else "nothing found" proves nothing).
printf 'create index i on t (a);\n' >"$WORK/control.sql"
grep -qx require-concurrent-index-creation <<<"$(squawk_findings "$WORK/control.sql")" \
  || fail "squawk control: a plain create index was not reported (got: $(squawk_findings "$WORK/control.sql"))"
rows() {  # every row that matters, by id, in a stable text form
  q "$DB" "select 'notebook ' || id || ' ' || user_id || ' ' || $1 || ' ' || coalesce(color, '-') from public.$2 order by id" 
  q "$DB" "select 'note ' || id || ' ' || $3 || ' ' || body || ' ' || kind || ' ' || priority from public.notes order by id"
}

# ---- step 1: the first compile, applied, with rows
compile 1 c1
migrate m1
q "$DB" "insert into auth.users (id) values ('$A'), ('$B')" >/dev/null
q "$DB" "insert into public.notebooks (id, user_id, title, color) values
  ('10000000-0000-0000-0000-000000000001', '$A', 'a-one', 'red'),
  ('10000000-0000-0000-0000-000000000002', '$A', 'a-two', 'blue'),
  ('10000000-0000-0000-0000-000000000003', '$B', 'b-one', 'green');
insert into public.notes (id, notebook_id, body, priority, legacy) values
  ('20000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 'first', 1, 'old'),
  ('20000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', 'second', 2, null),
  ('20000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000003', 'b note', 0, 'x');
insert into public.scratch (user_id, payload) values ('$A', 'pad')" >/dev/null
V1=$(last_version)
found=$(squawk_findings_first "$DIR"/supabase/migrations/*.sql)
[ -z "$found" ] || fail "squawk found in the first compile's migrations: $found"
pass "squawk: nothing in the first compile's migrations (but the rules excluded there)"
ROWS1=$(rows title notebooks notebook_id)
snap "$DB" "$WORK/S1"

# ---- an unchanged spec writes no new migration
before=$(migrations)
compile 1 c1again
[ "$(migrations)" = "$before" ] || fail "recompiling the unchanged spec wrote a migration"
run c1check "$PACKDBC" compile "$SPECS/v1.packdb" -o "$DIR" --check
expect_rc c1check 0
pass "an unchanged spec: no new migration, compile --check clean"

# ---- step 2 (additive): squawk finds nothing; rows kept; exact rollback; up → down → up
compile 2 c2
NEW2=$(migrations | awk -v v="$V1" 'substr($0,1,14) > v')
[ "$(echo "$NEW2" | wc -l)" = 6 ] || fail "step 2 should write 6 migrations, got: $NEW2"
# While the pack's version stays 1.1.0 its migrations are compiled again, not added to: a
# change reverted before it shipped leaves nothing behind.
grep -v '^  index (color)$' "$SPECS/v2.packdb" >"$WORK/v2-without-index.packdb"
run c2b "$PACKDBC" compile "$WORK/v2-without-index.packdb" -o "$DIR"
expect_rc c2b 0
contains c2b "  removed   supabase/migrations/20260201000006_evolve_demo_validate.sql" out
[ "$(migrations | awk -v v="$V1" 'substr($0,1,14) > v' | wc -l)" = 5 ] || fail "recompiling version 1.1.0 did not replace its migrations: $(migrations)"
compile 2 c2again
[ "$(migrations | awk -v v="$V1" 'substr($0,1,14) > v')" = "$NEW2" ] || fail "compiling v2 again gave other migrations"
pass "the same pack version is compiled again, not added to"
found=$(squawk_findings $(for f in $NEW2; do echo "$DIR/supabase/migrations/$f"; done))
[ -z "$found" ] || fail "squawk found in the additive migrations: $found"
pass "squawk: nothing in the 6 additive migrations"
migrate m2
[ "$(rows title notebooks notebook_id)" = "$ROWS1" ] || fail "step 2 changed the rows"
[ "$(q "$DB" "select count(*) from public.notes where pinned = false")" = 3 ] || fail "pinned default"
[ "$(q "$DB" "select attnotnull from pg_attribute where attrelid = 'public.notebooks'::regclass and attname = 'color'")" = t ] \
  || fail "color is not NOT NULL"
[ "$(q "$DB" "select count(*) from pg_constraint where conrelid = 'public.notes'::regclass and not convalidated")" = 0 ] \
  || fail "a constraint is left NOT VALID"
[ "$(q "$DB" "select indisvalid from pg_index where indexrelid = 'public.notebooks_color_idx'::regclass")" = t ] \
  || fail "the concurrent index is not valid"
V2=$(last_version)
snap "$DB" "$WORK/S2"
rollback_to rb2 "$V1"
snap "$DB" "$WORK/S1back"
same_snap "$WORK/S1" "$WORK/S1back" "rolling back step 2 did not restore the catalog"
[ "$(rows title notebooks notebook_id)" = "$ROWS1" ] || fail "rolling back step 2 changed the rows"
migrate m2again
snap "$DB" "$WORK/S2again"
same_snap "$WORK/S2" "$WORK/S2again" "step 2 applied again differs"
pass "step 2: rows kept, exact rollback, up → down → up"

# ---- step 3 (destructive, allowed): squawk's findings are the hazards packdbc reports
run c3 "$PACKDBC" compile "$SPECS/v3.packdb" -o "$DIR"
expect_rc c3 0
contains c3 "DELETES_DATA" out
contains c3 "change   drop table scratch" out
contains c3 "change   drop column notes.legacy" out
NEW3=$(migrations | awk -v v="$V2" 'substr($0,1,14) > v')
found=$(squawk_findings $(for f in $NEW3; do echo "$DIR/supabase/migrations/$f"; done) | tr '\n' ' ')
[ "$found" = "ban-drop-column ban-drop-table changing-column-type renaming-column " ] \
  || fail "squawk on the destructive step found: $found"
grep -q "^-- Hazards: .*DELETES_DATA" "$DIR/supabase/migrations/$NEW3" || fail "the migration does not list DELETES_DATA"
pass "squawk on the destructive step: exactly the four allowed changes"
migrate m3
[ "$(rows name notebooks notebook_id)" = "$ROWS1" ] || fail "step 3 lost rows (the rename kept the titles?)"
[ "$(q "$DB" "select to_regclass('public.scratch') is null")" = t ] || fail "scratch was not dropped"
[ "$(q "$DB" "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'public.notes'::regclass and attname = 'priority'")" = bigint ] \
  || fail "priority is not bigint"
V3=$(last_version)
snap "$DB" "$WORK/S3"
rollback_to rb3 "$V2"
snap "$DB" "$WORK/S2back"
# A dropped column comes back empty and last (PostgreSQL adds columns at the end), the dropped
# table comes back empty: the declared data loss. Everything else is exactly as before.
declared_loss() { sed -e 's/^\(column [^ ]*\) #[0-9]* /\1 /' -e '/^rows public.scratch /d' "$1" | sort; }
declared_loss "$WORK/S2" >"$WORK/S2.cmp"
declared_loss "$WORK/S2back" >"$WORK/S2back.cmp"
same_snap "$WORK/S2.cmp" "$WORK/S2back.cmp" "rolling back step 3 did not restore the catalog"
[ "$(q "$DB" "select count(*) from public.notes where legacy is not null")" = 0 ] || fail "legacy values came back?"
[ "$(rows title notebooks notebook_id)" = "$ROWS1" ] || fail "rolling back step 3 changed the kept rows"
migrate m3again
snap "$DB" "$WORK/S3again"
same_snap "$WORK/S3" "$WORK/S3again" "step 3 applied again differs"
pass "step 3: rows kept except the declared drops, exact rollback, up → down → up"

# ---- step 4: a parent renamed; its children's key columns follow; RLS still isolates
compile 4 c4
NEW4=$(migrations | awk -v v="$V3" 'substr($0,1,14) > v')
found=$(squawk_findings $(for f in $NEW4; do echo "$DIR/supabase/migrations/$f"; done) | tr '\n' ' ')
[ "$found" = "renaming-column renaming-table " ] || fail "squawk on step 4 found: $found"
pass "squawk on step 4: exactly the declared renames"
migrate m4
V4=$(last_version)
[ "$(rows name journals journal_id)" = "$ROWS1" ] || fail "step 4 lost rows"
as_a() {  # as_a USER SQL: the value SQL returns for the signed-in USER (role authenticated)
  PGOPTIONS="-c client_min_messages=warning" psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
begin;
set local role authenticated;
select set_config('request.jwt.claim.sub', '$1', true) \\g /dev/null
$2;
commit;
SQL
}
[ "$(as_a "$A" "select count(*) from public.notes")" = 2 ] || fail "after the rename, user A does not see exactly A's notes: $(as_a "$A" "select count(*) from public.notes")"
[ "$(as_a "$B" "select count(*) from public.journals")" = 1 ] || fail "after the rename, user B does not see exactly B's journal"
snap "$DB" "$WORK/S4"
# Drift: none after migrating; then changes made behind the migrations' back, each reported.
run d0 "$PACKDBC" check "$SPECS/v4.packdb" --db "$URL" --dir "$DIR"
expect_rc d0 0
contains d0 "result: no drift: the database is what its migrations produce" out
q "$DB" "alter table public.notes add column sneaky text;
  drop index public.journals_color_idx;
  alter table public.tags disable row level security;
  alter table public.journals alter column color set default 'blue';
  alter table public.notes alter column body drop not null" >/dev/null
run d1 "$PACKDBC" check "$SPECS/v4.packdb" --db "$URL" --dir "$DIR"
expect_rc d1 1
expect_text d1 "packdbc check: $URL against $DIR/supabase/state/evolve_demo.state.yaml
  migrations: 10 of 10 applied
  drift    public.journals.color: default 'blue'::text, the migrations say 'grey'
  drift    public.journals: index journals_color_idx is missing
  drift    public.notes.body: nullable, the migrations say not null
  drift    public.notes: column sneaky is not in the migrations
  drift    public.tags: row level security is off, the migrations turn it on
result: 5 differences between the database and what its migrations produce" out
q "$DB" "alter table public.notes drop column sneaky;
  create index journals_color_idx on public.journals using btree (color);
  alter table public.tags enable row level security;
  alter table public.journals alter column color set default 'grey';
  alter table public.notes alter column body set not null" >/dev/null
run d2 "$PACKDBC" check "$SPECS/v4.packdb" --db "$URL" --dir "$DIR"
expect_rc d2 0
pass "drift: none after migrate; five changes behind its back reported, each once"
rollback_to rb4 "$V3"
run d3 "$PACKDBC" check "$SPECS/v4.packdb" --db "$URL" --dir "$DIR"
expect_rc d3 1
contains d3 "  pending  ${V4}_evolve_demo_evolve.sql" out
contains d3 "result: not compared: the database is behind the folder" out
snap "$DB" "$WORK/S3back"
same_snap "$WORK/S3" "$WORK/S3back" "rolling back step 4 did not restore the catalog"
migrate m4again
snap "$DB" "$WORK/S4again"
same_snap "$WORK/S4" "$WORK/S4again" "step 4 applied again differs"
before=$(migrations)
compile 4 c4again
[ "$(migrations)" = "$before" ] || fail "recompiling step 4 wrote a migration"
pass "step 4: rename kept rows and RLS, exact rollback, up → down → up, recompile writes nothing"

# ---- step 5: an enum value removed (allowed), a policy changed, a view over the enum column
compile 5 c5
NEW5=$(migrations | awk -v v="$V4" 'substr($0,1,14) > v')
found=$(squawk_findings $(for f in $NEW5; do echo "$DIR/supabase/migrations/$f"; done) | tr '\n' ' ')
[ "$found" = "changing-column-type " ] || fail "squawk on step 5 found: $found"
pass "squawk on step 5: exactly the enum re-created for the removed value"
q "$DB" "insert into public.tags (journal_id, label) values ('10000000-0000-0000-0000-000000000001', 'a-tag')" >/dev/null
snap "$DB" "$WORK/S4t"
migrate m5
[ "$(rows name journals journal_id)" = "$ROWS1" ] || fail "step 5 lost rows"
[ "$(q "$DB" "select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = 'public.note_kind'::regtype")" = plain,checklist ] \
  || fail "note_kind still has its removed value"
[ "$(as_a "$B" "select count(*) from public.tags")" = 1 ] || fail "authenticated read: B does not see A's tag"
[ "$(as_a "$B" "select count(*) from public.pinned_notes")" = 0 ] || fail "the view is not security invoker"
snap "$DB" "$WORK/S5"
rollback_to rb5 "$V4"
snap "$DB" "$WORK/S4back5"
same_snap "$WORK/S4t" "$WORK/S4back5" "rolling back step 5 did not restore the catalog"
migrate m5again
snap "$DB" "$WORK/S5again"
same_snap "$WORK/S5" "$WORK/S5again" "step 5 applied again differs"
pass "step 5: enum value removed, policy and view, exact rollback, up → down → up"

# ---- step 6: journals.rank int → bigint under the policies naming it (journals' own, notes' and
# the new table badges'; tags_ranked changes at the same time), and a new enum value whose down
# script re-creates the type under tags_not_checklist (a policy of tags naming notes.kind)
q "$DB" "update public.journals set rank = 3 where user_id = '$A'; update public.journals set rank = 1 where user_id = '$B'" >/dev/null
RANKS=$(q "$DB" "select id || ' ' || rank from public.journals order by id")
V5=$(last_version)
snap "$DB" "$WORK/S5r"
compile 6 c6
NEW6=$(migrations | awk -v v="$V5" 'substr($0,1,14) > v')
[ "$(echo "$NEW6" | sed 's/^[0-9]*_evolve_demo_//' | tr '\n' ' ')" = "types.sql evolve.sql " ] \
  || fail "step 6 should write types and evolve: $NEW6"
found=$(squawk_findings $(for f in $NEW6; do echo "$DIR/supabase/migrations/$f"; done) | tr '\n' ' ')
[ "$found" = "changing-column-type " ] || fail "squawk on step 6 found: $found"
pass "squawk on step 6: exactly the declared type change"
EV6="$DIR/supabase/migrations/$(echo "$NEW6" | grep '_evolve\.sql$')"
line_of() { grep -nF -- "$2" "$1" | head -1 | cut -d: -f1; }
count_of() { grep -cF -- "$2" "$1" || true; }
alter=$(line_of "$EV6" "alter table public.journals alter column rank type bigint")
[ -n "$alter" ] || fail "step 6 does not change the type of journals.rank"
for p in journals_ranked:journals notes_ranked:notes badges_ranked:badges; do
  pol=${p%%:*} tab=${p#*:}
  d=$(line_of "$EV6" "drop policy $pol on public.$tab;") c=$(grep -nF -- "create policy $pol on public.$tab" "$EV6" | tail -1 | cut -d: -f1)
  { [ -n "$d" ] && [ "$d" -lt "$alter" ] && [ -n "$c" ] && [ "$c" -gt "$alter" ]; } \
    || fail "step 6: $pol is not dropped before the type change and created again after it"
done
# tags_ranked changes in this evolution: dropped once (old text) and created once (new text).
[ "$(count_of "$EV6" "drop policy tags_ranked on public.tags;")" = 1 ] && [ "$(count_of "$EV6" "create policy tags_ranked on public.tags")" = 1 ] \
  || fail "step 6: the changed policy tags_ranked is dropped or created more than once"
[ "$(count_of "$EV6" "drop policy journals_select on public.journals;")" = 0 ] || fail "step 6 re-creates a policy that does not name rank"
grep -q "^-- Hazards: .*AUTHZ_UPDATE" "$EV6" || fail "the evolve migration of step 6 does not list AUTHZ_UPDATE"
DOWN6="$DIR/supabase/rollback/$(basename "$(echo "$NEW6" | grep '_types\.sql$')" .sql).down.sql"
grep -qF "drop policy tags_not_checklist on public.tags;" "$DOWN6" \
  || fail "the down script of the new enum value does not drop tags_not_checklist around re-creating note_kind"
pass "step 6: the policies naming journals.rank (its own and other tables') dropped and created around the change"
migrate m6
[ "$(rows name journals journal_id)" = "$ROWS1" ] || fail "step 6 lost rows"
[ "$(q "$DB" "select id || ' ' || rank from public.journals order by id")" = "$RANKS" ] || fail "step 6 changed the ranks"
[ "$(q "$DB" "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'public.journals'::regclass and attname = 'rank'")" = bigint ] \
  || fail "journals.rank is not bigint"
[ "$(q "$DB" "select count(*) from pg_policies where policyname in ('journals_ranked', 'notes_ranked', 'tags_ranked', 'tags_not_checklist', 'badges_ranked')")" = 5 ] \
  || fail "a policy is missing after step 6"
[ "$(q "$DB" "select qual from pg_policies where policyname = 'tags_ranked'")" = "(NOT (EXISTS ( SELECT 1
   FROM journals j
  WHERE ((j.id = tags.journal_id) AND (j.rank < '-1'::integer)))))" ] || fail "tags_ranked is not the new one: $(q "$DB" "select qual from pg_policies where policyname = 'tags_ranked'")"
q "$DB" "insert into public.badges (journal_id, label) values ('10000000-0000-0000-0000-000000000001', 'gold')" >/dev/null
[ "$(as_a "$A" "select count(*) from public.notes")" = 2 ] || fail "after step 6, user A does not see exactly A's notes"
[ "$(as_a "$A" "select count(*) from public.badges")" = 1 ] || fail "after step 6, user A does not see A's badge"
[ "$(as_a "$B" "select count(*) from public.badges")" = 0 ] || fail "after step 6, user B sees A's badge"
[ "$(as_a "$B" "select count(*) from public.tags")" = 1 ] || fail "after step 6, B does not see A's tag (authenticated read)"
q "$DB" "delete from public.badges" >/dev/null
snap "$DB" "$WORK/S6"
rollback_to rb6 "$V5"
snap "$DB" "$WORK/S5back"
same_snap "$WORK/S5r" "$WORK/S5back" "rolling back step 6 did not restore the catalog"
[ "$(rows name journals journal_id)" = "$ROWS1" ] || fail "rolling back step 6 lost rows"
[ "$(q "$DB" "select id || ' ' || rank from public.journals order by id")" = "$RANKS" ] || fail "rolling back step 6 changed the ranks"
migrate m6again
snap "$DB" "$WORK/S6again"
same_snap "$WORK/S6" "$WORK/S6again" "step 6 applied again differs"
pass "step 6: rank widened under its policies, rows kept, exact rollback, up → down → up"

# ---- everything back to nothing
# The first migration's down script drops `notebooks`, the table now called `journals`: the
# rows it holds are still counted (the renames in the later down scripts are followed).
run rb0refused "$PACKDBC" rollback --db "$URL" --dir "$DIR" --to 0
expect_rc rb0refused 1
contains rb0refused "public.journals (3 rows, 20260105000001_evolve_demo_foundation.down.sql)" err
run rb0 "$PACKDBC" rollback --db "$URL" --dir "$DIR" --to 0 --force
expect_rc rb0 0
[ "$(q "$DB" "select count(*) from pg_tables where schemaname = 'public'")" = 0 ] || fail "tables left after rolling back everything"
pass "rolled back to an empty schema"
