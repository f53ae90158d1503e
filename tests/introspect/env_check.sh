#!/usr/bin/env bash
# env_check.sh PACKDBC ENV_FILE — `packdbc env-check` against the test server (PostgreSQL 15 with
# Supabase's roles and auth schema from supabase_template, existing.sql installing pgcrypto):
# reachable, version 15, SSL not in use (sslmode=disable), pgcrypto installed, pgtap available,
# vector not available (Debian has no pgvector for 15), roles and auth present; the same as
# JSON; the URL from SUPABASE_DB_URL before DATABASE_URL.
set -uo pipefail
LOG_TAG=env-check
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 PACKDBC ENV_FILE" >&2; exit 2; }
PACKDBC=$1
setup_existing_db "$2"

expect_run text 0 'result: ready' "$PACKDBC" env-check --db "$DB_URL"
for want in "packdbc env-check: postgresql://postgres@127.0.0.1:$PGPORT/$DB?sslmode=disable (from --db)" \
            "✓ reachable: connected to database $DB as postgres (superuser)" \
            "✓ server: PostgreSQL 15." \
            "✗ SSL: not in use" \
            "✓ catalogs: readable" \
            "✓ pgcrypto 1." "installed (schema extensions)" \
            "✓ pgtap " "available, not installed" \
            "✗ vector not available on this server" \
            "✓ roles: anon, authenticated, service_role" \
            "✓ auth schema with auth.users and auth.uid()" \
            "result: ready, 2 warnings"; do
  grep -qF -- "$want" "$WORK/text.out" && ok "says: $want" || bad "does not say: $want"
done

expect_run json 0 '"ok":true' "$PACKDBC" env-check --db "$DB_URL" --format json
for want in '"ssl":false' '"superuser":true' '"catalog_readable":true' '"name":"vector","available":false' \
            '"name":"pgcrypto","available":true' '"schema":"extensions"' '"anon":true' '"auth_users":true' '"server_version_num":15'; do
  grep -qF -- "$want" "$WORK/json.out" && ok "json has $want" || bad "json lacks $want"
done
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/json.out" && ok "json parses" || bad "json does not parse"
fi

# The environment: SUPABASE_DB_URL wins over DATABASE_URL.
SUPABASE_DB_URL=$DB_URL DATABASE_URL=postgresql://nobody@127.0.0.1:1/none "$PACKDBC" env-check >"$WORK/env1.out" 2>&1 \
  && grep -q '(from SUPABASE_DB_URL)' "$WORK/env1.out" && ok "URL from SUPABASE_DB_URL" || bad "SUPABASE_DB_URL not used"
env -u SUPABASE_DB_URL DATABASE_URL=$DB_URL "$PACKDBC" env-check >"$WORK/env2.out" 2>&1 \
  && grep -q '(from DATABASE_URL)' "$WORK/env2.out" && ok "URL from DATABASE_URL" || bad "DATABASE_URL not used"
env -u DATABASE_URL SUPABASE_DB_URL=postgresql://nobody@127.0.0.1:1/none "$PACKDBC" env-check --db "$DB_URL" >"$WORK/env3.out" 2>&1 \
  && grep -q '(from --db)' "$WORK/env3.out" && ok "--db wins over the environment" || bad "--db did not win"
