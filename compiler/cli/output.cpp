#include "compiler/cli/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace packdb::cli {
namespace fs = std::filesystem;

namespace {

// Does `p` hold exactly `content`? Read in blocks and compared as it goes, so an unchanged
// 30 MB output is never copied whole into memory.
bool same_content(const fs::path& p, std::string_view content) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) != content.size() || ec) return false;
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[1 << 16];
  std::size_t at = 0;
  bool same = true;
  while (same) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    auto len = static_cast<std::size_t>(n);
    same = at + len <= content.size() && std::memcmp(buf, content.data() + at, len) == 0;
    at += len;
  }
  ::close(fd);
  return same && at == content.size();
}

// Writes all of `content` to a new file `p`; false (errno set) on any failure.
bool write_file(const fs::path& p, std::string_view content) {
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  std::size_t at = 0;
  while (at < content.size()) {
    ssize_t n = ::write(fd, content.data() + at, content.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      errno = saved;
      return false;
    }
    at += static_cast<std::size_t>(n);
  }
  return ::close(fd) == 0;
}

}  // namespace

Staging::~Staging() {
  if (!done_) discard();
}

void Staging::discard() {
  std::error_code ec;
  for (const auto& [tmp, dst] : staged_) fs::remove(tmp, ec);
  staged_.clear();
}

void Staging::stage(const std::string& path, std::string_view content) {
  {
    std::lock_guard lock(mutex_);
    if (!result_.error.empty() || done_) return;
  }
  const fs::path dst = fs::path(dir_) / path;
  if (same_content(dst, content)) {
    std::lock_guard lock(mutex_);
    result_.unchanged.push_back(path);
    return;
  }
  std::string error;
  std::error_code ec;
  fs::create_directories(dst.parent_path(), ec);
  fs::path tmp = dst;
  tmp += ".packdbc-tmp";
  if (ec) error = "cannot create `" + dst.parent_path().string() + "`: " + ec.message();
  else if (!write_file(tmp, content)) {
    error = "cannot write `" + tmp.string() + "`: " + std::strerror(errno);
    fs::remove(tmp, ec);
  }
  std::lock_guard lock(mutex_);
  if (!error.empty()) {
    if (result_.error.empty()) result_.error = error;
    return;
  }
  staged_.push_back({tmp, dst});
  result_.written.push_back(path);
}

namespace {

// A file compared piece by piece with the bytes that are to replace it.
class SameSoFar {
 public:
  explicit SameSoFar(const fs::path& p) : fd_(::open(p.c_str(), O_RDONLY | O_CLOEXEC)), same_(fd_ >= 0) {}
  ~SameSoFar() {
    if (fd_ >= 0) ::close(fd_);
  }
  SameSoFar(const SameSoFar&) = delete;
  SameSoFar& operator=(const SameSoFar&) = delete;
  void next(std::string_view piece) {
    while (same_ && !piece.empty()) {
      buf_.resize(std::min<std::size_t>(piece.size(), 1 << 20));
      ssize_t n = ::read(fd_, buf_.data(), buf_.size());
      if (n < 0 && errno == EINTR) continue;
      auto len = static_cast<std::size_t>(n > 0 ? n : 0);
      same_ = n > 0 && std::memcmp(buf_.data(), piece.data(), len) == 0;
      piece.remove_prefix(len);
    }
  }
  // Every piece matched, and the file has no more bytes.
  bool same_at_end() {
    if (!same_) return false;
    char c;
    ssize_t n;
    do n = ::read(fd_, &c, 1);
    while (n < 0 && errno == EINTR);
    return n == 0;
  }

 private:
  int fd_;
  bool same_;
  std::string buf_;
};

}  // namespace

void Staging::stage_pieces(const std::string& path, const std::function<void(const Piece&)>& produce) {
  {
    std::lock_guard lock(mutex_);
    if (!result_.error.empty() || done_) return;
  }
  const fs::path dst = fs::path(dir_) / path;
  fs::path tmp = dst;
  tmp += ".packdbc-tmp";
  std::string error;
  std::error_code ec;
  fs::create_directories(dst.parent_path(), ec);
  int fd = -1;
  if (ec) error = "cannot create `" + dst.parent_path().string() + "`: " + ec.message();
  else if ((fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
    error = "cannot write `" + tmp.string() + "`: " + std::strerror(errno);
  SameSoFar old(dst);
  produce([&](std::string_view piece) {
    old.next(piece);
    while (fd >= 0 && !piece.empty()) {
      ssize_t n = ::write(fd, piece.data(), piece.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error = "cannot write `" + tmp.string() + "`: " + std::strerror(errno);
        ::close(fd);
        fd = -1;
        break;
      }
      piece.remove_prefix(static_cast<std::size_t>(n));
    }
  });
  if (fd >= 0 && ::close(fd) != 0 && error.empty()) error = "cannot write `" + tmp.string() + "`: " + std::strerror(errno);
  const bool unchanged = error.empty() && old.same_at_end();
  if (!error.empty() || unchanged) fs::remove(tmp, ec);
  std::lock_guard lock(mutex_);
  if (!error.empty()) {
    if (result_.error.empty()) result_.error = error;
    return;
  }
  if (unchanged) {
    result_.unchanged.push_back(path);
    return;
  }
  staged_.push_back({tmp, dst});
  result_.written.push_back(path);
}

WriteResult Staging::commit() {
  std::lock_guard lock(mutex_);
  done_ = true;
  if (result_.error.empty()) {
    for (const auto& [tmp, dst] : staged_) {
      std::error_code ec;
      fs::rename(tmp, dst, ec);
      if (ec) {
        result_.error = "cannot move `" + tmp.string() + "` into place: " + ec.message();
        break;
      }
    }
  }
  if (!result_.error.empty()) discard();
  staged_.clear();
  return result_;
}

WriteResult write_outputs(const std::string& dir, const std::vector<gen::OutputFile>& files) {
  Staging staging(dir);
  for (const auto& f : files) staging.stage(f.path, f.content);
  return staging.commit();
}

}  // namespace packdb::cli
