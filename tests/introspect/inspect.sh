#!/usr/bin/env bash
# inspect.sh PACKDBC ENV_FILE — `packdbc inspect` on a real PostgreSQL 15 holding existing.sql:
#   * the YAML equals tests/introspect/expected/inspect.yaml (source and server version aside):
#     every table, column (type, nullability, default, identity), key, foreign key with its
#     on-delete, unique, check, index (method, opclass, predicate), policy, trigger, enum,
#     view, function and extension;
#   * the patterns found are exactly those existing.sql was written with;
#   * the same number of queries as for an empty database (constant, not one per table);
#   * byte-stable (twice the same bytes), the URL from SUPABASE_DB_URL / DATABASE_URL works,
#     stdout without -o, --schemas;
#   * the compiler reads the file back (`check --schema`) and finds what `--db` finds.
# Regenerate the expected file with IX_REGEN=1 (then review `git diff`).
set -uo pipefail
LOG_TAG=inspect
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 PACKDBC ENV_FILE" >&2; exit 2; }
PACKDBC=$1
setup_existing_db "$2"

expect_run inspect 0 'packdbc inspect: .* 6 tables, 1 view, 2 functions in public — 13 queries' \
  "$PACKDBC" inspect --db "$DB_URL" -o "$WORK/inspect.yaml"

# Everything but the two lines that depend on the server instance.
normalize() { sed -e 's|^source: .*|source: URL|' -e 's|^server_version: .*|server_version: VERSION|' "$1"; }
normalize "$WORK/inspect.yaml" >"$WORK/inspect.norm.yaml"
if [ "${IX_REGEN:-0}" = 1 ]; then cp "$WORK/inspect.norm.yaml" "$IX_DIR/expected/inspect.yaml"; fi
same_file "the YAML equals expected/inspect.yaml" "$IX_DIR/expected/inspect.yaml" "$WORK/inspect.norm.yaml"

# The patterns, exactly (they are in the expected file too; this says it in one place).
cat >"$WORK/patterns.want" <<'EOF'
patterns_found:
  - Multi-tenancy via owner_id (5 of 6 tables, references auth.users)
  - Bigint identity primary keys (6 of 6 tables; id bigint generated always as identity)
  - Timestamps inserted_at (6 of 6 tables), updated_at (3 of 6 tables)
  - RLS enabled on 5 of 6 tables (not on public.audit_log)
  - Table names in the singular (6 of 6 tables)
  - Foreign keys on delete cascade (9 of 10)
EOF
sed -n '/^patterns_found:/,/^patterns:/p' "$WORK/inspect.yaml" | sed '$d' >"$WORK/patterns.got"
same_file "patterns_found is exactly what existing.sql follows" "$WORK/patterns.want" "$WORK/patterns.got"

grep -q "^source: postgresql://postgres@127.0.0.1:$PGPORT/$DB?sslmode=disable$" "$WORK/inspect.yaml" \
  && ok "source: is the URL" || bad "source: line wrong: $(grep '^source:' "$WORK/inspect.yaml")"
grep -q '^server_version: 15\.' "$WORK/inspect.yaml" && ok "server_version 15.x" || bad "server_version missing"

# Constant number of queries: an empty database costs the same.
new_db "${DB}_empty"
expect_run inspect-empty 0 '0 tables, 0 views, 0 functions in public — 13 queries' \
  "$PACKDBC" inspect --db "$(db_url "${DB}_empty")" -o "$WORK/empty.yaml"

# Byte-stable; stdout; URL from the environment (SUPABASE_DB_URL first, then DATABASE_URL).
"$PACKDBC" inspect --db "$DB_URL" -q >"$WORK/again.yaml" 2>"$WORK/again.err"
cmp -s "$WORK/inspect.yaml" "$WORK/again.yaml" && ok "stdout, second run: the same bytes" || bad "a second inspect differs"
[ ! -s "$WORK/again.err" ] && ok "-q prints nothing on stderr" || bad "-q printed: $(head -3 "$WORK/again.err")"
SUPABASE_DB_URL=$DB_URL DATABASE_URL=postgresql://nobody@127.0.0.1:1/none \
  "$PACKDBC" inspect -q -o "$WORK/env1.yaml" && cmp -s "$WORK/inspect.yaml" "$WORK/env1.yaml" \
  && ok "URL from SUPABASE_DB_URL (before DATABASE_URL)" || bad "SUPABASE_DB_URL not used"
env -u SUPABASE_DB_URL DATABASE_URL=$DB_URL "$PACKDBC" inspect -q -o "$WORK/env2.yaml" \
  && cmp -s "$WORK/inspect.yaml" "$WORK/env2.yaml" && ok "URL from DATABASE_URL" || bad "DATABASE_URL not used"

# --schemas: exactly those; auth has one table; a schema that does not exist is an error.
expect_run schemas-auth 0 '1 table, 0 views, 2 functions in auth — 13 queries' \
  "$PACKDBC" inspect --db "$DB_URL" --schemas auth -o "$WORK/auth.yaml"
expect_run schemas-missing 1 'error\[D0007\]: the database has no schema `nope`' \
  "$PACKDBC" inspect --db "$DB_URL" --schemas public,nope -o "$WORK/nope.yaml"
[ ! -e "$WORK/nope.yaml" ] && ok "nothing written for a missing schema" || bad "$WORK/nope.yaml was written"

# Read back: `check --schema` on the file and `check --db` see the same database.
cat >"$WORK/probe.packdb" <<'EOF'
pack probe version "1.0.0" { target supabase date "2025-06-01" }
need querying "projects by kind"
extend table project { add column pack_kind text? add index (pack_kind) }
output kinds yaml at "kinds/" into project.pack_kind
query by_kind = project where pack_kind = $kind
EOF
expect_run check-schema 0 'KISS gate: PROCEED' "$PACKDBC" check "$WORK/probe.packdb" --schema "$WORK/inspect.yaml"
expect_run check-db 0 'KISS gate: PROCEED' "$PACKDBC" check "$WORK/probe.packdb" --db "$DB_URL"
same_file "check --schema FILE and check --db URL print the same" "$WORK/check-schema.out" "$WORK/check-db.out"
