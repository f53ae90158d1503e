// bench/gen — writes a synthetic, valid .packdb spec of N tables, and the same schema in DBML.
//
//   gen N DIR      writes DIR/bench.packdb and DIR/bench.dbml  (1 <= N <= 1,000,000)
//
// The spec is what a large pack looks like: a pack header (`target supabase`, a fixed `date`),
// a few needs, four enums, and N tables. Each table has eight declared columns of mixed types
// (text, int, bigint?, boolean, timestamptz?, jsonb, numeric(12,2), an enum), one declared
// index, and one query that the index (or a foreign-key index) serves. About 30 % of the
// tables are roots (`owned by user`); the others are children (`in PARENT`, at most two levels
// deep). Every table but the first points at an earlier one: children through `in PARENT`,
// roots (and some children) through a `references` column with an `on delete` choice
// (cascade, restrict, set null or no action).
//
// bench.dbml spells the same schema in DBML (holistics/dbml) so that `dbml2sql --postgres`
// can be timed on the same input. It includes what packdbc adds on its own: the `id` key,
// `user_id` (with its foreign key to auth.users, declared as a one-column stub table), the
// parent's key column, `created_at` / `updated_at`, and the indexes packdbc puts on every
// foreign key. What DBML cannot say (row-level security, the updated_at trigger, queries,
// pgTAP tests) has no counterpart there; docs/performance.md says so.
//
// Output is deterministic: every choice comes from a fixed-seed splitmix64, never the clock.
#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr long kMaxTables = 1'000'000;
constexpr int kExitUsage = 2;

void usage(std::FILE* to) {
  std::fputs(
      "usage: gen N DIR\n"
      "  writes DIR/bench.packdb (a valid spec of N tables) and DIR/bench.dbml (the same schema in DBML)\n"
      "  N    number of tables, 1 to 1000000\n"
      "  DIR  output folder, created if missing\n",
      to);
}

// splitmix64: small, fast, and the same sequence on every platform.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }  // n is tiny next to 2^64: bias negligible
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
};

// Plural table words and their singulars, as packdbc's singular() derives them
// (the parent's key column is `<singular>_id`).
struct Word {
  const char* plural;
  const char* singular;
};
constexpr Word kWords[] = {
    {"items", "item"},     {"orders", "order"},   {"notes", "note"},           {"events", "event"},
    {"tasks", "task"},     {"entries", "entry"},  {"boxes", "box"},            {"batches", "batch"},
    {"wishes", "wish"},    {"invoices", "invoice"}, {"categories", "category"}, {"photos", "photo"},
};
constexpr std::size_t kWordCount = sizeof kWords / sizeof kWords[0];

struct Enum {
  const char* name;
  std::vector<const char*> values;
};
const std::vector<Enum>& enums() {
  static const std::vector<Enum> e = {
      {"bench_status", {"draft", "active", "archived"}},
      {"bench_priority", {"low", "medium", "high", "urgent"}},
      {"bench_kind", {"alpha", "beta", "gamma"}},
      {"bench_stage", {"planned", "running", "done", "failed", "cancelled"}},
  };
  return e;
}

// Every reference says what happens on delete: packdbc warns (V0404) about one that does not.
enum class OnDelete { cascade, restrict_, set_null, no_action };

const char* packdb_on_delete(OnDelete d) {
  switch (d) {
    case OnDelete::cascade: return " on delete cascade";
    case OnDelete::restrict_: return " on delete restrict";
    case OnDelete::set_null: return " on delete set null";
    case OnDelete::no_action: return " on delete no action";
  }
  return "";
}

const char* dbml_on_delete(OnDelete d) {
  switch (d) {
    case OnDelete::cascade: return "cascade";
    case OnDelete::restrict_: return "restrict";
    case OnDelete::set_null: return "set null";
    case OnDelete::no_action: return "no action";
  }
  return "";
}

