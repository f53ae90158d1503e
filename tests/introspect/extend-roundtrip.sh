#!/usr/bin/env bash
# extend-roundtrip.sh PACKDBC ENV_FILE — compile follow.packdb against the live existing schema
# (existing.sql, with rows in it) and prove on PostgreSQL 15 that:
#   * generated tables follow the database: bigint identity keys (generated always), owner_id,
#     inserted_at — and no uuid key, user_id or created_at;
#   * `--db URL` and `--schema FILE` (its inspect YAML) give byte-identical migrations;
#   * every migration applies; pgTAP passes; each down script restores the catalog exactly
#     (tests/db/catalog.sql + row counts, compared before and after), including the ALTERs of
#     `extend table project` on the real, populated table; up → down → up gives the same catalog;
#   * the existing rows are untouched, and the new keys really are identity columns.
set -uo pipefail
LOG_TAG=extend-roundtrip
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 PACKDBC ENV_FILE" >&2; exit 2; }
PACKDBC=$1
setup_existing_db "$2"
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

# Rows that the migrations must leave alone.
"${PSQL[@]}" >/dev/null <<'EOF' || die "loading sample rows failed"
insert into auth.users (id) values ('00000000-0000-0000-0000-00000000000a'), ('00000000-0000-0000-0000-00000000000b');
insert into public.project (owner_id, name) values ('00000000-0000-0000-0000-00000000000a', 'alpha'),
                                                  ('00000000-0000-0000-0000-00000000000b', 'beta');
insert into public.task (owner_id, project_id, title) select owner_id, id, 'first task' from public.project;
insert into public.audit_log (action) values ('seeded');
EOF

# ---- compile, two ways ------------------------------------------------------------------------
OUT=$WORK/out
expect_run compile-db 0 'packdbc: taskboard_notes' "$PACKDBC" compile "$IX_DIR/follow.packdb" --db "$DB_URL" -o "$OUT"
"$PACKDBC" inspect --db "$DB_URL" -q -o "$WORK/inspect.yaml" || bad "inspect failed"
expect_run compile-schema 0 'packdbc: taskboard_notes' \
  "$PACKDBC" compile "$IX_DIR/follow.packdb" --schema "$WORK/inspect.yaml" -o "$WORK/out-schema"
diff -r "$OUT" "$WORK/out-schema" >"$WORK/two-ways.diff" && ok "--db and --schema give identical output" \
  || { bad "--db and --schema outputs differ"; head -40 "$WORK/two-ways.diff" >&2; }

