// Writing generated files: all or nothing, and only what changed.
#pragma once
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/gen/output.hpp"

namespace packdb::cli {

struct WriteResult {
  std::vector<std::string> written;    // relative paths whose content changed
  std::vector<std::string> unchanged;  // relative paths left untouched (mtime kept)
  std::string error;                   // non-empty: nothing was changed
};

// Stages files next to their destinations as they are handed over, and renames them into
// place only when all are staged: a failure while staging leaves the output folder as it was.
// Files can be staged as soon as each is generated (and its text freed), from several threads
// at once, so a compile never holds all its outputs in memory.
class Staging {
 public:
  explicit Staging(std::string dir) : dir_(std::move(dir)) {}
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  ~Staging();  // anything staged but not committed is removed

  // Stages one file, unless the folder already holds exactly these bytes. After a failure,
  // later calls do nothing; commit() reports the first failure.
  void stage(const std::string& path, std::string_view content);
  // Stages one file that `produce` writes in pieces (each handed to the function it is given),
  // for outputs too large to hold whole. The pieces are compared with the file already there
  // as they come; if they are exactly its bytes, it is left untouched as by stage().
  using Piece = std::function<void(std::string_view)>;
  void stage_pieces(const std::string& path, const std::function<void(const Piece&)>& produce);
  // Stages one file whose head is known only once its body is made (a count, notes found on
  // the way): `produce` hands the body over in pieces, kept in an unnamed scratch file beside
  // the staging file, and returns the head; head and body are then staged as by stage_pieces.
  void stage_headed(const std::string& path, const std::function<std::string(const Piece&)>& produce);
  // Moves every staged file into place, or (after a failure) removes them all.
  WriteResult commit();

 private:
  void discard();
  bool accepting();  // no failure yet, not committed
  // The outcome of staging `path` in `tmp` (removed unless it is to be moved into place).
  void record(const std::string& path, const std::filesystem::path& tmp, const std::filesystem::path& dst,
              const std::string& error, bool unchanged);
  std::string dir_;
  std::mutex mutex_;
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> staged_;  // temp → final
  WriteResult result_;
  bool done_ = false;
};

// Stages `files` and commits them: for outputs that are all at hand.
WriteResult write_outputs(const std::string& dir, const std::vector<gen::OutputFile>& files);

}  // namespace packdb::cli
