#include "compiler/migrate/ledger.hpp"
#include "compiler/plan/evolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace packdb::migrate {
namespace fs = std::filesystem;

const char* state_name(State s) {
  switch (s) {
    case State::applied: return "applied";
    case State::pending: return "pending";
    case State::changed: return "changed";
    case State::missing: return "missing";
  }
  return "?";
}

Failure from_db(const db::Error& err, const std::string& doing) {
  std::string msg = doing.empty() ? err.message : doing + ": " + err.message;
  return {db::error_code(err.kind), msg, err.detail, err.help};
}

const MigrationFile* Folder::find(const std::string& version) const {
  for (const auto& m : migrations)
    if (m.version == version) return &m;
  return nullptr;
}

std::string read_file(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  if (!ok) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<Folder> read_folder(const std::string& dir, Failure& fail) {
  Folder f;
  f.dir = dir;
  const fs::path mig = fs::path(dir) / "supabase" / "migrations";
  std::error_code ec;
  if (!fs::is_directory(mig, ec)) {
    fail = {"M0001", fmt::format("{} has no supabase/migrations folder", dir), "",
            "pass --dir the folder that `packdbc compile -o DIR` wrote"};
    return std::nullopt;
  }
  static const std::regex name_re("^([0-9]+)_(.*)\\.sql$");  // the Supabase CLI's rule
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(mig, ec))
    if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::set<std::string> versions;
  for (const auto& p : files) {
    std::smatch m;
    const std::string base = p.filename().string();
    if (!std::regex_match(base, m, name_re)) {
      fail = {"M0001", fmt::format("migration file {} is not named <version>_<name>.sql", p.string()), "",
              "the version is the digits before the first `_`, as the Supabase CLI reads it"};
      return std::nullopt;
    }
    MigrationFile mf;
    mf.version = m[1];
    mf.name = m[2];
    mf.file = base;
    mf.path = p.string();
    if (!versions.insert(mf.version).second) {
      fail = {"M0001", fmt::format("two migration files in {} share version {}", mig.string(), mf.version), "",
              "each migration needs its own version"};
      return std::nullopt;
    }
    bool ok = false;
    mf.sql = read_file(mf.path, ok);
    if (!ok) {
      fail = {"M0001", fmt::format("cannot read {}", mf.path), "", ""};
      return std::nullopt;
    }
    mf.sha256 = sha256_hex(mf.sql);
    fs::path down = fs::path(dir) / "supabase" / "rollback" / (mf.version + "_" + mf.name + ".down.sql");
    if (fs::is_regular_file(down, ec)) mf.down_path = down.string();
    f.migrations.push_back(std::move(mf));
  }
  std::sort(f.migrations.begin(), f.migrations.end(), [](const auto& a, const auto& b) {
    // numeric order: shorter digit strings first, then lexicographic (as the CLI sorts)
    return a.version.size() != b.version.size() ? a.version.size() < b.version.size() : a.version < b.version;
  });
  const fs::path tests = fs::path(dir) / "supabase" / "tests";
  if (fs::is_directory(tests, ec)) {
    for (const auto& e : fs::directory_iterator(tests, ec))
      if (e.is_regular_file() && e.path().extension() == ".sql") f.tests.push_back(e.path().string());
    std::sort(f.tests.begin(), f.tests.end());
  }
  return f;
}

// ---- SHA-256 (FIPS 180-4) -----------------------------------------------------------------------
std::string sha256_hex(const std::string& data) {
  static constexpr std::array<uint32_t, 64> k = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
      0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
      0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
      0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
      0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
      0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string msg = data;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  msg += static_cast<char>(0x80);
  while (msg.size() % 64 != 56) msg += '\0';
  for (int i = 7; i >= 0; --i) msg += static_cast<char>((bits >> (i * 8)) & 0xff);
  auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const unsigned char*>(msg.data() + off + i * 4);
      w[i] = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
    }
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      uint32_t ch = (e & f) ^ (~e & g);
      uint32_t t1 = hh + S1 + ch + k[i] + w[i];
      uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint32_t t2 = S0 + maj;
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  std::string out;
  for (uint32_t v : h) out += fmt::format("{:08x}", v);
  return out;
}

