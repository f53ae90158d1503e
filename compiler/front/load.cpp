#include "compiler/front/load.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
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

namespace {

namespace fs = std::filesystem;

// Reads a whole file, with the spec's size limit; reports through `diags` at `at`.
std::optional<std::string> read_text(const std::string& path, Span at, Diagnostics& diags, std::size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    diags.error("E0001", at, fmt::format("cannot read `{}`: {}", path, std::strerror(errno)));
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    diags.error("E0001", at, fmt::format("`{}` is a directory, not a .packdb file", path));
    return std::nullopt;
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    diags.error("P0003", at, fmt::format("`{}` is too large ({} bytes; the limit is {} bytes)", path, st.st_size, max_bytes))
        .help = "a spec this large is refused unless allowed: --max-spec-mib N";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error("E0001", at, fmt::format("cannot read `{}`: {}", path, std::strerror(errno)));
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads what a file imports: the stdlib modules by name, and files (`import "x.packdb"`,
// relative to the importing file) whose mixins become usable. Each is loaded once.
struct Loader {
  LoadedSpec& out;
  Diagnostics& diags;
  std::size_t max_bytes;
  std::set<std::string> stdlib_done;
  std::set<std::string> files_done;

  bool stdlib_module(const ast::Ident& m) {
    if (!stdlib_done.insert(m.name).second) return true;
    const StdlibModule* mod = find_stdlib_module(m.name);
    if (!mod) {
      std::vector<std::string> names;
      for (const auto& s : embedded_stdlib()) names.push_back(s.name);
      auto& d = diags.error("E0112", m.span, fmt::format("unknown stdlib module `{}`", m.name));
      if (auto near = closest_name(m.name, names)) d.help = fmt::format("did you mean `{}`?", *near);
      else d.help = fmt::format("the stdlib has: {}", fmt::join(names, ", "));
      return true;  // reported; keep going to find more
    }
    std::uint32_t mid = out.sources.add("<stdlib>/" + mod->name + ".packdb", mod->text);
    auto parsed = parse_file(out.sources, mid, diags);
    if (!parsed) return false;
    out.modules.push_back(std::move(*parsed));
    out.files_read.push_back("<stdlib>/" + mod->name + ".packdb");
    return true;
  }

  bool file_import(const ast::Import& imp, const fs::path& base) {
    fs::path p = fs::path(imp.path).is_absolute() ? fs::path(imp.path) : (base / imp.path);
    p = p.lexically_normal();
    std::error_code ec;
    fs::path key = fs::weakly_canonical(p, ec);
    if (!files_done.insert(ec ? p.string() : key.string()).second) return true;
    auto text = read_text(p.string(), imp.span, diags, max_bytes);
    if (!text) return true;
    std::uint32_t id = out.sources.add(p.string(), std::move(*text));
    out.files_read.push_back(p.string());
    auto parsed = parse_file(out.sources, id, diags, parallel_parse_bytes, max_bytes);
    if (!parsed) return false;
    // An imported file lends mixins; everything else belongs in the spec.
    auto only_mixins = [&](Span at, const char* what) {
      diags.error("E0116", at, fmt::format("an imported file declares only `mixin`s and `import`s, not {}", what))
          .help = "move it into the spec that imports this file";
    };
    if (parsed->pack) only_mixins(parsed->pack->span, "a `pack` header");
    for (const auto& x : parsed->profiles) only_mixins(x.span, "a `profile`");
    for (const auto& x : parsed->needs) only_mixins(x.span, "a `need`");
    for (const auto& x : parsed->flows) only_mixins(x.span, "an `input` or `output`");
    for (const auto& x : parsed->states) only_mixins(x.span, "a `state`");
    for (const auto& x : parsed->enums) only_mixins(x.span, "an `enum`");
    for (const auto& x : parsed->tables) only_mixins(x.span, "a `table`");
    for (const auto& x : parsed->extends) only_mixins(x.span, "an `extend table`");
    for (const auto& x : parsed->queries) only_mixins(x.span, "a `query`");
    for (const auto& x : parsed->searches) only_mixins(x.span, "a `search`");
    for (const auto& x : parsed->views) only_mixins(x.span, "a `view`");
    for (const auto& x : parsed->seeds) only_mixins(x.span, "a `seed`");
    std::vector<ast::Import> nested = parsed->imports;
    out.modules.push_back(std::move(*parsed));
    return imports_of(nested, p.parent_path());
  }

  bool imports_of(const std::vector<ast::Import>& imports, const fs::path& base) {
    for (const auto& i : imports) {
      bool ok = i.path.empty() ? stdlib_module(i.module) : file_import(i, base);
      if (!ok) return false;
    }
    return true;
  }
};

}  // namespace

bool load_spec_text(const std::string& name, std::string text, LoadedSpec& out, Diagnostics& diags,
                    std::size_t max_bytes) {
  std::uint32_t id = out.sources.add(name, std::move(text));
  out.spec = parse_file(out.sources, id, diags, parallel_parse_bytes, max_bytes);
  if (!out.spec) return false;
  Loader loader{out, diags, max_bytes, {}, {}};
  // The target's module and the named modules first, then the imported files.
  for (const ast::Ident& m : check::required_modules(*out.spec))
    if (!loader.stdlib_module(m)) return false;
  std::vector<ast::Import> files;
  for (const auto& i : out.spec->imports)
    if (!i.path.empty()) files.push_back(i);
  if (!loader.imports_of(files, std::filesystem::path(name).parent_path())) return false;
  return !diags.has_errors();
}

bool load_spec_file(const std::string& path, LoadedSpec& out, Diagnostics& diags, std::size_t max_bytes) {
  auto text = read_text(path, {~0u, 0, 0}, diags, max_bytes);
  if (!text) return false;
  out.files_read.insert(out.files_read.begin(), path);
  return load_spec_text(path, std::move(*text), out, diags, max_bytes);
}

}  // namespace packdb
