// packdbc migrate: apply the pending migrations of a compile output folder, in version
// order, each in its own transaction together with its ledger rows, under the advisory lock.
#pragma once
#include <functional>

#include "compiler/migrate/ledger.hpp"

namespace packdb::migrate {

struct ApplyOptions {
  Timeouts timeouts;
  bool dry_run = false;  // everything inside one BEGIN … ROLLBACK
  int lock_wait = 60;    // seconds to wait for another run's lock
};

struct StepResult {
  std::string version, name, file;
  int statements = 0;
  long long ms = 0;
};

struct ApplyReport {
  std::vector<StepResult> applied;  // in the order applied (dry run: would be applied)
  int already_applied = 0;          // versions the ledger had before (applied or by another tool)
  bool waited_for_lock = false;
  Failure failure;                  // set: the run stopped here (what was applied before stays)
  std::string failed_version;       // the migration that failed, if one did
};

// Progress lines ("applying 2025…_x.sql") go to `progress`, when given.
ApplyReport apply_pending(db::Connection& c, const Folder& f, const ApplyOptions& o,
                          const std::function<void(const std::string&)>& progress = {});

// Shared with rollback: the ledger compared with the folder, refusing (M0002, M0003) when an
// applied file changed or went missing. `allow_changed` lets rollback go on past a changed file.
std::optional<std::vector<Entry>> checked_state(db::Connection& c, const Folder& f, bool allow_changed,
                                                Failure& fail);

// "failed at line 12 of X.sql: <message>" with the statement's first line, for M0006/M0011.
Failure script_failure(const std::string& code, const std::string& what, const std::string& file,
                       const std::string& sql, int line, const db::Error& err, const db::Connection& c);

}  // namespace packdb::migrate
