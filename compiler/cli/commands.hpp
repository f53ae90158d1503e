// The commands of packdbc; one file each in compiler/cli/.
#pragma once
#include <string>

namespace packdb::cli {

// Exit codes, documented in docs/cli.md.
inline constexpr int exit_ok = 0;
inline constexpr int exit_errors = 1;     // diagnostics with errors, unreadable input
inline constexpr int exit_usage = 2;      // bad command line
inline constexpr int exit_kiss_stop = 3;  // the KISS gate: no database needed

struct CommonOptions {
  std::string spec;
  std::string format = "text";
  std::string schema;  // --schema FILE: the current database, as `packdbc inspect` wrote it
};

struct CompileOptions {
  std::string out_dir;
  std::string date;
  bool quiet = false;
};

int run_compile(const CommonOptions& common, const CompileOptions& opts);
int run_check(const CommonOptions& common);
int run_kiss(const CommonOptions& common);

}  // namespace packdb::cli
