#!/usr/bin/env bash
# bench/dbml-equiv.sh [N] — checks that bench.packdb and bench.dbml describe the same tables.
#
# Generates a spec of N tables (default 300), compiles it with packdbc and converts the DBML
# with `dbml2sql --postgres`, applies each to its own database on a throwaway PostgreSQL 15
# (tests/db/pg-up.sh), and compares what the catalog holds for schema public: columns (type,
# nullability, default), constraints (primary, foreign keys with their delete action), indexes,
# enums and table comments. Row-level security, policies and the updated_at trigger are
# packdbc's alone (DBML cannot say them) and are left out of the comparison.
#
# Needs: build/ (ninja -C build packdbc packdb_bench_gen), PostgreSQL 15 (scripts/install-deps.sh),
# and dbml2sql on PATH or in $DBML2SQL (npm @dbml/cli, e.g. `npm install --prefix /tmp/dbml @dbml/cli`
# then DBML2SQL=/tmp/dbml/node_modules/.bin/dbml2sql).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-300}
if ! [[ "$N" =~ ^[1-9][0-9]{0,6}$ ]]; then
  echo "usage: bench/dbml-equiv.sh [N]   (N tables, default 300)" >&2
  exit 2
fi
DBML2SQL=${DBML2SQL:-$(command -v dbml2sql || true)}
if [ -z "$DBML2SQL" ] || [ ! -x "$DBML2SQL" ]; then
  echo "dbml-equiv: dbml2sql not found; set DBML2SQL (npm @dbml/cli)" >&2
  exit 2
fi
DBML2SQL=$(readlink -f "$DBML2SQL")  # it runs from the temp folder below
for b in build/packdbc build/bench/gen; do
  [ -x "$b" ] || { echo "dbml-equiv: $b missing; build first: ninja -C build packdbc packdb_bench_gen" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/packdb-bench-equiv.XXXXXX)
STATE="$WORK/pg"
mkdir -p "$STATE"
cleanup() { bash tests/db/pg-down.sh "$STATE" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

./build/bench/gen "$N" "$WORK/spec" >/dev/null
./build/packdbc compile "$WORK/spec/bench.packdb" -o "$WORK/packdbc" --quiet
# dbml2sql writes dbml-error.log into the current folder: run it in the temp folder.
(cd "$WORK" && "$DBML2SQL" --postgres spec/bench.dbml -o dbml.sql >/dev/null 2>&1) || {
  cat "$WORK/dbml-error.log" >&2 2>/dev/null || true
  echo "dbml-equiv: dbml2sql failed" >&2
  exit 1
}

bash tests/db/pg-up.sh "$STATE" >/dev/null
# shellcheck disable=SC1091
. "$STATE/pg.env"
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

# Statement by statement, not --single-transaction: one transaction creating more than a few
# hundred tables runs out of lock slots (max_locks_per_transaction; docs/performance.md).
"$PGBIN/createdb" -T supabase_template from_packdbc
for f in "$WORK"/packdbc/supabase/migrations/*.sql; do
  "${PSQL[@]}" -d from_packdbc -f "$f" >/dev/null
done
# The DBML declares auth.users as a stub so its references resolve; Supabase (and the
# template) has it already, so dbml2sql's `create schema auth` and that table are dropped.
awk '/^CREATE SCHEMA "auth";/ { next }
     /^CREATE TABLE "auth"."users"/ { skip = 1 }
     skip { if ($0 ~ /^\);/) skip = 0; next }
     { print }' "$WORK/dbml.sql" >"$WORK/dbml-supabase.sql"
"$PGBIN/createdb" -T supabase_template from_dbml
"${PSQL[@]}" -d from_dbml -f "$WORK/dbml-supabase.sql" >/dev/null

catalog() {
  "${PSQL[@]}" -At -d "$1" <<'SQL'
select 'column', table_name, column_name, data_type, udt_name, coalesce(numeric_precision::text, ''),
       coalesce(numeric_scale::text, ''), is_nullable,
       coalesce(regexp_replace(column_default, '^\((.*)\)$', '\1'), '')
  from information_schema.columns where table_schema = 'public'
union all
select 'constraint', c.conrelid::regclass::text, c.conname,
       -- dbml2sql (6.x) makes every foreign key DEFERRABLE INITIALLY IMMEDIATE, which DBML
       -- cannot switch off; it checks at the same moment as a plain key, so it is not compared.
       regexp_replace(pg_get_constraintdef(c.oid), ' DEFERRABLE$', ''), '', '', '', '', ''
  from pg_constraint c join pg_namespace n on n.oid = c.connamespace
 where n.nspname = 'public' and c.contype in ('p', 'f', 'u', 'c')
union all
select 'index', tablename, indexname, indexdef, '', '', '', '', ''
  from pg_indexes where schemaname = 'public'
union all
select 'enum', t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder), '', '', '', '', '', ''
  from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
 where n.nspname = 'public' group by t.typname
union all
select 'comment', c.relname, obj_description(c.oid, 'pg_class'), '', '', '', '', '', ''
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = 'public' and c.relkind = 'r'
order by 1, 2, 3, 4;
SQL
}
catalog from_packdbc >"$WORK/packdbc.cat"
catalog from_dbml >"$WORK/dbml.cat"
if diff -u "$WORK/packdbc.cat" "$WORK/dbml.cat" >"$WORK/diff.txt"; then
  echo "dbml-equiv: N=$N — same catalog ($(wc -l <"$WORK/packdbc.cat") rows: columns, constraints, indexes, enums, comments)"
else
  head -n 60 "$WORK/diff.txt"
  echo "dbml-equiv: N=$N — the catalogs differ (above)" >&2
  exit 1
fi
