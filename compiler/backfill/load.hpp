// The second half of `packdbc backfill`: the rows of backfill::plan inserted in ONE
// transaction, as a user (the profile's user role with the JWT sub set, so RLS decides) or
// as the service role. A row already there — same natural key (a unique key of the table the
// row fills), or, for a table without one, same values in every column it fills — is counted,
// not inserted again, so a second run inserts nothing. Each file is a savepoint: a file the
// database refuses is rejected whole. Any rejection rolls everything back unless `skip_bad`;
// a dry run always rolls back. Nothing on disk is touched here.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "compiler/backfill/rows.hpp"
#include "compiler/db/connection.hpp"
#include "compiler/migrate/ledger.hpp"

namespace packdb::backfill {

struct LoadOptions {
  std::string as_user;   // a user's uuid: act as the profile's user role with this JWT sub
  std::string owner;     // without as_user: the owner of the rows of owned tables (service role)
  bool skip_bad = false; // commit the good files when some are rejected
  bool dry_run = false;  // everything, then roll back
};

struct TableSummary {
  std::string table;
  int inserted = 0, present = 0, rejected_files = 0;
  std::vector<std::string> lacking;  // "file:line (column)" of inserted rows without an embedding
};

// What one file gave: for the dry run's list of what would be inserted.
struct FileOutcome {
  std::string file, table;
  int inserted = 0, present = 0;
};

struct Report {
  std::string acting_as;              // "service_role", "authenticated as 0000…"
  std::vector<TableSummary> tables;   // every table a mapped flow fills, in model order
  std::vector<FileOutcome> files;     // the files that loaded, in load order
  std::vector<Rejection> rejections;  // sorted by file, then line
  bool committed = false;
  migrate::Failure failure;           // the run could not proceed (not a file's fault)
};

Report load(db::Connection& c, const model::Model& m, const Plan& p, const LoadOptions& o,
            const std::function<void(const std::string&)>& progress);

}  // namespace packdb::backfill
