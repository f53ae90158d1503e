// Connection strings: the password is masked in every form a user may write it, and messages
// are scrubbed of it; PostgreSQL's text arrays; where the URL comes from.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "compiler/db/connection.hpp"

using packdb::db::mask_password;
using packdb::db::parse_text_array;
using packdb::db::scrub;

TEST_CASE("mask_password hides the password of a URL") {
  CHECK(mask_password("postgresql://app:s3cret@db.example.com:5432/postgres") ==
        "postgresql://app:****@db.example.com:5432/postgres");
  CHECK(mask_password("postgres://app:s3cret@h/db?sslmode=require") == "postgres://app:****@h/db?sslmode=require");
  CHECK(mask_password("POSTGRESQL://app:s3cret@h/db") == "POSTGRESQL://app:****@h/db");
  // %-encoded special characters
  CHECK(mask_password("postgresql://app:p%40ss%2Fw%3Ard@h:5432/db") == "postgresql://app:****@h:5432/db");
  // an unescaped @ in the password: masked whole (the last @ ends it)
  CHECK(mask_password("postgresql://app:p@ss@h/db") == "postgresql://app:****@h/db");
  // the password as a query parameter
  CHECK(mask_password("postgresql://app@h/db?password=s3cret&sslmode=disable") ==
        "postgresql://app@h/db?password=****&sslmode=disable");
  CHECK(mask_password("postgresql://app@h/db?sslmode=disable&password=s3cret") ==
        "postgresql://app@h/db?sslmode=disable&password=****");
}

TEST_CASE("mask_password leaves URLs without a password as they are") {
  CHECK(mask_password("postgresql://app@h:5432/db") == "postgresql://app@h:5432/db");
  CHECK(mask_password("postgresql://h/db") == "postgresql://h/db");
  CHECK(mask_password("postgresql:///db?host=/tmp/sock") == "postgresql:///db?host=/tmp/sock");
  CHECK(mask_password("") == "");
}

TEST_CASE("mask_password hides the password of a key=value string") {
  CHECK(mask_password("host=h user=app password=s3cret dbname=db") == "host=h user=app password=**** dbname=db");
  CHECK(mask_password("host=h password = 's3 cr\\'et' dbname=db") == "host=h password = **** dbname=db");
  CHECK(mask_password("password=s3cret") == "password=****");
  // a keyword that merely ends in "password" is not the password
  CHECK(mask_password("host=h mypassword=x") == "host=h mypassword=x");
}

TEST_CASE("scrub removes the password from messages, as written and decoded") {
  const std::string url = "postgresql://app:p%40ss-w0rd@h:5432/db";
  CHECK(scrub("FATAL: something about p%40ss-w0rd", url) == "FATAL: something about ****");
  CHECK(scrub("echo p@ss-w0rd back", url) == "echo **** back");
  CHECK(scrub("no secret here", url) == "no secret here");
  CHECK(scrub("x s3cret y", "host=h password=s3cret") == "x **** y");
  // very short passwords are not replaced everywhere (the message would be unreadable)
  CHECK(scrub("a b a", "postgresql://u:a@h/db") == "a b a");
}

TEST_CASE("parse_text_array reads PostgreSQL's array text") {
  CHECK(parse_text_array("{}").empty());
  CHECK(parse_text_array("{id}") == std::vector<std::string>{"id"});
  CHECK(parse_text_array("{owner_id,name}") == std::vector<std::string>{"owner_id", "name"});
  CHECK(parse_text_array(R"({"a b","c,d","e\"f",NULL,"NULL"})") ==
        std::vector<std::string>{"a b", "c,d", "e\"f", "", "NULL"});
  CHECK(parse_text_array(R"x({"lower(email)",""})x") == std::vector<std::string>{"lower(email)", ""});
  CHECK(parse_text_array("").empty());
  CHECK(parse_text_array("[0:1]={2,3}") == std::vector<std::string>{"2", "3"});  // int2vector::int2[]
}

TEST_CASE("choose_url: --db, then SUPABASE_DB_URL, then DATABASE_URL") {
  ::setenv("SUPABASE_DB_URL", "postgresql://s@h/db", 1);
  ::setenv("DATABASE_URL", "postgresql://d@h/db", 1);
  auto a = packdb::db::choose_url("postgresql://given@h/db");
  REQUIRE(a);
  CHECK(a->from == "--db");
  auto b = packdb::db::choose_url("");
  REQUIRE(b);
  CHECK(b->from == "SUPABASE_DB_URL");
  CHECK(b->url == "postgresql://s@h/db");
  ::unsetenv("SUPABASE_DB_URL");
  auto c = packdb::db::choose_url("");
  REQUIRE(c);
  CHECK(c->from == "DATABASE_URL");
  ::unsetenv("DATABASE_URL");
  CHECK(!packdb::db::choose_url(""));
}

TEST_CASE("a connection that cannot be made says why, without the password") {
  packdb::db::Error err;
  // nothing listens on port 1
  auto c = packdb::db::Connection::open("postgresql://app:Secret-123@127.0.0.1:1/db?connect_timeout=5", err);
  CHECK(!c);
  CHECK(err.kind == packdb::db::ErrorKind::unreachable);
  CHECK(err.message == "cannot reach the database server at 127.0.0.1:1/db");
  CHECK(err.message.find("Secret-123") == std::string::npos);
  CHECK(err.detail.find("Secret-123") == std::string::npos);
  auto bad = packdb::db::Connection::open("postgresql://app:Secret-123@127.0.0.1:notaport/db", err);
  CHECK(!bad);
  CHECK(err.kind == packdb::db::ErrorKind::bad_url);
  CHECK((err.message + err.detail).find("Secret-123") == std::string::npos);
  auto none = packdb::db::Connection::open("", err);
  CHECK(!none);
  CHECK(err.kind == packdb::db::ErrorKind::no_url);
}