// ---- statements ------------------------------------------------------------------------------------
std::vector<std::string> split_statements(const std::string& sql) {
  std::vector<std::string> out;
  for (auto& s : statements_of(sql)) out.push_back(std::move(s.text));
  return out;
}

std::vector<Statement> statements_of(const std::string& sql) {
  std::vector<Statement> out;
  std::string cur;       // sql[start, i): every branch below appends exactly what it consumes
  std::size_t start = 0;
  auto flush = [&] {
    std::size_t b = cur.find_first_not_of(" \t\r\n");
    std::size_t e = cur.find_last_not_of(" \t\r\n");
    std::string s = b == std::string::npos ? "" : cur.substr(b, e - b + 1);
    // a statement of comments alone is no statement
    const std::string& probe = s;
    bool only_comments = true;
    std::size_t code = 0;
    for (std::size_t i = 0; i < probe.size();) {
      if (std::isspace(static_cast<unsigned char>(probe[i]))) { ++i; continue; }
      if (probe.compare(i, 2, "--") == 0) { i = probe.find('\n', i); if (i == std::string::npos) break; continue; }
      if (probe.compare(i, 2, "/*") == 0) { i = probe.find("*/", i); if (i == std::string::npos) break; i += 2; continue; }
      only_comments = false;
      code = i;
      break;
    }
    if (!s.empty() && !only_comments) out.push_back({s, start + b, start + b + code});
    cur.clear();
  };
  const std::size_t n = sql.size();
  for (std::size_t i = 0; i < n;) {
    char c = sql[i];
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      std::size_t e = sql.find('\n', i);
      e = e == std::string::npos ? n : e;
      cur.append(sql, i, e - i);
      i = e;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;
      std::size_t j = i;
      do {
        if (sql.compare(j, 2, "/*") == 0) ++depth, j += 2;
        else if (sql.compare(j, 2, "*/") == 0) --depth, j += 2;
        else ++j;
      } while (depth > 0 && j < n);
      cur.append(sql, i, j - i);
      i = j;
    } else if (c == '\'' || c == '"') {
      bool esc = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e');
      std::size_t j = i + 1;
      while (j < n) {
        if (esc && sql[j] == '\\') { j += 2; continue; }
        if (sql[j] == c) {
          if (j + 1 < n && sql[j + 1] == c) { j += 2; continue; }
          break;
        }
        ++j;
      }
      j = std::min(j + 1, n);
      cur.append(sql, i, j - i);
      i = j;
    } else if (c == '$' && (i == 0 || !(std::isalnum(static_cast<unsigned char>(sql[i - 1])) || sql[i - 1] == '_'))) {
      std::size_t j = i + 1;
      while (j < n && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
      if (j < n && sql[j] == '$' && !(j > i + 1 && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
        const std::string tag = sql.substr(i, j - i + 1);
        std::size_t close = sql.find(tag, j + 1);
        std::size_t e = close == std::string::npos ? n : close + tag.size();
        cur.append(sql, i, e - i);
        i = e;
      } else {
        cur += c;
        ++i;
      }
    } else if (c == ';') {
      flush();
      ++i;
      start = i;
    } else {
      cur += c;
      ++i;
    }
  }
  flush();
  return out;
}

bool run_statements(db::Connection& c, const std::string& sql, db::Error& err, int& line) {
  line = 0;
  for (const auto& st : statements_of(sql)) {
    if (c.run_script(st.text, err)) continue;
    std::size_t at = st.code;
    if (int pos = c.script_position(); pos > 0) {
      // the position counts characters of the statement: find its byte
      int chars = 0;
      for (std::size_t i = 0; i < st.text.size(); ++i) {
        if ((static_cast<unsigned char>(st.text[i]) & 0xC0) == 0x80) continue;
        if (++chars == pos) {
          at = st.offset + i;
          break;
        }
      }
    }
    line = 1 + static_cast<int>(std::count(sql.begin(), sql.begin() + static_cast<std::ptrdiff_t>(std::min(at, sql.size())), '\n'));
    return false;
  }
  return true;
}

int line_of(const std::string& sql, int position) {
  if (position <= 0) return 0;
  // the position counts characters, not bytes: skip UTF-8 continuation bytes
  int line = 1, chars = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) == 0x80) continue;
    if (++chars >= position) break;
    if (sql[i] == '\n') ++line;
  }
  return line;
}