struct Table {
  std::string name;       // t17_entries
  std::string singular;   // t17_entry
  int depth = 0;          // 0 root, 1 child, 2 grandchild
  long parent = -1;       // index of the parent table (`in PARENT`), or -1 for a root
  long ref = -1;          // index of the table a `references` column points at, or -1
  OnDelete on_delete = OnDelete::no_action;
  std::size_t enum_index = 0;
  int index_variant = 0;  // 0 (status, created_at)  1 (due_at)  2 (title, qty)  3 (total) using hash
};

// The whole design, decided up front so both writers describe the same schema.
std::vector<Table> design(long n) {
  Rng rng{0x7061636B64627563ull};  // fixed seed: "packdbuc"
  std::vector<Table> tables(static_cast<std::size_t>(n));
  std::vector<long> parents;  // tables that may take a child (depth < 2)
  parents.reserve(tables.size());
  for (long i = 0; i < n; ++i) {
    Table& t = tables[static_cast<std::size_t>(i)];
    const Word& w = kWords[rng.below(kWordCount)];
    t.name = fmt::format("t{}_{}", i, w.plural);
    t.singular = fmt::format("t{}_{}", i, w.singular);
    bool root = i == 0 || rng.chance(30);
    if (!root) {
      t.parent = parents[rng.below(parents.size())];
      t.depth = tables[static_cast<std::size_t>(t.parent)].depth + 1;
    }
    // Roots always reference an earlier table (the first has none to reference); a third of
    // the children do too, besides their parent.
    if (i > 0 && (root || rng.chance(33))) {
      t.ref = static_cast<long>(rng.below(static_cast<std::uint64_t>(i)));
      t.on_delete = static_cast<OnDelete>(rng.below(4));
    }
    t.enum_index = rng.below(enums().size());
    t.index_variant = static_cast<int>(rng.below(4));
    if (t.depth < 2) parents.push_back(i);
  }
  return tables;
}

// The column that `references` another table: nullable unless its rows go with the target.
std::string ref_column(const std::vector<Table>& ts, const Table& t) {
  return "rel_" + ts[static_cast<std::size_t>(t.ref)].singular + "_id";
}
bool ref_nullable(const Table& t) { return t.on_delete != OnDelete::cascade && t.on_delete != OnDelete::restrict_; }

// Buffered writing to a file with error checks; fmt formats into a memory buffer.
class Out {
 public:
  explicit Out(const std::filesystem::path& p) : path_(p), f_(std::fopen(p.c_str(), "wb")) {
    if (!f_) fail();
  }
  ~Out() {
    if (f_) std::fclose(f_);
  }
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;

  template <typename... Args>
  void print(fmt::format_string<Args...> f, Args&&... args) {
    fmt::format_to(std::back_inserter(buf_), f, std::forward<Args>(args)...);
    if (buf_.size() >= (1u << 20)) flush();
  }
  void close() {
    flush();
    if (std::fclose(f_) != 0) {
      f_ = nullptr;
      fail();
    }
    f_ = nullptr;
  }
  std::size_t bytes() const { return written_; }

 private:
  void flush() {
    if (!buf_.size()) return;
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) fail();
    written_ += buf_.size();
    buf_.clear();
  }
  [[noreturn]] void fail() {
    std::fprintf(stderr, "gen: cannot write %s: %s\n", path_.c_str(), std::strerror(errno));
    std::exit(1);
  }
  std::filesystem::path path_;
  std::FILE* f_;
  fmt::memory_buffer buf_;
  std::size_t written_ = 0;
};

const char* index_columns(int variant) {
  switch (variant) {
    case 0: return "status, created_at";
    case 1: return "due_at";
    case 2: return "title, qty";
    default: return "total";
  }
}
const char* index_name_part(int variant) {
  switch (variant) {
    case 0: return "status_created_at";
    case 1: return "due_at";
    case 2: return "title_qty";
    default: return "total";
  }
}

