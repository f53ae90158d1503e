// The shared front half of every command that reads a spec: load, parse, resolve, then
// the validation checklist, the lints and the KISS gate; and printing what they found.
#pragma once
#include <optional>

#include "compiler/check/kiss.hpp"
#include "compiler/cli/commands.hpp"
#include "compiler/front/load.hpp"
#include "compiler/model/catalog.hpp"
#include "compiler/model/model.hpp"

namespace packdb::cli {

struct Checked {
  LoadedSpec loaded;
  Diagnostics diags;
  model::Model model;
  std::optional<model::Catalog> catalog;  // --schema FILE
  check::KissVerdict kiss;
  bool kiss_ran = false;
  bool ok = false;  // no errors
};

// Loads and checks the spec. The checklist, lints and KISS gate run only on a model that
// resolved without errors, so they never report consequences of an earlier mistake.
void check_spec(const CommonOptions& common, Checked& out);
// Diagnostics: to stderr as text, or nothing here for JSON (the command prints one object).
void print_diagnostics(const CommonOptions& common, const Checked& c);
// The exit code a checked spec earns: errors 1, KISS STOP 3, else 0.
int exit_code(const Checked& c);

}  // namespace packdb::cli
