// A live database → a model::Catalog, with a fixed number of catalog queries (one per kind
// of object, never one per table), inside one read-only repeatable-read transaction so the
// picture is consistent. Also the facts `packdbc env-check` reports.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "compiler/db/connection.hpp"
#include "compiler/model/catalog.hpp"

namespace packdb::db {

// Schemas Supabase (and common extensions) manage themselves; not inspected by default.
const std::vector<std::string>& managed_schemas();

struct InspectOptions {
  std::vector<std::string> schemas;  // empty: every schema but the system's and managed_schemas()
};

// Fills tables, enums, views, functions, extensions, schemas, server_version and source
// (the masked URL). Patterns are not computed here: check::find_patterns does that.
std::optional<model::Catalog> introspect(Connection& conn, const InspectOptions& opts, Error& err);

// The number of queries introspect() sends, whatever the size of the database.
inline constexpr int introspect_query_count = 13;

struct ExtensionStatus {
  std::string name;
  bool available = false;
  std::string default_version;    // available version
  std::string installed_version;  // empty: not installed
  std::string schema;             // where it is installed
};

struct EnvReport {
  std::string server_version;     // "15.8"
  int server_version_num = 0;     // 150008
  std::string user, database, host, port;
  bool ssl = false;
  bool superuser = false;
  std::vector<ExtensionStatus> extensions;           // vector, pgcrypto, pgtap (in that order)
  std::vector<std::pair<std::string, bool>> roles;   // anon, authenticated, service_role → present
  bool auth_schema = false;
  bool auth_users = false;
  bool auth_uid = false;
  bool catalog_readable = false;
};

// The checks of `packdbc env-check` (after a successful connection). Fails with
// no_catalog_access when the catalogs cannot be read.
std::optional<EnvReport> env_check(Connection& conn, Error& err);

}  // namespace packdb::db
