// The first half of `packdbc backfill`: a pack folder read into rows, with no database.
// Each data flow with a checked `map` (model::FlowMapping) selects the files its location
// matches; each file becomes one row, or one per element of a list (`map each`). A file that
// cannot become its rows — unparsable, a missing required field, a value of the wrong type,
// an embedding of the wrong dimension — is rejected whole, with the file and line that say why.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/model/model.hpp"

namespace packdb::backfill {

// One value for an insert, in PostgreSQL's text form; `null` for SQL NULL.
struct Value {
  std::string column;
  std::string text;
  bool null = false;
};

struct Row {
  int line = 1;                       // where the row's data starts (an element's line under `each`)
  std::vector<Value> values;          // the mapped columns and the path variables that bind columns
  // A path variable that finds the parent row: the parent's column and the value to look up;
  // `key_column` is this table's column the parent's key goes into.
  std::string parent_column, parent_value, key_column;
  std::vector<std::string> lacking;   // nullable vector columns left empty (no embedding in the file)
};

struct Rejection {
  std::string file;                   // relative to the pack
  int line = 1;
  std::string reason;
};

// The rows of one file for one flow: all of them, or a rejection.
struct FileRows {
  const model::DataFlow* flow = nullptr;
  int table = -1;
  std::string file;                   // relative to the pack, '/' separators
  std::vector<Row> rows;
  std::optional<Rejection> rejection;
};

struct Plan {
  std::vector<FileRows> files;        // parents' tables first, then flow order, then path order
  std::vector<std::string> unmapped;  // flows into a table without a `map`: not backfilled
  std::vector<std::string> notes;     // folders that could not be read
};

// Reads `pack_dir` (never writes it). `progress` (may be empty) gets "N/M files" now and then.
Plan plan(const model::Model& m, const std::string& pack_dir, const std::function<void(const std::string&)>& progress);

// The regular expression (ECMAScript) a flow's location becomes: `{name}` a capture of one
// path segment's part, `*` any run within a segment; a location ending in '/' takes every file
// directly in that folder. Exposed for the unit tests.
std::string location_regex(const std::string& location, std::vector<std::string>& variables);

}  // namespace packdb::backfill
