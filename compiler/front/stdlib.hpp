// The stdlib modules (stdlib/*.packdb), embedded in the binary at build time
// (cmake/embed_stdlib.cmake), so packdbc works from any folder.
#pragma once
#include <string>
#include <vector>

namespace packdb {

struct StdlibModule {
  std::string name;  // "supabase", "postgres"
  std::string text;
};

const std::vector<StdlibModule>& embedded_stdlib();
const StdlibModule* find_stdlib_module(const std::string& name);

}  // namespace packdb
