#!/usr/bin/env bash
# packdbc backfill of examples/mmos/pack into the full mmos schema on PGlite (pgvector):
# embeddings in the files land in vector(1536) with their dimension checked, the row lacking
# one is reported, a second run inserts nothing, an embedding of the wrong dimension rejects
# its file (named with the line). PGlite has one shared database: the test rolls its
# migrations back and checks the server is at its baseline again (else it restarts PGlite).
# usage: pglite.sh PACKDBC ENV_FILE
set -euo pipefail
PACKDBC=${1:?usage: $0 PACKDBC ENV_FILE}
ENV_FILE=${2:?usage: $0 PACKDBC ENV_FILE}
LOG_TAG=backfill-pglite
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../db/lib.sh
. "$HERE/../db/lib.sh"
[ -f "$ENV_FILE" ] || die "$ENV_FILE not found: the PGlite fixture is not up"
# shellcheck disable=SC1090
. "$ENV_FILE"
[ "${PG_KIND:-}" = pglite ] || die "$ENV_FILE does not describe PGlite"
PACK=$REPO_ROOT/examples/mmos/pack
SPEC=$REPO_ROOT/examples/mmos/mmos.packdb
USER_A=00000000-0000-0000-0000-0000000000a1
USER_B=00000000-0000-0000-0000-0000000000b2
URL=$PG_URL
WORK=$(mktemp -d /tmp/packdb-backfill.XXXXXX)
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$URL")
fresh() { "${PSQL[@]}" -c 'discard all' >/dev/null; }
q() { fresh; "${PSQL[@]}" -At -c "$1"; }
fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "ok: $*"; }

"$PACKDBC" compile "$SPEC" -o "$WORK/out" --quiet || die "compile"
mapfile -t UPS < <(printf '%s\n' "$WORK"/out/supabase/migrations/*.sql | LC_ALL=C sort)
ok=0
cleanup() {
  local rc=$?
  [ $ok = 1 ] || [ $rc -ne 0 ] || rc=1
  # Leave the shared database as it was: users gone (their rows cascade), migrations rolled back.
  { q "delete from auth.users where id in ('$USER_A', '$USER_B')" &&
    for (( i = ${#UPS[@]} - 1; i >= 0; i-- )); do
      fresh && "${PSQL[@]}" --single-transaction -f "$WORK/out/supabase/rollback/$(basename "${UPS[$i]}" .sql).down.sql" || exit 1
    done && fresh && snapshot_db "$WORK/after.catalog" && diff -u "$PGLITE_BASELINE" "$WORK/after.catalog"; } >"$WORK/cleanup.log" 2>&1 \
    || { cat "$WORK/cleanup.log"; log "restarting PGlite so later tests start clean"; rc=1
         bash "$DB_HARNESS_DIR/pglite-down.sh" "$PGLITE_STATE" >/dev/null 2>&1 || true
         bash "$DB_HARNESS_DIR/pglite-up.sh" "$PGLITE_STATE" >/dev/null 2>&1 || log "warning: PGlite restart failed"; }
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
for up in "${UPS[@]}"; do
  fresh
  "${PSQL[@]}" --single-transaction -f "$up" >"$WORK/apply.log" 2>&1 || { cat "$WORK/apply.log"; fail "applying $(basename "$up")"; }
done
q "insert into auth.users (id) values ('$USER_A'), ('$USER_B')" >/dev/null

run() { local n=$1; shift; set +e; "$@" >"$WORK/$n.out" 2>"$WORK/$n.err"; rc=$?; set -e; }
show() { echo "--- stdout"; cat "$WORK/$1.out"; echo "--- stderr"; cat "$WORK/$1.err"; }

# ---- the run: every embedding loaded, the one missing reported
run r1 "$PACKDBC" backfill "$SPEC" --pack "$PACK" --db "$URL" --as-user "$USER_A"
[ $rc -eq 0 ] || { show r1; fail "backfill: exit $rc"; }
diff -u - "$WORK/r1.out" <<OUT || fail "backfill output"
packdbc backfill: $URL ← $PACK
  as authenticated (user $USER_A)
  table                      inserted  already present  rejected files
  minds                             3                0               0
  mind_system_prompts               8                0               0
  mind_knowledge_chunks             7                0               0
without an embedding (1 row of mind_knowledge_chunks; packdbc computes none):
  outputs/minds/grace-hopper/kb/chunks.json:5 (embedding)
not backfilled (no \`map\`): mind_config
result: 18 rows inserted, 0 already present
OUT
[ "$(q "select count(*) filter (where extensions.vector_dims(embedding) = 1536) || ' ' || count(*) filter (where embedding is null) from public.mind_knowledge_chunks")" = "6 1" ] \
  || fail "embeddings: $(q "select chunk_index, extensions.vector_dims(embedding) from public.mind_knowledge_chunks")"
first=$(python3 -c "import json; print(json.load(open('$PACK/outputs/minds/ada-lovelace/kb/chunks.json'))['chunks'][0]['embedding'][:3])" | tr -d ' ')
[ "$(q "select (embedding::text) like '${first%]}%' from public.mind_knowledge_chunks c join public.minds m on m.id = c.mind_id where m.slug = 'ada-lovelace' and chunk_index = 0")" = t ] \
  || fail "ada's first embedding does not start with $first"
fresh
[ "$("${PSQL[@]}" -At -c "begin" -c "set local role authenticated" -c "set local request.jwt.claim.sub = '$USER_B'" \
     -c "select count(*) from public.mind_knowledge_chunks" -c "rollback")" = 0 ] || fail "user B sees user A's chunks"
pass "embeddings loaded into vector(1536), the missing one reported, RLS holds"

# ---- a second run inserts nothing
run r2 "$PACKDBC" backfill "$SPEC" --pack "$PACK" --db "$URL" --as-user "$USER_A"
[ $rc -eq 0 ] || { show r2; fail "second run: exit $rc"; }
grep -qxF "result: 0 rows inserted, 18 already present" "$WORK/r2.out" || { show r2; fail "second run"; }
[ "$(q "select count(*) from public.mind_knowledge_chunks")" = 7 ] || fail "the second run added chunks"
pass "a second run inserts nothing"

# ---- an embedding of the wrong dimension rejects its file, with the line
cp -r "$PACK" "$WORK/bad"
printf '{\n  "chunks": [\n    {"text": "short", "embedding": [0.1, 0.2, 0.3]}\n  ]\n}\n' >"$WORK/bad/outputs/minds/ada-lovelace/kb/short.json"
run b1 "$PACKDBC" backfill "$SPEC" --pack "$WORK/bad" --db "$URL" --as-user "$USER_A" --dry-run
[ $rc -eq 1 ] || { show b1; fail "wrong dimension: exit $rc, want 1"; }
grep -qxF "  outputs/minds/ada-lovelace/kb/short.json:3: field \`embedding\` has 3 numbers; vector(1536) needs 1536" "$WORK/b1.out" \
  || { show b1; fail "the wrong dimension is not reported with file and line"; }
pass "a wrong dimension is rejected with file:line"
ok=1