// ---- the ledger -------------------------------------------------------------------------------------
std::optional<std::vector<Applied>> read_ledger(db::Connection& c, db::Error& err) {
  auto r = c.query("the migration ledger",
                   "select to_regclass('supabase_migrations.schema_migrations') is not null, "
                   "to_regclass('supabase_migrations.packdbc_checksums') is not null",
                   err);
  if (!r) return std::nullopt;
  std::vector<Applied> out;
  if (!r->boolean(0, 0)) return out;
  const bool sums = r->boolean(0, 1);
  // The CLI added `statements` and `name` later: a ledger written by an old CLI may lack them.
  auto cols = c.query("the migration ledger",
                      "select count(*) filter (where attname = 'name'), count(*) filter (where attname = 'statements') "
                      "from pg_attribute where attrelid = 'supabase_migrations.schema_migrations'::regclass "
                      "and not attisdropped",
                      err);
  if (!cols) return std::nullopt;
  const std::string name = cols->integer(0, 0) ? "coalesce(m.name, '')" : "''";
  const std::string stmts = cols->integer(0, 1) ? "coalesce(cardinality(m.statements), 0)" : "0";
  std::string sql = fmt::format(
      "select m.version, {}, {}, {}, {} from supabase_migrations.schema_migrations m {} order by length(m.version), m.version",
      name, sums ? "coalesce(k.sha256, '')" : "''",
      sums ? "coalesce(to_char(k.applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '')" : "''", stmts,
      sums ? "left join supabase_migrations.packdbc_checksums k on k.version = m.version" : "");
  auto rows = c.query("the migration ledger", sql, err);
  if (!rows) return std::nullopt;
  for (int i = 0; i < rows->rows(); ++i)
    out.push_back({rows->text(i, 0), rows->text(i, 1), rows->text(i, 2), rows->text(i, 3),
                   static_cast<int>(rows->integer(i, 4))});
  return out;
}

bool ensure_ledger(db::Connection& c, db::Error& err) {
  // Exactly the Supabase CLI's statements, so either tool can create the ledger first.
  return c.run_script(
      "CREATE SCHEMA IF NOT EXISTS supabase_migrations;\n"
      "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);\n"
      "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];\n"
      "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text;\n"
      "CREATE TABLE IF NOT EXISTS supabase_migrations.packdbc_checksums (\n"
      "  version text NOT NULL PRIMARY KEY,\n"
      "  sha256 text NOT NULL,\n"
      "  applied_at timestamptz NOT NULL DEFAULT now(),\n"
      "  applied_by text NOT NULL DEFAULT current_user\n"
      ");\n",
      err);
}

bool record_applied(db::Connection& c, const MigrationFile& m, db::Error& err) {
  std::string arr = "{";
  for (const auto& s : split_statements(m.sql)) {
    if (arr.size() > 1) arr += ',';
    arr += '"';
    for (char ch : s) {
      if (ch == '"' || ch == '\\') arr += '\\';
      arr += ch;
    }
    arr += '"';
  }
  arr += '}';
  return c.query("recording the migration",
                 "insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3::text[])",
                 err, {m.version, m.name, arr})
             .has_value() &&
         c.query("recording the checksum",
                 "insert into supabase_migrations.packdbc_checksums (version, sha256) values ($1, $2) "
                 "on conflict (version) do update set sha256 = excluded.sha256, applied_at = now(), "
                 "applied_by = current_user",
                 err, {m.version, m.sha256})
             .has_value();
}

