#include "compiler/model/model.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cctype>
#include <fmt/format.h>

namespace packdb::model {

std::string SqlType::sql() const {
  std::string out = enum_type ? quote_ident(base) : base;
  if (!params.empty()) {
    out += "(";
    for (std::size_t i = 0; i < params.size(); ++i) out += (i ? "," : "") + std::to_string(params[i]);
    out += ")";
  }
  for (int i = 0; i < array_dims; ++i) out += "[]";
  return out;
}

bool SqlType::is_text() const {
  return array_dims == 0 && !enum_type && (base == "text" || base == "varchar" || base == "char" || base == "citext");
}
bool SqlType::is_integer() const {
  return array_dims == 0 && (base == "integer" || base == "bigint" || base == "smallint");
}
bool SqlType::is_numeric() const {
  return is_integer() || (array_dims == 0 && (base == "numeric" || base == "real" || base == "double precision"));
}
bool SqlType::is_temporal() const {
  return array_dims == 0 && (base == "timestamptz" || base == "timestamp" || base == "date" || base == "time" ||
                             base == "interval");
}

const char* on_delete_sql(OnDelete d) {
  switch (d) {
    case OnDelete::cascade: return "cascade";
    case OnDelete::restrict: return "restrict";
    case OnDelete::set_null: return "set null";
    case OnDelete::set_default: return "set default";
    case OnDelete::no_action: return "no action";
  }
  return "no action";
}

const char* index_method_sql(IndexMethod m) {
  switch (m) {
    case IndexMethod::btree: return "btree";
    case IndexMethod::hash: return "hash";
    case IndexMethod::gin: return "gin";
    case IndexMethod::gist: return "gist";
    case IndexMethod::brin: return "brin";
    case IndexMethod::hnsw: return "hnsw";
    case IndexMethod::ivfflat: return "ivfflat";
  }
  return "btree";
}

const char* command_sql(Command c) {
  switch (c) {
    case Command::all: return "all";
    case Command::select: return "select";
    case Command::insert: return "insert";
    case Command::update: return "update";
    case Command::delete_: return "delete";
  }
  return "all";
}

const Column* Table::column(const std::string& n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

int Model::table_index(const std::string& name) const {
  if (indexed_ > tables.size()) table_index_.clear(), indexed_ = 0;
  for (; indexed_ < tables.size(); ++indexed_)
    table_index_.emplace(tables[indexed_].name, static_cast<int>(indexed_));  // first wins, as before
  auto it = table_index_.find(name);
  return it == table_index_.end() ? -1 : it->second;
}

const Enum* Model::find_enum(const std::string& name) const {
  for (const auto& e : enums)
    if (e.name == name) return &e;
  return nullptr;
}

// PostgreSQL's reserved key words (appendix C, "reserved" and "reserved (can be function
// or type)"): as a bare column or table name they are a syntax error, so they are quoted.
static constexpr std::array<std::string_view, 100> reserved_words = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
    "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
    "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
    "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
    "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
    "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp",
    "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing",
    "primary", "references", "returning", "right", "select", "session_user", "similar", "some", "symmetric", "table",
    "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
    "where", "window", "with"};

// Where the words of each first letter start in the sorted list (`first_of[c - 'a']` up to
// `first_of[c - 'a' + 1]`): quote_ident runs for every name in every statement written, and a
// binary search over the whole list was a twentieth of a large compile.
static constexpr std::array<std::uint8_t, 27> first_of = [] {
  std::array<std::uint8_t, 27> at{};
  std::size_t w = 0;
  for (int letter = 0; letter < 26; ++letter) {
    at[letter] = static_cast<std::uint8_t>(w);
    while (w < reserved_words.size() && reserved_words[w][0] == 'a' + letter) ++w;
  }
  at[26] = static_cast<std::uint8_t>(w);
  return at;
}();
static_assert(first_of[26] == reserved_words.size(), "reserved_words must be sorted and lowercase");

// The longest reserved word, `current_timestamp`: most generated names are longer.
static constexpr std::size_t longest_reserved = [] {
  std::size_t n = 0;
  for (std::string_view w : reserved_words) n = std::max(n, w.size());
  return n;
}();

bool is_sql_reserved(std::string_view name) {
  if (name.empty() || name.size() > longest_reserved || name[0] < 'a' || name[0] > 'z') return false;
  const int letter = name[0] - 'a';
  for (std::size_t w = first_of[letter]; w < first_of[letter + 1]; ++w)
    if (reserved_words[w].size() == name.size() && reserved_words[w] == name) return true;
  return false;
}

// ASCII only, without the locale: a name with any other byte is quoted. A table, since every
// name of every statement written passes here.
static constexpr std::array<bool, 256> plain_ident_chars = [] {
  std::array<bool, 256> ok{};
  for (int c = 'a'; c <= 'z'; ++c) ok[c] = true;
  for (int c = '0'; c <= '9'; ++c) ok[c] = true;
  ok['_'] = true;
  return ok;
}();

static bool plain_ident(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  for (char c : name)
    if (!plain_ident_chars[static_cast<unsigned char>(c)]) return false;
  return !is_sql_reserved(name);
}

void append_ident(std::string& out, std::string_view name) {
  if (plain_ident(name)) {
    out += name;
    return;
  }
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string quote_ident(const std::string& name) {
  if (plain_ident(name)) return name;
  std::string out;
  append_ident(out, name);
  return out;
}

std::string quote_literal(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (std::size_t from = 0;;) {
    std::size_t q = text.find('\'', from);
    if (q == std::string::npos) {
      out.append(text, from, std::string::npos);
      break;
    }
    out.append(text, from, q + 1 - from);
    out += '\'';
    from = q + 1;
  }
  out += '\'';
  return out;
}

}  // namespace packdb::model
