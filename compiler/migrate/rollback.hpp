// packdbc rollback: run the down scripts (supabase/rollback/<version>_<name>.down.sql) of the
// last applied migrations in reverse order, each in its own transaction together with the
// removal of its ledger rows; refusing, unless forced, to drop a table that holds rows.
#pragma once
#include <functional>

#include "compiler/migrate/apply.hpp"

namespace packdb::migrate {

struct RollbackOptions {
  Timeouts timeouts;
  int last = 0;        // --last N
  std::string to;      // --to VERSION: roll back every applied migration after it ("0": all)
  bool force = false;  // drop tables that hold rows anyway
  int lock_wait = 60;
};

struct DataLoss {
  std::string file;   // the down script
  std::string table;  // public.posts
  long long rows = 0;
};

struct RollbackReport {
  std::vector<StepResult> rolled_back;  // in the order run (newest first)
  std::vector<DataLoss> data_loss;      // tables with rows the down scripts drop (refused unless forced)
  bool waited_for_lock = false;
  Failure failure;
  std::string failed_version;
  int still_applied = 0;  // after the run
};

RollbackReport roll_back(db::Connection& c, const Folder& f, const RollbackOptions& o,
                         const std::function<void(const std::string&)>& progress = {});

// The tables a script drops (`drop table [if exists] a, b [cascade]`), as written.
std::vector<std::string> dropped_tables(const std::string& sql);

}  // namespace packdb::migrate
