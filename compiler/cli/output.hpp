// Writing generated files: all or nothing, and only what changed.
#pragma once
#include <string>
#include <vector>

#include "compiler/gen/output.hpp"

namespace packdb::cli {

struct WriteResult {
  std::vector<std::string> written;    // relative paths whose content changed
  std::vector<std::string> unchanged;  // relative paths left untouched (mtime kept)
  std::string error;                   // non-empty: nothing was changed
};

// Stages every file next to its destination first; only when all are staged are they
// renamed into place. A failure while staging leaves the output folder as it was.
WriteResult write_outputs(const std::string& dir, const std::vector<gen::OutputFile>& files);

}  // namespace packdb::cli
