#!/usr/bin/env bash
# The CMake package, for real (issue 8): install packdbc into a temporary prefix with
# `cmake --install`, then configure and build examples/cmake-consumer (find_package(packdbc),
# packdb_generate) with Ninja, and check that
#   build     the outputs exist, and the mixin of the imported file reached the migration;
#   noop      building again does nothing (ninja: no work to do; no output's mtime changes);
#   import    touching the imported .packdb file regenerates (the unchanged outputs keep their
#             mtime), then nothing again; editing it changes the migration;
#   spec      touching the spec regenerates.
# usage: consumer.sh PACKDBC_BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=${1:?usage: $0 PACKDBC_BUILD_DIR SOURCE_DIR} SRC=${2:?usage: $0 PACKDBC_BUILD_DIR SOURCE_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok   $*"; }
fatal() { echo "FAIL: $*"; exit 1; }

cmake --install "$BUILD" --prefix "$work/prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fatal "cmake --install failed"; }
for f in bin/packdbc lib/cmake/packdbc/packdbcConfig.cmake lib/cmake/packdbc/packdbcConfigVersion.cmake \
         lib/cmake/packdbc/PackdbGenerate.cmake lib/cmake/packdbc/packdbcTargets.cmake; do
  [ -e "$work/prefix/$f" ] || die "cmake --install did not install $f"
done
ok "installed: $(cd "$work/prefix" && find . -type f | LC_ALL=C sort | tr '\n' ' ')"

# A copy of the example, so that touching its files leaves the repository alone.
cp -r "$SRC/examples/cmake-consumer" "$work/src"
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fatal "configuring the consumer failed"; }
grep -q 'packdbc writes the notes migrations to' "$work/configure.log" || die "<TARGET>_PACKDB_OUTPUT_DIR was not set"

build() { cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fatal "building the consumer failed"; }; }
outputs() { (cd "$work/build/db" && find . -type f -printf '%p %T@\n' | LC_ALL=C sort); }
regenerated() { grep -q 'packdbc: compiling schema/notes.packdb' "$work/build.log"; }

# build
build
regenerated || die "the first build did not run packdbc"
MIG="$work/build/db/supabase/migrations/20250101000001_notes_foundation.sql"
for f in "$MIG" "$work/build/db/supabase/rollback/20250101000001_notes_foundation.down.sql" \
         "$work/build/db/supabase/tests/notes_rls.test.sql"; do
  [ -f "$f" ] || die "missing output ${f#"$work/"}"
done
grep -q 'deleted_at' "$MIG" && ok "outputs exist; the imported mixin's column is in the migration" \
  || die "the migration lacks the imported mixin's column"
grep -q "$work/src/schema/common.packdb" "$work/build/packdb/notes.d" && ok "the depfile lists the imported file" \
  || die "the depfile does not list the imported file: $(cat "$work/build/packdb/notes.d")"

# noop
sleep 1
before=$(outputs)
build
grep -q 'ninja: no work to do' "$work/build.log" && ok "second build: ninja: no work to do" \
  || { cat "$work/build.log"; die "the second build did some work"; }
[ "$before" = "$(outputs)" ] || die "the second build changed an output's mtime"
grep -q 'no work to do' <<<"$(cd "$work/build" && ninja -n -d explain 2>&1)" || die "ninja -n still sees work"

# import: touch
stamp_before=$(stat -c %Y.%y "$work/build/packdb/notes.stamp")
sleep 1
touch "$work/src/schema/common.packdb"
build
regenerated && ok "touching the imported file regenerates" || { cat "$work/build.log"; die "touching the imported file did not regenerate"; }
[ "$stamp_before" != "$(stat -c %Y.%y "$work/build/packdb/notes.stamp")" ] || die "the stamp was not renewed"
[ "$before" = "$(outputs)" ] && ok "the regenerated outputs had the same bytes and kept their mtime" \
  || die "an output with unchanged content got a new mtime"
build
grep -q 'ninja: no work to do' "$work/build.log" && ok "then nothing again" || die "the build after the regeneration did work"

# import: edit
sleep 1
sed -i 's/deleted_at timestamptz?/deleted_at timestamptz?\n  deleted_by uuid?/' "$work/src/schema/common.packdb"
build
regenerated || die "editing the imported file did not regenerate"
grep -q 'deleted_by' "$MIG" && ok "editing the imported file changes the migration" || die "the migration lacks the new column"

# spec
sleep 1
touch "$work/src/schema/notes.packdb"
build
regenerated && ok "touching the spec regenerates" || die "touching the spec did not regenerate"
build
grep -q 'ninja: no work to do' "$work/build.log" && ok "touching nothing regenerates nothing" || die "a build with no change did work"
exit $fail
