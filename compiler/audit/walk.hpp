// Walking a pack folder: every file and folder, sorted, with what could not be visited and
// why. Symlinks are followed only inside the pack and never twice into one folder, so a
// symlink loop is a note, not a hang; FIFOs, sockets and devices are never opened.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "compiler/audit/model.hpp"

namespace packdb::audit {

struct FileEntry {
  std::string path;  // relative to the pack, '/' separators
  std::uintmax_t size = 0;
};

struct Walk {
  std::vector<FileEntry> files;   // sorted by path
  std::vector<std::string> dirs;  // sorted; relative, without a trailing '/'
  std::vector<Skipped> skipped;
};

// `root` must be a folder. `progress` (may be empty) is called every `progress_after_ms`
// once that much time has passed, with the number of files seen. The folder `exclude`, if it
// exists inside the pack, is skipped with a note.
Walk walk_pack(const std::filesystem::path& root, const std::function<void(const std::string&)>& progress,
               long progress_after_ms = 1000, const std::string& exclude = "");

// Reads a text file of at most `max_size` bytes. On failure returns nothing and sets
// `reason` ("binary", "larger than … bytes", "cannot read: …").
std::optional<std::string> read_text_file(const std::filesystem::path& p, std::uintmax_t max_size, std::string& reason);

// Folders whose content is not data of the pack: version control, dependencies, caches of
// tools. They are skipped with a note.
const char* ignored_folder_reason(const std::string& name);

}  // namespace packdb::audit
