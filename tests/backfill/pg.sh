#!/usr/bin/env bash
# packdbc backfill on PostgreSQL 15: examples/mmos/pack loaded after the mmos migrations.
# Debian's PostgreSQL 15 has no pgvector, so the spec here is mmos.packdb without its vector
# parts (the embedding column, its index, the search and the need for it); pglite.sh covers those.
# Checks: dry run writes nothing; the run as a user inserts what the files say, owned by that
# user; RLS hides it from another user; a second run changes nothing; a malformed file makes
# the default run change nothing and is named with its line; --skip-bad (as the service role,
# --owner) loads the rest; the pack folder is never changed.
# usage: pg.sh PACKDBC ENV_FILE
. "$(dirname "$0")/../migrate/lib.sh"
PACK=$REPO/examples/mmos/pack
USER_A=00000000-0000-0000-0000-0000000000a1
USER_B=00000000-0000-0000-0000-0000000000b2
pack_sums() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
pack_sums "$PACK" >"$WORK/pack.before"

# The spec without vectors: the embedding lines, the HNSW index, the two-line search and its need go.
sed -e '/^search /,+1d' -e '/embedding/d' -e '/^need search/d' "$REPO/examples/mmos/mmos.packdb" >"$WORK/mmos.packdb"
"$PACKDBC" compile "$WORK/mmos.packdb" -o "$WORK/out" --quiet || fail "compile"

# fresh_db PREFIX: a database with the mmos migrations applied and users A and B
fresh_db() {
  local db
  db=$(new_db "$1")
  DBS+=("$db")
  "$PACKDBC" migrate --db "$(url_of "$db")" --dir "$WORK/out" >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; fail "migrate"; }
  q "$db" "insert into auth.users (id) values ('$USER_A'), ('$USER_B')" >/dev/null
  echo "$db"
}
# counts DB: "minds prompts chunks" as the superuser
counts() { q "$1" "select (select count(*) from public.minds) || ' ' || (select count(*) from public.mind_system_prompts) || ' ' || (select count(*) from public.mind_knowledge_chunks)"; }
# as_user DB UUID SQL: SQL as `authenticated` with that user's JWT sub (RLS on)
as_user() {
  psql -X -At -q -v ON_ERROR_STOP=1 -d "$1" -c "begin" -c "set local role authenticated" \
    -c "set local request.jwt.claim.sub = '$2'" -c "$3" -c "rollback"
}

DB=$(fresh_db bf_pg)
URL=$(url_of "$DB")

# ---- dry run: reports what would be inserted, writes nothing
run dry "$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$PACK" --db "$URL" --as-user "$USER_A" --dry-run
expect_rc dry 0
expect_text dry "packdbc backfill --dry-run: $URL ← $PACK
  as authenticated (user $USER_A)
  table                  would insert  already present  rejected files
  minds                             3                0               0
  mind_system_prompts               8                0               0
  mind_knowledge_chunks             7                0               0
would insert:
  minds ← outputs/minds/ada-lovelace/analysis/cognitive_model.yaml (1 row)
  minds ← outputs/minds/alan-turing/analysis/cognitive_model.yaml (1 row)
  minds ← outputs/minds/grace-hopper/analysis/cognitive_model.yaml (1 row)
  mind_system_prompts ← outputs/minds/ada-lovelace/system_prompts/conversation_style_v1.md (1 row)
  mind_system_prompts ← outputs/minds/ada-lovelace/system_prompts/core_identity_v1.md (1 row)
  mind_system_prompts ← outputs/minds/ada-lovelace/system_prompts/core_identity_v2.md (1 row)
  mind_system_prompts ← outputs/minds/alan-turing/system_prompts/conversation_style_v1.md (1 row)
  mind_system_prompts ← outputs/minds/alan-turing/system_prompts/conversation_style_v2.md (1 row)
  mind_system_prompts ← outputs/minds/alan-turing/system_prompts/conversation_style_v3.md (1 row)
  mind_system_prompts ← outputs/minds/alan-turing/system_prompts/core_identity_v1.md (1 row)
  mind_system_prompts ← outputs/minds/grace-hopper/system_prompts/core_identity_v1.md (1 row)
  mind_knowledge_chunks ← outputs/minds/ada-lovelace/kb/chunks.json (3 rows)
  mind_knowledge_chunks ← outputs/minds/alan-turing/kb/chunks.json (2 rows)
  mind_knowledge_chunks ← outputs/minds/grace-hopper/kb/chunks.json (2 rows)
