// Reading back the YAML packdbc writes, fast.
//
// The state file (supabase/state/<pack>.state.yaml) is 28 MB at 5,000 tables and is read on
// every compile after the first. yaml-cpp took 4 s and 750 MB to load it (its scanner tests
// every character against regular expressions, and every node is shared-pointer managed).
// This reader takes only what yaml_text writes: block maps and sequences (a map may start on
// its dash's line), `[]`, `{}`, flow sequences of scalars, plain scalars that yaml_text
// would write plain, and double-quoted scalars with yaml_text's escapes; comment lines are
// skipped. Anything else (anchors, tags, block scalars, single quotes, tabs, a plain scalar
// yaml_text would have quoted…) makes it answer "not mine", and the caller reads the text
// with yaml-cpp, which also gives the messages for broken files.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packdb::yaml {

struct Tree {
  enum class Kind { null, scalar, map, seq };
  Kind kind = Kind::null;
  std::string text;               // a scalar's value
  std::vector<std::string> keys;  // a map's keys, in order, and their values in `items`
  std::vector<Tree> items;        // a sequence's items; a map's values
  int line = 0;                   // 1-based, where the node starts

  // A map's value for `key`, or nullptr (also when this is not a map).
  const Tree* find(std::string_view key) const;
};

// The document, or nullopt when it uses YAML that yaml_text does not write.
std::optional<Tree> read_written(std::string_view text);

}  // namespace packdb::yaml
