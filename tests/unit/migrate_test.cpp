// compiler/migrate without a server: SHA-256, statement splitting (what goes into the
// Supabase ledger's `statements`), the tables a down script drops, error lines, the folder
// reader and the comparison of folder and ledger.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "compiler/migrate/ledger.hpp"
#include "compiler/migrate/rollback.hpp"

using namespace packdb::migrate;

TEST_CASE("sha256_hex matches the FIPS 180-4 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("split_statements splits at top-level semicolons only") {
  const std::string sql =
      "-- a comment; with a semicolon\n"
      "create table a (x text default 'a;b', \"we;ird\" int);\n"
      "/* block; /* nested; */ still */ select 1;\n"
      "create function f() returns int language plpgsql as $$ begin return 1; end $$;\n"
      "create function g() returns text language sql as $body$ select 'x;y' $body$;\n"
      "select E'it\\'s; fine';\n"
      "select $1;  \n"
      "-- trailing comment only\n";
  auto s = split_statements(sql);
  REQUIRE(s.size() == 6);
  CHECK(s[0] == "-- a comment; with a semicolon\ncreate table a (x text default 'a;b', \"we;ird\" int)");
  CHECK(s[1] == "/* block; /* nested; */ still */ select 1");
  CHECK(s[2] == "create function f() returns int language plpgsql as $$ begin return 1; end $$");
  CHECK(s[3] == "create function g() returns text language sql as $body$ select 'x;y' $body$");
  CHECK(s[4] == "select E'it\\'s; fine'");
  CHECK(s[5] == "select $1");
  CHECK(split_statements("  \n-- nothing\n;;\n").empty());
}

TEST_CASE("dropped_tables finds every table a down script drops") {
  auto t = dropped_tables(
      "drop view public.v;\n"
      "DROP TABLE IF EXISTS public.a, \"odd, name\".b CASCADE;\n"
      "-- drop table public.commented;\n"
      "drop table public.c;\n"
      "alter table public.d drop column e;\n");
  REQUIRE(t.size() == 3);
  CHECK(t[0] == "public.a");
  CHECK(t[1] == "\"odd, name\".b");
  CHECK(t[2] == "public.c");
}

TEST_CASE("line_of turns a character position into a line") {
  CHECK(line_of("select 1;\nselect x;", 0) == 0);
  CHECK(line_of("select 1;\nselect x;", 1) == 1);
  CHECK(line_of("select 1;\nselect x;", 18) == 2);
  // positions count characters: é is one character, two bytes
  CHECK(line_of("-- é\nselect x;", 6) == 2);
}

TEST_CASE("read_folder and compare") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("packdb_migrate_unit_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "supabase" / "migrations");
  fs::create_directories(dir / "supabase" / "rollback");
  auto write = [&](const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; };
  write(dir / "supabase/migrations/20250101000002_b.sql", "create table b (x int);");
  write(dir / "supabase/migrations/20250101000001_a.sql", "create table a (x int);");
  write(dir / "supabase/migrations/20250101000003_c.sql", "create table c (x int);");
  write(dir / "supabase/rollback/20250101000001_a.down.sql", "drop table a;");
  Failure fail;
  auto f = read_folder(dir.string(), fail);
  REQUIRE(f);
  REQUIRE(f->migrations.size() == 3);
  CHECK(f->migrations[0].version == "20250101000001");
  CHECK(f->migrations[0].name == "a");
  CHECK(!f->migrations[0].down_path.empty());
  CHECK(f->migrations[1].down_path.empty());
  CHECK(f->migrations[0].sha256 == sha256_hex("create table a (x int);"));

  std::vector<Applied> ledger = {
      {"20250101000001", "a", f->migrations[0].sha256, "2025-01-01 00:00:00", 1},
      {"20250101000002", "b", "0000", "2025-01-01 00:00:00", 1},
      {"20250101000003", "c", "", "", 1},  // applied by the Supabase CLI: no checksum
      {"20241231000000", "gone", "abcd", "2024-12-31 00:00:00", 1},
  };
  auto e = compare(*f, ledger);
  REQUIRE(e.size() == 4);
  CHECK(e[0].version == "20241231000000");
  CHECK(e[0].state == State::missing);
  CHECK(e[1].state == State::applied);
  CHECK(e[2].state == State::changed);
  CHECK(e[3].state == State::applied);
  CHECK_FALSE(e[3].checksum);

  write(dir / "supabase/migrations/20250101000003_other.sql", "select 1;");
  CHECK_FALSE(read_folder(dir.string(), fail));
  CHECK(fail.code == "M0001");
  fs::remove_all(dir);
  CHECK_FALSE(read_folder(dir.string(), fail));
  CHECK(fail.message.find("has no supabase/migrations folder") != std::string::npos);
}

TEST_CASE("statements_of says where each statement and its code start") {
  auto s = statements_of("-- c\nselect 1;\n  select 2;");
  REQUIRE(s.size() == 2);
  CHECK(s[0].text == "-- c\nselect 1");
  CHECK(s[0].offset == 0);
  CHECK(s[0].code == 5);
  CHECK(s[1].text == "select 2");
  CHECK(s[1].offset == 17);
  CHECK(s[1].code == 17);
}