not backfilled (no \`map\`): mind_config
result: dry run: 18 rows would be inserted, 0 already present; all rolled back, nothing changed" out
[ "$(counts "$DB")" = "0 0 0" ] || fail "the dry run wrote rows: $(counts "$DB")"
pass "dry run writes nothing"

# ---- the run as user A
run r1 "$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$PACK" --db "$URL" --as-user "$USER_A"
expect_rc r1 0
contains r1 "result: 18 rows inserted, 0 already present" out
[ "$(counts "$DB")" = "3 8 7" ] || fail "counts after the run: $(counts "$DB")"
[ "$(q "$DB" "select string_agg(slug || '=' || name || '/' || personality_type || '/' || status || '/' || (cognitive_model->'scores'->>'fidelity') || '/' || (cognitive_model->'traits'->>0), ',' order by slug) from public.minds where user_id = '$USER_A'")" \
  = "ada-lovelace=Ada Lovelace/INTJ/pending/0.87/analytical,alan-turing=Alan Turing/INTP/pending/0.87/curious,grace-hopper=Grace Hopper/ENTJ/pending/0.87/pragmatic" ] \
  || fail "minds: $(q "$DB" "select slug, name, cognitive_model from public.minds")"
[ "$(q "$DB" "select string_agg(p.prompt_type || ' v' || p.version, ',' order by p.prompt_type, p.version) from public.mind_system_prompts p join public.minds m on m.id = p.mind_id where m.slug = 'alan-turing'")" \
  = "conversation_style v1,conversation_style v2,conversation_style v3,core_identity v1" ] || fail "alan-turing's prompts"
[ "$(q "$DB" "select split_part(content, E'\n', 1) || ' | ' || (metadata->>'file') from public.mind_system_prompts p join public.minds m on m.id = p.mind_id where m.slug = 'ada-lovelace' and p.prompt_type = 'core_identity' and p.version = 2")" \
  = "# Ada Lovelace — core identity (version 2) | outputs/minds/ada-lovelace/system_prompts/core_identity_v2.md" ] || fail "ada's prompt content and metadata"
[ "$(q "$DB" "select string_agg(c.chunk_index || ':' || left(c.chunk_text, 20) || ':' || (c.metadata->>'line'), ',' order by c.chunk_index) from public.mind_knowledge_chunks c join public.minds m on m.id = c.mind_id where m.slug = 'ada-lovelace'")" \
  = "0:The Analytical Engin:4,1:The engine has no pr:5,2:Imagination is the d:6" ] || fail "ada's chunks: $(q "$DB" "select chunk_index, chunk_text, metadata from public.mind_knowledge_chunks")"
pass "the run inserts what the files say, owned by user A"

# ---- RLS: user B sees none of it, user A all of it
[ "$(as_user "$DB" "$USER_B" "select (select count(*) from public.minds) + (select count(*) from public.mind_system_prompts) + (select count(*) from public.mind_knowledge_chunks)")" = 0 ] \
  || fail "user B sees user A's rows"
[ "$(as_user "$DB" "$USER_A" "select (select count(*) from public.minds) + (select count(*) from public.mind_system_prompts) + (select count(*) from public.mind_knowledge_chunks)")" = 18 ] \
  || fail "user A does not see their rows"
pass "RLS: another user sees none"

# ---- a second run changes nothing
snap "$DB" "$WORK/S1"
run r2 "$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$PACK" --db "$URL" --as-user "$USER_A"
expect_rc r2 0
contains r2 "result: 0 rows inserted, 18 already present" out
snap "$DB" "$WORK/S2"
same_snap "$WORK/S1" "$WORK/S2" "the second run changed the database"
[ "$(q "$DB" "select count(*) from public.minds")" = 3 ] || fail "the second run added minds"
pass "a second run changes nothing"

# ---- the database refusing rows (a user that does not exist: the owner's foreign key) rejects
# their files, and their children find no parent: all or nothing, nothing inserted
USER_C=00000000-0000-0000-0000-0000000000c3
run rc1 "$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$PACK" --db "$URL" --as-user "$USER_C"
expect_rc rc1 1
contains rc1 "  outputs/minds/ada-lovelace/analysis/cognitive_model.yaml:1: insert into minds: insert or update on table \"minds\" violates foreign key constraint" out
contains rc1 "  outputs/minds/ada-lovelace/kb/chunks.json:4: no \`minds\` row with slug \`ada-lovelace\`" out
contains rc1 "result: nothing inserted (0 rows rolled back), 14 rejected" out
snap "$DB" "$WORK/S3"
same_snap "$WORK/S2" "$WORK/S3" "a refused run changed the database"
pass "rows the database refuses: their files rejected, nothing inserted"

# ---- user B backfilling the same pack gets rows of their own (unique per owner)
run rb "$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$PACK" --db "$URL" --as-user "$USER_B"
expect_rc rb 0
contains rb "result: 18 rows inserted, 0 already present" out
[ "$(as_user "$DB" "$USER_A" "select count(*) from public.minds")" = 3 ] || fail "user A sees user B's minds"
pass "another user's backfill is theirs alone"

# ---- a malformed file: the default run changes nothing and names the file and the line
BAD="$WORK/bad-pack"
cp -r "$PACK" "$BAD"
mkdir -p "$BAD/outputs/minds/broken-mind/analysis"
printf 'name: Broken Mind\npersonality_type: INTJ\ntraits: [unclosed\n' >"$BAD/outputs/minds/broken-mind/analysis/cognitive_model.yaml"
printf '{\n  "chunks": [\n    {"text": "fine"},\n    {"text": "no index", "embedding": 7}\n  ]\n}\n' >"$BAD/outputs/minds/grace-hopper/kb/extra.json"
mkdir -p "$BAD/outputs/minds/nameless/analysis"
printf 'personality_type: INTJ\n' >"$BAD/outputs/minds/nameless/analysis/cognitive_model.yaml"
pack_sums "$BAD" >"$WORK/bad.before"
DB2=$(fresh_db bf_pg_bad)
URL2=$(url_of "$DB2")
run b1 "$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$BAD" --db "$URL2" --as-user "$USER_A"
expect_rc b1 1
contains b1 "rejected:
  outputs/minds/broken-mind/analysis/cognitive_model.yaml:4:" out
contains b1 "  outputs/minds/nameless/analysis/cognitive_model.yaml:1: field \`name\` is missing, and \`minds.name\` is required" out
contains b1 "result: nothing inserted" out
expect_text b1 "error[B0001]: 2 files rejected: the run was rolled back, nothing was inserted
help: fix the files listed under \`rejected:\`, or run with --skip-bad to load the others" err
[ "$(counts "$DB2")" = "0 0 0" ] || fail "a run with a rejected file inserted rows: $(counts "$DB2")"
pass "a malformed file: nothing inserted, file and line named"

# ---- --skip-bad, as the service role with --owner: the good files load
run b2 "$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$BAD" --db "$URL2" --owner "$USER_A" --skip-bad
expect_rc b2 0
contains b2 "  as service_role" out
contains b2 "result: 20 rows inserted, 0 already present, 2 rejected" out
[ "$(counts "$DB2")" = "3 8 9" ] || fail "counts after --skip-bad: $(counts "$DB2")"
[ "$(q "$DB2" "select count(*) from public.minds where user_id = '$USER_A'")" = 3 ] || fail "--owner did not own the minds"
pass "--skip-bad loads the good files"

# ---- two runs at once take turns: the rows are inserted once
DB3=$(fresh_db bf_pg_twice)
"$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$PACK" --db "$(url_of "$DB3")" --as-user "$USER_A" >"$WORK/t1.out" 2>&1 &
PIDS+=($!)
"$PACKDBC" backfill "$WORK/mmos.packdb" --pack "$PACK" --db "$(url_of "$DB3")" --as-user "$USER_A" >"$WORK/t2.out" 2>&1 \
  || { cat "$WORK/t2.out"; fail "the second of two concurrent runs"; }
wait "${PIDS[-1]}" || { cat "$WORK/t1.out"; fail "the first of two concurrent runs"; }
[ "$(counts "$DB3")" = "3 8 7" ] || fail "two concurrent runs: $(counts "$DB3")"
grep -h '^result:' "$WORK/t1.out" "$WORK/t2.out" | LC_ALL=C sort >"$WORK/t.results"
[ "$(cat "$WORK/t.results")" = "result: 0 rows inserted, 18 already present
result: 18 rows inserted, 0 already present" ] || { cat "$WORK/t.results"; fail "two concurrent runs did not take turns"; }
pass "two runs at once insert each row once"

# ---- the pack folders are never changed
pack_sums "$PACK" >"$WORK/pack.after"
pack_sums "$BAD" >"$WORK/bad.after"
diff -u "$WORK/pack.before" "$WORK/pack.after" || fail "backfill changed examples/mmos/pack"
diff -u "$WORK/bad.before" "$WORK/bad.after" || fail "backfill changed the pack folder"
pass "no file changed"
