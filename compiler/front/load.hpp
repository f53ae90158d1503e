// Reading a spec from disk (or memory), parsing it and the stdlib modules it uses.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "compiler/front/ast.hpp"
#include "compiler/front/diagnostics.hpp"
#include "compiler/front/parse.hpp"

namespace packdb {

struct LoadedSpec {
  SourceSet sources;
  std::optional<ast::File> spec;
  std::vector<ast::File> modules;     // stdlib modules, in the order they were required
  std::vector<std::string> files_read;  // for depfiles: the spec and every module read

  std::vector<const ast::File*> module_ptrs() const;
};

// Reads `path` and parses it; reports unreadable files, size limits and syntax errors.
// Files (the spec and what it imports) over `max_bytes` are refused (P0003).
bool load_spec_file(const std::string& path, LoadedSpec& out, Diagnostics& diags,
                    std::size_t max_bytes = max_spec_bytes);
// The same for a spec already in memory (tests, fuzzing).
bool load_spec_text(const std::string& name, std::string text, LoadedSpec& out, Diagnostics& diags,
                    std::size_t max_bytes = max_spec_bytes);

}  // namespace packdb