void write_packdb(const std::filesystem::path& path, const std::vector<Table>& ts) {
  Out o(path);
  o.print("// bench.packdb — a synthetic spec of {} tables written by bench/gen (deterministic).\n", ts.size());
  o.print("pack bench version \"1.0.0\" {{\n");
  o.print("  description \"Synthetic spec for packdbc's benchmark\"\n");
  o.print("  target supabase\n");
  o.print("  date \"2025-01-01\"\n");
  o.print("}}\n\n");
  o.print("need multi_user \"every root table belongs to a user\"\n");
  o.print("need relations  \"tables point at each other through foreign keys\"\n");
  o.print("need querying   \"each table is read by a declared query\"\n\n");
  for (const Enum& e : enums()) o.print("enum {} {{ {} }}\n", e.name, fmt::join(e.values, " "));
  o.print("\n");
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const Table& t = ts[i];
    const Enum& en = enums()[t.enum_index];
    o.print("table {} \"Synthetic table {} of {}\"", t.name, i, ts.size());
    if (t.parent < 0) o.print(" owned by user {{\n");
    else o.print(" in {} {{\n", ts[static_cast<std::size_t>(t.parent)].name);
    o.print("  title   text\n");
    o.print("  qty     int = 0\n");
    o.print("  total   bigint?\n");
    o.print("  active  boolean = true\n");
    o.print("  due_at  timestamptz?\n");
    o.print("  meta    jsonb = '{{}}'\n");
    o.print("  amount  numeric(12, 2) = 0\n");
    o.print("  status  {} = {}\n", en.name, en.values[0]);
    if (t.ref >= 0)
      o.print("  {} uuid{} references {}{}\n", ref_column(ts, t), ref_nullable(t) ? "?" : "",
              ts[static_cast<std::size_t>(t.ref)].name, packdb_on_delete(t.on_delete));
    o.print("\n  index ({}){}\n}}\n", index_columns(t.index_variant), t.index_variant == 3 ? " using hash" : "");
    // One read per table, served by an index, so every table is reached by something.
    switch (t.index_variant) {
      case 0: o.print("query {0}_by_status = {0} where status = $status order by created_at desc limit 50\n", t.name); break;
      case 1: o.print("query {0}_due = {0} order by due_at limit 50\n", t.name); break;
      case 2: o.print("query {0}_by_title = {0} where title = $title order by qty desc\n", t.name); break;
      default:
        if (t.parent < 0) o.print("query {0}_mine = {0} where owner = me\n", t.name);
        else o.print("query {0}_of_parent = {0} where {1} = $parent\n", t.name, ts[static_cast<std::size_t>(t.parent)].name);
    }
    o.print("\n");
  }
  o.close();
}

