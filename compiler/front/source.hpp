// A source file held in memory, with byte offsets turned into line:col only when printed.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace packdb {

// A half-open byte range [begin, end) within one source file.
struct Span {
  std::uint32_t file = 0;   // index into SourceSet
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool valid() const { return end >= begin && (begin != 0 || end != 0 || file != 0); }
};

struct LineCol {
  std::uint32_t line = 1;  // 1-based
  std::uint32_t col = 1;   // 1-based, counted in bytes
};

class Source {
 public:
  Source(std::string name, std::string text);
  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  LineCol line_col(std::uint32_t offset) const;
  std::string_view line_text(std::uint32_t line) const;  // without the line break

 private:
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;  // offset of the first byte of each line
};

// All files of one compilation (the spec, its imports, stdlib modules).
class SourceSet {
 public:
  std::uint32_t add(std::string name, std::string text);
  const Source& get(std::uint32_t id) const { return files_.at(id); }
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<Source> files_;
};

}  // namespace packdb
