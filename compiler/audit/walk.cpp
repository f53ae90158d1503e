#include "compiler/audit/walk.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <utility>

namespace packdb::audit {
namespace fs = std::filesystem;

const char* ignored_folder_reason(const std::string& name) {
  if (name == ".git" || name == ".hg" || name == ".svn") return "version-control folder, not scanned";
  if (name == "node_modules" || name == ".venv" || name == "venv" || name == "site-packages")
    return "dependency folder, not scanned";
  if (name == "__pycache__" || name == ".pytest_cache" || name == ".mypy_cache" || name == ".next" || name == ".turbo")
    return "tool cache, not scanned";
  return nullptr;
}

namespace {

using DirId = std::pair<dev_t, ino_t>;

const char* special_kind(mode_t m) {
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
  return "not a regular file";
}

bool inside(const fs::path& p, const fs::path& root) {
  auto r = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r.first == root.end();
}

std::string rel_of(const fs::path& canon, const fs::path& root) {
  std::string s = canon.lexically_relative(root).generic_string();
  return s == "." ? "" : s;
}

struct Walker {
  fs::path root;  // canonical
  const std::function<void(const std::string&)>& progress;
  std::chrono::milliseconds every;
  Walk out;
  std::set<DirId> visited;
  std::optional<DirId> exclude;
  std::vector<DirId> chain;  // folders from the root to the one being listed
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), last = start;
  std::size_t ticks = 0;

  void tick() {
    if (!progress || (++ticks & 63) != 0) return;
    auto now = std::chrono::steady_clock::now();
    if (now - start >= every && now - last >= every) {
      last = now;
      progress("listing the folder: " + std::to_string(out.files.size()) + " files so far");
    }
  }

  void skip(const std::string& rel, std::string reason) { out.skipped.push_back({rel, std::move(reason)}); }

  void dir(const fs::path& abs, const std::string& rel, DirId id) {
    visited.insert(id);
    chain.push_back(id);
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(abs, fs::directory_options::none, ec);
    if (ec) {
      skip(rel.empty() ? "." : rel + "/", "cannot list the folder: " + ec.message());
    } else {
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        names.push_back(it->path().filename().string());
      }
      if (ec) skip(rel.empty() ? "." : rel + "/", "listing stopped: " + ec.message());
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) entry(abs / name, rel.empty() ? name : rel + "/" + name, name);
    chain.pop_back();
  }

  void entry(const fs::path& abs, const std::string& rel, const std::string& name) {
    tick();
    struct stat lst{};
    if (::lstat(abs.c_str(), &lst) != 0) {
      skip(rel, std::string("cannot inspect: ") + std::strerror(errno));
      return;
    }
    struct stat st = lst;
    bool link = S_ISLNK(lst.st_mode);
    if (link) {
      if (::stat(abs.c_str(), &st) != 0) {
        int e = errno;
        if (e == ELOOP) skip(rel, "symlink loop (the link resolves to itself), not followed");
        else if (e == ENOENT) skip(rel, "broken symlink, not followed");
        else skip(rel, std::string("symlink cannot be followed: ") + std::strerror(e));
        return;
      }
      std::error_code ec;
      fs::path target = fs::canonical(abs, ec);
      if (ec) {
        skip(rel, "symlink cannot be resolved: " + ec.message());
        return;
      }
      if (!inside(target, root)) {
        skip(rel, "symlink to a place outside the pack, not followed");
        return;
      }
      if (S_ISDIR(st.st_mode)) {
        DirId id{st.st_dev, st.st_ino};
        std::string to = rel_of(target, root);
        std::string shown = to.empty() ? "the pack's root" : "`" + to + "/`";
        if (std::find(chain.begin(), chain.end(), id) != chain.end()) {
          skip(rel, "symlink loop (leads back to " + shown + "), not followed");
          return;
        }
        if (visited.count(id)) {
          skip(rel, "symlink to a folder scanned already (" + shown + ")");
          return;
        }
      }
    }
    if (S_ISDIR(st.st_mode)) {
      if (const char* why = ignored_folder_reason(name)) {
        skip(rel + "/", why);
        return;
      }
      DirId id{st.st_dev, st.st_ino};
      if (exclude && id == *exclude) {
        skip(rel + "/", "the audit's own output folder, not scanned");
        return;
      }
      if (!link && visited.count(id)) return;  // a bind mount seen twice: nothing new
      out.dirs.push_back(rel);
      dir(abs, rel, id);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      skip(rel, std::string(special_kind(st.st_mode)) + ", not read");
      return;
    }
    out.files.push_back({rel, static_cast<std::uintmax_t>(st.st_size)});
  }
};

}  // namespace

Walk walk_pack(const fs::path& root, const std::function<void(const std::string&)>& progress, long progress_after_ms,
               const std::string& exclude) {
  std::error_code ec;
  fs::path canon = fs::canonical(root, ec);
  Walker w{ec ? root : canon, progress, std::chrono::milliseconds(progress_after_ms), {}, {}, {}};
  struct stat st{};
  if (!exclude.empty() && ::stat(exclude.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) w.exclude = DirId{st.st_dev, st.st_ino};
  if (::stat(w.root.c_str(), &st) != 0) {
    w.skip(".", std::string("cannot inspect the pack folder: ") + std::strerror(errno));
    return std::move(w.out);
  }
  w.dir(w.root, "", {st.st_dev, st.st_ino});
  std::sort(w.out.files.begin(), w.out.files.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  std::sort(w.out.dirs.begin(), w.out.dirs.end());
  std::sort(w.out.skipped.begin(), w.out.skipped.end());
  return std::move(w.out);
}

std::optional<std::string> read_text_file(const fs::path& p, std::uintmax_t max_size, std::string& reason) {
  // O_NONBLOCK: a FIFO that appeared since the walk must not block the scan.
  int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    reason = std::string("cannot read: ") + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    reason = "not a regular file, not read";
    return std::nullopt;
  }
  if (static_cast<std::uintmax_t>(st.st_size) > max_size) {
    ::close(fd);
    reason = "larger than " + std::to_string(max_size) + " bytes, content not read";
    return std::nullopt;
  }
  std::string data;
  data.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reason = std::string("cannot read: ") + std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  data.resize(got);
  std::size_t probe = std::min<std::size_t>(data.size(), 8192);
  if (std::memchr(data.data(), '\0', probe) != nullptr) {
    reason = "binary file, content not read";
    return std::nullopt;
  }
  return data;
}

}  // namespace packdb::audit
