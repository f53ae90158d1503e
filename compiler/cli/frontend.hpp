// The shared front half of every command that reads a spec: load, parse, resolve,
// and print diagnostics in the chosen format.
#pragma once
#include <optional>

#include "compiler/cli/commands.hpp"
#include "compiler/front/load.hpp"
#include "compiler/model/model.hpp"

namespace packdb::cli {

struct Checked {
  LoadedSpec loaded;
  Diagnostics diags;
  model::Model model;
  bool ok = false;  // no errors
};

// Loads and checks the spec; prints diagnostics (to stderr as text, or stdout as JSON).
void check_spec(const CommonOptions& common, Checked& out);
void print_diagnostics(const CommonOptions& common, const Checked& c);

}  // namespace packdb::cli
