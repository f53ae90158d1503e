#include "compiler/cli/output.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace packdb::cli {
namespace fs = std::filesystem;

static bool same_content(const fs::path& p, const std::string& content) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) != content.size()) return false;
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str() == content;
}

WriteResult write_outputs(const std::string& dir, const std::vector<gen::OutputFile>& files) {
  WriteResult r;
  std::vector<std::pair<fs::path, fs::path>> staged;  // temp → final
  auto cleanup = [&] {
    std::error_code ec;
    for (const auto& [tmp, dst] : staged) fs::remove(tmp, ec);
  };
  for (const auto& f : files) {
    fs::path dst = fs::path(dir) / f.path;
    if (same_content(dst, f.content)) {
      r.unchanged.push_back(f.path);
      continue;
    }
    std::error_code ec;
    fs::create_directories(dst.parent_path(), ec);
    if (ec) {
      r.error = "cannot create `" + dst.parent_path().string() + "`: " + ec.message();
      cleanup();
      return r;
    }
    fs::path tmp = dst;
    tmp += ".packdbc-tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << f.content;
    out.close();
    if (!out) {
      r.error = "cannot write `" + tmp.string() + "`";
      cleanup();
      fs::remove(tmp, ec);
      return r;
    }
    staged.push_back({tmp, dst});
    r.written.push_back(f.path);
  }
  for (const auto& [tmp, dst] : staged) {
    std::error_code ec;
    fs::rename(tmp, dst, ec);
    if (ec) {
      r.error = "cannot move `" + tmp.string() + "` into place: " + ec.message();
      cleanup();
      return r;
    }
  }
  return r;
}

}  // namespace packdb::cli