bool remove_applied(db::Connection& c, const std::string& version, db::Error& err) {
  if (!c.query("updating the ledger", "delete from supabase_migrations.schema_migrations where version = $1", err,
               {version}))
    return false;
  auto r = c.query("updating the ledger", "select to_regclass('supabase_migrations.packdbc_checksums') is not null", err);
  if (!r) return false;
  if (r->boolean(0, 0) &&
      !c.query("updating the ledger", "delete from supabase_migrations.packdbc_checksums where version = $1", err,
               {version}))
    return false;
  return true;
}

std::vector<Entry> compare(const Folder& f, const std::vector<Applied>& ledger) {
  std::map<std::pair<std::size_t, std::string>, Entry> all;  // numeric order of versions
  auto key = [](const std::string& v) { return std::make_pair(v.size(), v); };
  for (const auto& m : f.migrations) {
    Entry e;
    e.version = m.version, e.name = m.name, e.file = &m, e.state = State::pending;
    all[key(m.version)] = e;
  }
  for (const auto& a : ledger) {
    auto it = all.find(key(a.version));
    if (it == all.end()) {
      Entry e;
      e.version = a.version, e.name = a.name, e.state = State::missing, e.applied_at = a.applied_at;
      e.checksum = !a.sha256.empty();
      all[key(a.version)] = e;
      continue;
    }
    Entry& e = it->second;
    e.applied_at = a.applied_at;
    e.checksum = !a.sha256.empty();
    e.state = a.sha256.empty() || a.sha256 == e.file->sha256 ? State::applied : State::changed;
  }
  std::vector<Entry> out;
  for (auto& [k, e] : all) out.push_back(e);
  return out;
}

// ---- the lock ----------------------------------------------------------------------------------------
bool take_lock(db::Connection& c, int wait_seconds, bool& waited, Failure& fail) {
  waited = false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  const std::string key = std::to_string(kLockKey);
  for (;;) {
    db::Error err;
    auto r = c.query("the migration lock", "select pg_try_advisory_lock($1::bigint)", err, {key});
    if (!r) {
      fail = from_db(err);
      return false;
    }
    if (r->boolean(0, 0)) return true;
    waited = true;
    if (std::chrono::steady_clock::now() >= until) {
      auto who = c.query("the migration lock",
                         "select coalesce(string_agg(format('pid %s (%s, %s)', a.pid, a.usename, a.application_name), "
                         "', '), '') from pg_locks l join pg_stat_activity a on a.pid = l.pid "
                         "where l.locktype = 'advisory' and l.granted "
                         "and ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint",
                         err, {key});
      fail = {"M0004",
              fmt::format("another packdbc run holds the migration lock on {} (waited {}s)", c.database(), wait_seconds),
              who && !who->text(0, 0).empty() ? "held by " + who->text(0, 0) : "",
              "wait for it to finish, or raise --lock-wait; a crashed run's lock goes away with its connection"};
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void release_lock(db::Connection& c) {
  db::Error err;
  c.query("the migration lock", "select pg_advisory_unlock($1::bigint)", err, {std::to_string(kLockKey)});
}

bool set_timeouts(db::Connection& c, const Timeouts& t, db::Error& err, bool local) {
  return c.query("setting timeouts",
                 local ? "select set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)"
                       : "select set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)",
                 err, {t.lock_timeout, t.statement_timeout})
      .has_value();
}

bool runs_outside_transaction(const std::string& sql) { return sql.rfind(plan::kNoTransactionMarker, 0) == 0; }

}  // namespace packdb::migrate
