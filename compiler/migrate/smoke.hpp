// packdbc smoke-test: on the target's server, in a scratch database (never the target):
// apply every migration, run the pgTAP tests, probe RLS isolation with two users, roll
// everything back, check the catalog is back where it started, drop the scratch database.
#pragma once
#include "compiler/migrate/rollback.hpp"

namespace packdb::migrate {

struct SmokeOptions {
  Timeouts timeouts;
  std::string template_db;  // CREATE DATABASE … TEMPLATE (default: the server's default, template1)
  bool keep = false;        // keep the scratch database (for debugging)
  int lock_wait = 60;       // for the migration lock in the scratch database
};

struct SmokeCheck {
  std::string name;
  std::string result;  // pass, fail, skip
  std::string detail;
};

struct SmokeReport {
  std::string scratch;
  std::vector<SmokeCheck> checks;
  std::vector<std::string> notes;  // extra lines: failed pgTAP tests, catalog differences, RLS leaks
  bool passed() const;
};

// `url` is the target's URL (the scratch database is on the same server, same login);
// `target` a connection to it, used only for CREATE/DROP DATABASE.
SmokeReport smoke_test(const std::string& url, db::Connection& target, const Folder& f, const SmokeOptions& o);

// The catalog snapshot query (tests/db/catalog.sql + data.sql, embedded at build time).
const std::string& catalog_snapshot_sql();

}  // namespace packdb::migrate
