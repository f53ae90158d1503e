#!/usr/bin/env bash
# Proves that tests/db/lints.sql can fail: on a database built to break every lint once,
# each of the 13 lints must report a finding.
# usage: lints-selftest.sh ENV_FILE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1090
source "$1"
db="lints_selftest_$$"
psql=(psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGUSER")
"${psql[@]}" -d postgres -c "create database $db template supabase_template" >/dev/null
trap '"${psql[@]}" -d postgres -c "drop database if exists $db" >/dev/null 2>&1 || true' EXIT
"${psql[@]}" -d "$db" -f "$here/lints-selftest.sql" >/dev/null
found=$("${psql[@]}" -d "$db" -At -F $'\t' -f "$here/lints.sql" | cut -f1 | sort -u)
fail=0
for lint in unindexed_foreign_keys auth_rls_initplan multiple_permissive_policies policy_exists_rls_disabled \
            rls_enabled_no_policy duplicate_index security_definer_view function_search_path_mutable \
            rls_disabled_in_public extension_in_public rls_references_user_metadata rls_policy_always_true \
            no_primary_key; do
  if grep -qx "$lint" <<<"$found"; then echo "ok   $lint found"; else echo "FAIL $lint not found"; fail=1; fi
done
exit $fail
