#include "compiler/front/stdlib.hpp"

namespace packdb {

const StdlibModule* find_stdlib_module(const std::string& name) {
  for (const auto& m : embedded_stdlib())
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace packdb
