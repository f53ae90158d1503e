#include "compiler/front/load.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "compiler/check/resolve.hpp"
#include "compiler/front/parse.hpp"
#include "compiler/front/stdlib.hpp"

namespace packdb {

std::vector<const ast::File*> LoadedSpec::module_ptrs() const {
  std::vector<const ast::File*> out;
  for (const auto& m : modules) out.push_back(&m);
  return out;
}

bool load_spec_text(const std::string& name, std::string text, LoadedSpec& out, Diagnostics& diags) {
  std::uint32_t id = out.sources.add(name, std::move(text));
  out.spec = parse_file(out.sources, id, diags);
  if (!out.spec) return false;
  for (const ast::Ident& m : check::required_modules(*out.spec)) {
    const StdlibModule* mod = find_stdlib_module(m.name);
    if (!mod) {
      std::vector<std::string> names;
      for (const auto& s : embedded_stdlib()) names.push_back(s.name);
      auto& d = diags.error("E0112", m.span, fmt::format("unknown stdlib module `{}`", m.name));
      if (auto near = closest_name(m.name, names)) d.help = fmt::format("did you mean `{}`?", *near);
      else d.help = fmt::format("the stdlib has: {}", fmt::join(names, ", "));
      continue;
    }
    std::uint32_t mid = out.sources.add("<stdlib>/" + mod->name + ".packdb", mod->text);
    auto parsed = parse_file(out.sources, mid, diags);
    if (!parsed) return false;
    out.modules.push_back(std::move(*parsed));
    out.files_read.push_back("<stdlib>/" + mod->name + ".packdb");
  }
  return !diags.has_errors();
}

bool load_spec_file(const std::string& path, LoadedSpec& out, Diagnostics& diags) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    diags.error("E0001", {~0u, 0, 0}, fmt::format("cannot read `{}`: {}", path, std::strerror(errno)));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    diags.error("E0001", {~0u, 0, 0}, fmt::format("`{}` is a directory, not a .packdb file", path));
    return false;
  }
  if (static_cast<std::size_t>(st.st_size) > max_spec_bytes) {
    diags.error("P0003", {~0u, 0, 0},
                fmt::format("`{}` is too large ({} bytes; the limit is {} bytes)", path, st.st_size, max_spec_bytes));
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error("E0001", {~0u, 0, 0}, fmt::format("cannot read `{}`: {}", path, std::strerror(errno)));
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out.files_read.insert(out.files_read.begin(), path);
  return load_spec_text(path, ss.str(), out, diags);
}

}  // namespace packdb
