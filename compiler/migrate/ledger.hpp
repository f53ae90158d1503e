// What packdbc knows about migrations on both sides: the compile output folder (migration
// files, their down scripts, pgTAP tests) and the database's ledger — the table the Supabase
// CLI keeps (supabase_migrations.schema_migrations: version, name, statements) plus
// packdbc's own table beside it (supabase_migrations.packdbc_checksums: the SHA-256 of each
// file it applied). Also the advisory lock that makes two runs take turns. docs/migrate.md.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/db/connection.hpp"

namespace packdb::migrate {

// A failure of a migrate/status/rollback/smoke-test run, with its diagnostic code:
// M0001… (docs/checks.md, "M: applying migrations"), or D0001… for connection failures.
struct Failure {
  std::string code;
  std::string message;
  std::string detail;
  std::string help;
  explicit operator bool() const { return !code.empty(); }
};
// A database error as a failure (its D code), prefixed with what was being done.
Failure from_db(const db::Error& err, const std::string& doing = "");

struct MigrationFile {
  std::string version;    // the digits before the first '_' (the Supabase CLI's rule)
  std::string name;       // the rest of the file name, without .sql
  std::string file;       // 20250101000001_creator_os_foundation.sql
  std::string path;       // DIR/supabase/migrations/<file>
  std::string sql;
  std::string sha256;     // of the file's bytes
  std::string down_path;  // DIR/supabase/rollback/<version>_<name>.down.sql ("" when there is none)
};

struct Folder {
  std::string dir;
  std::vector<MigrationFile> migrations;  // by version
  std::vector<std::string> tests;         // DIR/supabase/tests/*.sql, sorted
  const MigrationFile* find(const std::string& version) const;
};

// Reads DIR/supabase/migrations (required), rollback/ and tests/. Fails with M0001 when the
// folder has no migrations folder, a file name is not <digits>_<name>.sql, or two files share a version.
std::optional<Folder> read_folder(const std::string& dir, Failure& fail);
std::string read_file(const std::string& path, bool& ok);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(const std::string& data);
// The statements of a script, split at top-level semicolons (not inside quotes, dollar
// quotes or comments); each trimmed, empty ones dropped. What goes into `statements`.
std::vector<std::string> split_statements(const std::string& sql);
// The same with where each statement is: `offset` of its text in `sql`, `code` of its first
// character that is not a comment (what an error's line points at).
struct Statement {
  std::string text;
  std::size_t offset = 0;
  std::size_t code = 0;
};
std::vector<Statement> statements_of(const std::string& sql);
// Runs `sql` one statement at a time (as the Supabase CLI does), so a failure names its
// statement. On failure `line` is the 1-based line of the error in `sql`: the exact line when
// the server gives a position, else the first line of the failing statement's code.
bool run_statements(db::Connection& c, const std::string& sql, db::Error& err, int& line);
// "line 12" of a 1-based character position in `sql` (0: unknown → "").
int line_of(const std::string& sql, int position);

struct Applied {
  std::string version;
  std::string name;
  std::string sha256;  // "" when packdbc did not record one (the Supabase CLI applied it)
  std::string applied_at;
  int statements = 0;
};

// The ledger's rows, by version; empty when the ledger does not exist yet.
std::optional<std::vector<Applied>> read_ledger(db::Connection& c, db::Error& err);
// Creates the ledger as the Supabase CLI does (schema, table, columns: all IF NOT EXISTS)
// and packdbc's checksum table. Call inside the transaction that records the first migration.
bool ensure_ledger(db::Connection& c, db::Error& err);
bool record_applied(db::Connection& c, const MigrationFile& m, db::Error& err);
bool remove_applied(db::Connection& c, const std::string& version, db::Error& err);

enum class State { applied, pending, changed, missing };
const char* state_name(State s);
struct Entry {
  std::string version, name;
  State state = State::pending;
  bool checksum = false;   // applied/changed: packdbc recorded a checksum (else: another tool applied it)
  std::string applied_at;  // applied/changed/missing
  const MigrationFile* file = nullptr;
};
// One entry per version found in the folder or the ledger, by version.
std::vector<Entry> compare(const Folder& f, const std::vector<Applied>& ledger);

// The advisory lock every run that changes migrations holds (pg_advisory_lock on key
// kLockKey, session level). Waits up to `wait_seconds`; `waited` says whether another run
// held it. Fails with M0004 when the wait ran out.
inline constexpr long long kLockKey = 0x7061636b646263LL;  // "packdbc"
bool take_lock(db::Connection& c, int wait_seconds, bool& waited, Failure& fail);
void release_lock(db::Connection& c);

// SET lock_timeout / statement_timeout for the current transaction (SET LOCAL).
struct Timeouts {
  std::string lock_timeout = "5s";
  std::string statement_timeout = "5min";
};
// `local`: for the current transaction only; otherwise for the session (a migration that runs
// outside a transaction).
bool set_timeouts(db::Connection& c, const Timeouts& t, db::Error& err, bool local = true);
// A script that must not run in a transaction (`create index concurrently`) starts with the
// marker line `-- packdbc:no-transaction` (compiler/plan/evolve.hpp).
bool runs_outside_transaction(const std::string& sql);

}  // namespace packdb::migrate
