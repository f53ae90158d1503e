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

// A file compared, piece by piece as they come, with the bytes that are to replace it: an
// unchanged 30 MB output is never read whole into memory.
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

// Does `p` hold exactly `content`? Its size decides most cases without reading it.
bool same_content(const fs::path& p, std::string_view content) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) != content.size() || ec) return false;
  SameSoFar old(p);
  old.next(content);
  return old.same_at_end();
}

// Writes all of `bytes` to `fd`; false (errno set) on any failure.
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

int create_file(const fs::path& p) { return ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); }

std::string cannot_write(const fs::path& p) { return "cannot write `" + p.string() + "`: " + std::strerror(errno); }

// Where `path` is staged, its folder created; the failure, if it cannot be.
fs::path staging_path(const fs::path& dst, std::string& error) {
  std::error_code ec;
  fs::create_directories(dst.parent_path(), ec);
  if (ec) error = "cannot create `" + dst.parent_path().string() + "`: " + ec.message();
  fs::path tmp = dst;
  tmp += ".packdbc-tmp";
  return tmp;
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

bool Staging::accepting() {
  std::lock_guard lock(mutex_);
  return result_.error.empty() && !done_;
}

void Staging::record(const std::string& path, const fs::path& tmp, const fs::path& dst, const std::string& error,
                     bool unchanged) {
  if (!error.empty() || unchanged) {
    std::error_code ec;
    fs::remove(tmp, ec);
  }
  std::lock_guard lock(mutex_);
  if (!error.empty()) {
    if (result_.error.empty()) result_.error = error;
  } else if (unchanged) {
    result_.unchanged.push_back(path);
  } else {
    staged_.push_back({tmp, dst});
    result_.written.push_back(path);
  }
}

void Staging::stage(const std::string& path, std::string_view content) {
  if (!accepting()) return;
  const fs::path dst = fs::path(dir_) / path;
  if (same_content(dst, content)) {  // compared first: nothing is written for an unchanged file
    std::lock_guard lock(mutex_);
    result_.unchanged.push_back(path);
    return;
  }
  std::string error;
  const fs::path tmp = staging_path(dst, error);
  if (error.empty()) {
    int fd = create_file(tmp);
    if (fd < 0) {
      error = cannot_write(tmp);
    } else if (!write_all(fd, content)) {
      error = cannot_write(tmp);  // errno of the write, before close() can change it
      ::close(fd);
    } else if (::close(fd) != 0) {
      error = cannot_write(tmp);
    }
  }
  record(path, tmp, dst, error, false);
}

void Staging::stage_pieces(const std::string& path, const std::function<void(const Piece&)>& produce) {
  if (!accepting()) return;
  const fs::path dst = fs::path(dir_) / path;
  std::string error;
  const fs::path tmp = staging_path(dst, error);
  int fd = error.empty() ? create_file(tmp) : -1;
  if (error.empty() && fd < 0) error = cannot_write(tmp);
  SameSoFar old(dst);
  produce([&](std::string_view piece) {
    old.next(piece);
    if (fd >= 0 && !write_all(fd, piece)) {
      error = cannot_write(tmp);
      ::close(fd);
      fd = -1;
    }
  });
  if (fd >= 0 && ::close(fd) != 0 && error.empty()) error = cannot_write(tmp);
  record(path, tmp, dst, error, error.empty() && old.same_at_end());
}

void Staging::stage_headed(const std::string& path, const std::function<std::string(const Piece&)>& produce) {
  if (!accepting()) return;
  const fs::path dst = fs::path(dir_) / path;
  std::string error;
  fs::path scratch = staging_path(dst, error);
  scratch += "-body";
  // Unlinked at once: the descriptor keeps it, and nothing is left behind whatever happens.
  int fd = error.empty() ? ::open(scratch.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
  if (fd >= 0) ::unlink(scratch.c_str());
  else if (error.empty()) error = cannot_write(scratch);
  const std::string head = produce([&](std::string_view piece) {
    if (fd >= 0 && !write_all(fd, piece)) {
      error = cannot_write(scratch);
      ::close(fd);
      fd = -1;
    }
  });
  if (error.empty()) {
    stage_pieces(path, [&](const Piece& piece) {
      piece(head);
      std::string buf(1 << 20, '\0');
      for (off_t at = 0;;) {
        ssize_t n = ::pread(fd, buf.data(), buf.size(), at);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error = "cannot read back `" + scratch.string() + "`: " + std::strerror(errno);
        if (n <= 0) break;
        piece(std::string_view(buf.data(), static_cast<std::size_t>(n)));
        at += n;
      }
    });
  }
  if (fd >= 0) ::close(fd);
  if (!error.empty()) record(path, {}, dst, error, false);  // also undoes a half-read stage_pieces
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
