// The shared front half of every command that reads a spec: load, parse, resolve, then
// the validation checklist, the lints and the KISS gate; and printing what they found.
// Also what the commands that talk to a database share: reading one into a catalog, and
// reporting a failed connection (the password always masked).
#pragma once
#include <optional>

#include "compiler/check/conventions.hpp"
#include "compiler/check/kiss.hpp"
#include "compiler/cli/commands.hpp"
#include "compiler/cli/timings.hpp"
#include "compiler/db/connection.hpp"
#include "compiler/db/introspect.hpp"
#include "compiler/front/load.hpp"
#include "compiler/model/catalog.hpp"
#include "compiler/model/model.hpp"

namespace packdb::cli {

struct Checked {
  LoadedSpec loaded;
  Diagnostics diags;
  model::Model model;
  std::optional<model::Catalog> catalog;          // --schema FILE or --db URL, with its patterns
  std::optional<check::Conventions> conventions;  // what generated tables follow from it
  std::optional<ast::File> conventions_module;    // those conventions as a profile (build_model reads it)
  check::KissVerdict kiss;
  bool kiss_ran = false;
  bool ok = false;  // no errors
  Timings timings;  // compile --timings: each pass marks its end
};

// Loads and checks the spec. The checklist, lints and KISS gate run only on a model that
// resolved without errors, so they never report consequences of an earlier mistake.
// With a current schema (--schema or --db) its conventions go between the stdlib's profile
// and the spec's own, and the model's risk is assessed against it.
void check_spec(const CommonOptions& common, Checked& out);
// Diagnostics: to stderr as text, or nothing here for JSON (the command prints one object).
void print_diagnostics(const CommonOptions& common, const Checked& c);
// The exit code a checked spec earns: errors 1, KISS STOP 3, else 0.
int exit_code(const Checked& c);
// "conventions from the database: key_type bigint (bigint identity keys on 6 of 6 tables) …",
// one line each; empty without a current schema.
std::string render_conventions_text(const Checked& c);

// ---- commands that talk to a database (inspect, env-check, snapshot, --db) -------------------

// Connects and introspects; the catalog comes back with its patterns found. On failure, `err`
// says why (password masked) and nothing is returned.
std::optional<model::Catalog> read_database(const std::string& url, const db::InspectOptions& opts, db::Error& err,
                                            int* queries = nullptr);
// The diagnostic code of a database failure: D0001 bad URL … D0007 other (docs/snapshot.md).
const char* db_error_code(db::ErrorKind k);
// "error[D0002]: cannot reach … \n  detail \nhelp: …" on stderr.
void print_db_error(const db::Error& err);

}  // namespace packdb::cli