void write_dbml(const std::filesystem::path& path, const std::vector<Table>& ts) {
  Out o(path);
  o.print("// bench.dbml — the schema of bench.packdb ({} tables) in DBML, written by bench/gen.\n", ts.size());
  o.print("// It includes the columns, keys and indexes packdbc adds by convention, so that\n");
  o.print("// `dbml2sql --postgres` and `packdbc compile` build the same tables.\n");
  o.print("Project bench {{\n  database_type: 'PostgreSQL'\n  Note: 'Synthetic spec for packdbc benchmark'\n}}\n\n");
  o.print("// Supabase's auth.users exists already; this stub only lets the owner references resolve.\n");
  o.print("Table auth.users {{\n  id uuid [pk]\n}}\n\n");
  for (const Enum& e : enums()) {
    o.print("Enum {} {{\n", e.name);
    for (const char* v : e.values) o.print("  {}\n", v);
    o.print("}}\n\n");
  }
  std::vector<std::string> refs;  // standalone Refs: those with a delete action other than the default
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const Table& t = ts[i];
    const Enum& en = enums()[t.enum_index];
    o.print("Table {} {{\n", t.name);
    o.print("  id uuid [pk, not null, default: `gen_random_uuid()`]\n");
    std::string fk_col;  // the owner or parent column: every foreign key gets an index
    if (t.parent < 0) {
      fk_col = "user_id";
      o.print("  user_id uuid [not null, default: `auth.uid()`]\n");
      refs.push_back(fmt::format("Ref: {}.user_id > auth.users.id [delete: cascade]", t.name));
    } else {
      const Table& p = ts[static_cast<std::size_t>(t.parent)];
      fk_col = p.singular + "_id";
      o.print("  {} uuid [not null]\n", fk_col);
      refs.push_back(fmt::format("Ref: {}.{} > {}.id [delete: cascade]", t.name, fk_col, p.name));
    }
    o.print("  title text [not null]\n");
    o.print("  qty integer [not null, default: 0]\n");
    o.print("  total bigint [null]\n");
    o.print("  active boolean [not null, default: true]\n");
    o.print("  due_at timestamptz [null]\n");
    o.print("  meta jsonb [not null, default: `'{{}}'::jsonb`]\n");
    o.print("  amount numeric(12,2) [not null, default: 0]\n");
    o.print("  status {} [not null, default: '{}']\n", en.name, en.values[0]);
    std::string ref_col;
    if (t.ref >= 0) {
      const Table& r = ts[static_cast<std::size_t>(t.ref)];
      ref_col = ref_column(ts, t);
      const char* nullity = ref_nullable(t) ? "null" : "not null";
      if (t.on_delete == OnDelete::no_action) {
        // NO ACTION is PostgreSQL's default, which packdbc leaves implicit: the inline form says the same.
        o.print("  {} uuid [{}, ref: > {}.id]\n", ref_col, nullity, r.name);
      } else {
        o.print("  {} uuid [{}]\n", ref_col, nullity);
        refs.push_back(fmt::format("Ref: {}.{} > {}.id [delete: {}]", t.name, ref_col, r.name, dbml_on_delete(t.on_delete)));
      }
    }
    o.print("  created_at timestamptz [not null, default: `now()`]\n");
    o.print("  updated_at timestamptz [not null, default: `now()`]\n");
    o.print("\n  Note: 'Synthetic table {} of {}'\n", i, ts.size());
    o.print("\n  indexes {{\n");
    if (t.index_variant == 3) o.print("    total [type: hash, name: '{}_total_idx']\n", t.name);
    else o.print("    ({}) [name: '{}_{}_idx']\n", index_columns(t.index_variant), t.name, index_name_part(t.index_variant));
    o.print("    {} [name: '{}_{}_idx']\n", fk_col, t.name, fk_col);
    if (!ref_col.empty()) o.print("    {} [name: '{}_{}_idx']\n", ref_col, t.name, ref_col);
    o.print("  }}\n}}\n\n");
  }
  for (const auto& r : refs) o.print("{}\n", r);
  o.close();
}

// A positive decimal integer up to kMaxTables, digits only.
bool parse_count(const char* s, long& out) {
  if (!*s || std::strlen(s) > 7) return false;
  long v = 0;
  for (const char* p = s; *p; ++p) {
    if (*p < '0' || *p > '9') return false;
    v = v * 10 + (*p - '0');
  }
  if (v < 1 || v > kMaxTables) return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "--help") == 0)) {
    usage(stdout);
    return 0;
  }
  if (argc != 3) {
    std::fprintf(stderr, "gen: expected 2 arguments, got %d\n", argc - 1);
    usage(stderr);
    return kExitUsage;
  }
  long n = 0;
  if (!parse_count(argv[1], n)) {
    std::fprintf(stderr, "gen: N must be a whole number from 1 to %ld, not `%s`\n", kMaxTables, argv[1]);
    usage(stderr);
    return kExitUsage;
  }
  if (!*argv[2]) {
    std::fputs("gen: DIR must not be empty\n", stderr);
    usage(stderr);
    return kExitUsage;
  }
  namespace fs = std::filesystem;
  fs::path dir(argv[2]);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    std::fprintf(stderr, "gen: cannot create folder %s: %s\n", dir.c_str(),
                 ec ? ec.message().c_str() : "a file of that name exists");
    return 1;
  }
  std::vector<Table> ts = design(n);
  write_packdb(dir / "bench.packdb", ts);
  write_dbml(dir / "bench.dbml", ts);
  std::printf("gen: wrote %s and %s (%ld tables)\n", (dir / "bench.packdb").c_str(), (dir / "bench.dbml").c_str(), n);
  return 0;
}
