// A generated file, held in memory: generators return these, the driver writes them
// (only when there were no errors, and only when their bytes changed).
#pragma once
#include <string>

namespace packdb::gen {

struct OutputFile {
  std::string path;     // relative to the output folder, with '/' separators
  std::string content;  // the exact bytes to write
};

}  // namespace packdb::gen