# ---- the generated SQL follows the database's conventions --------------------------------------
UPS=("$OUT"/supabase/migrations/*.sql)
ALL_UP=$(cat "${UPS[@]}")
has() { if grep -qF -- "$2" <<<"$ALL_UP"; then ok "$1"; else bad "$1: no \`$2\` in the migrations"; fi; }
hasnt() { if grep -qE -- "$2" <<<"$ALL_UP"; then bad "$1: \`$2\` found:"; grep -nE -- "$2" <<<"$ALL_UP" | head -5 >&2; else ok "$1"; fi; }
has "bigint identity key, generated always" "id bigint not null generated always as identity"
has "tenancy column owner_id with auth.uid()" "owner_id uuid not null default auth.uid()"
has "inserted_at timestamp" "inserted_at timestamptz not null default now()"
has "the child's key column is bigint" "note_id bigint not null"
has "the child references its parent" "references public.note (id) on delete cascade"
has "a new table references the existing project" "references public.project (id) on delete cascade"
has "only to a project the writer can see" "(project_id is null or project_id in (select id from public.project))"
has "extend table: add column" "alter table public.project add column pack_kind text;"
has "extend table: add policy" "create policy project_pack_read on public.project"
has "extend table: enable RLS where it is off" "alter table public.audit_log enable row level security;"
hasnt "no uuid keys" "(^|[^_a-z])id uuid"
hasnt "no user_id column" "user_id"
hasnt "no created_at column" "created_at"
hasnt "the existing table is not re-created" "create table public\.project"

# ---- apply, test, roll back exactly --------------------------------------------------------------
snap() { snapshot_db "$WORK/$1.catalog" 2>"$WORK/$1.err" || { cat "$WORK/$1.err" >&2; die "catalog snapshot $1 failed"; }; }
same() {
  if diff -u "$WORK/$1.catalog" "$WORK/$2.catalog" >"$WORK/$2.diff"; then ok "$3"
  else bad "$3"; head -60 "$WORK/$2.diff" >&2; fi
}
apply() { "${PSQL[@]}" --single-transaction -f "$1" >"$WORK/apply.log" 2>&1 || { cat "$WORK/apply.log" >&2; bad "applying $(basename "$1") failed"; return 1; }; }

n=${#UPS[@]}
DOWNS=()
for up in "${UPS[@]}"; do DOWNS+=("$OUT/supabase/rollback/$(basename "$up" .sql).down.sql"); done
[ "$n" -ge 1 ] && ok "$n migrations" || die "no migrations"

snap S0
for (( i = 0; i < n; i++ )); do
  apply "${UPS[$i]}" && ok "up   $(basename "${UPS[$i]}")"
  snap "S$((i + 1))"
done
"${PSQL[@]}" -c "select 1 from public.project where pack_kind is null" >/dev/null && ok "project.pack_kind exists" \
  || bad "project.pack_kind missing after the up scripts"
[ "$("${PSQL[@]}" -At -c "select relrowsecurity from pg_class where oid = 'public.audit_log'::regclass")" = t ] \
  && ok "audit_log has RLS after the up scripts" || bad "audit_log has no RLS after the up scripts"

# pgTAP, installed around the tests only
"${PSQL[@]}" -c 'create extension pgtap' >/dev/null || die "create extension pgtap failed"
if pg_prove --failures -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" "$OUT"/supabase/tests/*.test.sql >"$WORK/pg_prove.log" 2>&1; then
  ok "pgTAP passed: $(grep -o 'Files=[0-9]*, Tests=[0-9]*' "$WORK/pg_prove.log")"
else
  bad "pgTAP failed"; tail -30 "$WORK/pg_prove.log" >&2
fi
"${PSQL[@]}" -c 'drop extension pgtap' >/dev/null || die "drop extension pgtap failed"
snap T
same "S$n" T "the pgTAP tests left the catalog as they found it"

rollback_all() {
  local i
  for (( i = n - 1; i >= 0; i-- )); do
    apply "${DOWNS[$i]}"
    snap "D$i"
    same "S$i" "D$i" "$(basename "${DOWNS[$i]}") restores the catalog (and row counts) exactly"
  done
}
rollback_all
for (( i = 0; i < n; i++ )); do
  apply "${UPS[$i]}"
  snap "R$((i + 1))"
  same "S$((i + 1))" "R$((i + 1))" "re-applying $(basename "${UPS[$i]}") gives the same catalog"
done

# The keys are identity columns, generated always (as the database's own are).
got=$("${PSQL[@]}" -At -c "select string_agg(c.relname || '.' || a.attname || '=' || a.attidentity::text, ',' order by c.relname)
  from pg_attribute a join pg_class c on c.oid = a.attrelid
  where c.relnamespace = 'public'::regnamespace and c.relname in ('note', 'note_item') and a.attname = 'id'")
[ "$got" = "note.id=a,note_item.id=a" ] && ok "new keys are identity always ($got)" || bad "new keys: $got"
if "${PSQL[@]}" -c "insert into public.note (id, owner_id, heading)
    select 99, owner_id, 'x' from public.project limit 1" >"$WORK/always.log" 2>&1; then
  bad "an explicit id was accepted: the key is not generated always"
else
  grep -q 'cannot insert a non-DEFAULT value into column "id"' "$WORK/always.log" && ok "an explicit id is refused (generated always)" \
    || { bad "unexpected error"; cat "$WORK/always.log" >&2; }
fi
# RLS on the reference to the existing table: as user a, a note on a's project is accepted,
# one on b's project (which a cannot see) is refused.
as_user_a() {
  "${PSQL[@]}" -c "begin; set local role authenticated;
    select set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-00000000000a', true);
    insert into public.note (heading, project_id) values ('x', $1);
    commit;" >"$WORK/as-a.log" 2>&1
}
# (the ids are looked up as the superuser: user a cannot see b's project, so a subquery would
# find nothing and insert nothing)
ALPHA=$("${PSQL[@]}" -At -c "select id from public.project where name = 'alpha'")
BETA=$("${PSQL[@]}" -At -c "select id from public.project where name = 'beta'")
as_user_a "$ALPHA" && ok "user a may attach a note to a's own project" || { bad "user a's note on alpha refused"; cat "$WORK/as-a.log" >&2; }
if as_user_a "$BETA"; then
  bad "user a attached a note to b's project"
else
  grep -q 'new row violates row-level security policy for table "note"' "$WORK/as-a.log" \
    && ok "user a may not attach a note to b's project (row-level security)" || { bad "unexpected error"; cat "$WORK/as-a.log" >&2; }
fi
"${PSQL[@]}" -c "delete from public.note" >/dev/null || bad "cleaning up the notes failed"
rollback_all >/dev/null
snap END
same S0 END "rolled back again: the existing database is exactly as it was"
[ "$("${PSQL[@]}" -At -c "select count(*) || '/' || (select count(*) from public.task) from public.project")" = "2/2" ] \
  && ok "existing rows untouched" || bad "existing rows changed"
