#include "compiler/migrate/rollback.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <regex>

namespace packdb::migrate {
namespace {

std::string strip_comments(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "--") == 0) {
      i = s.find('\n', i);
      if (i == std::string::npos) break;
    } else if (s.compare(i, 2, "/*") == 0) {
      i = s.find("*/", i);
      if (i == std::string::npos) break;
      i += 2;
      out += ' ';
    } else {
      out += s[i++];
    }
  }
  return out;
}

bool version_after(const std::string& a, const std::string& b) {  // a > b numerically
  return a.size() != b.size() ? a.size() > b.size() : a > b;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> renamed_tables(const std::string& sql) {
  static const std::regex rename_re(R"(^\s*alter\s+table\s+(if\s+exists\s+)?(\S+)\s+rename\s+to\s+(\S+)\s*$)",
                                    std::regex::icase);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& stmt : split_statements(sql)) {
    std::string s = strip_comments(stmt);
    std::smatch m;
    if (!std::regex_match(s, m, rename_re)) continue;
    std::string from = m[2], to = m[3];
    auto dot = from.rfind('.');
    out.push_back({from, dot == std::string::npos ? to : from.substr(0, dot + 1) + to});
  }
  return out;
}

std::vector<std::string> dropped_tables(const std::string& sql) {
  static const std::regex drop_re(R"(^\s*drop\s+table\s+(if\s+exists\s+)?([\s\S]+?)(\s+(cascade|restrict))?\s*$)",
                                  std::regex::icase);
  std::vector<std::string> out;
  for (const auto& stmt : split_statements(sql)) {
    std::string s = strip_comments(stmt);
    std::smatch m;
    if (!std::regex_match(s, m, drop_re)) continue;
    std::string list = m[2];
    // split at commas outside double quotes
    std::string cur;
    bool q = false;
    for (char ch : list) {
      if (ch == '"') q = !q;
      if (ch == ',' && !q) {
        out.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    out.push_back(cur);
  }
  for (auto& t : out) {
    std::size_t b = t.find_first_not_of(" \t\r\n"), e = t.find_last_not_of(" \t\r\n");
    t = b == std::string::npos ? "" : t.substr(b, e - b + 1);
  }
  std::erase(out, std::string());
  return out;
}

RollbackReport roll_back(db::Connection& c, const Folder& f, const RollbackOptions& o,
                         const std::function<void(const std::string&)>& progress) {
  RollbackReport rep;
  auto say = [&](const std::string& s) {
    if (progress) progress(s);
  };
  if (!take_lock(c, o.lock_wait, rep.waited_for_lock, rep.failure)) return rep;
  struct Unlock {
    db::Connection& c;
    ~Unlock() { release_lock(c); }
  } unlock{c};

  auto entries = checked_state(c, f, true, rep.failure);
  if (!entries) return rep;
  std::vector<const Entry*> applied;
  for (const auto& e : *entries)
    if (e.state != State::pending) applied.push_back(&e);
  std::reverse(applied.begin(), applied.end());  // newest first

  std::vector<const Entry*> targets;
  if (!o.to.empty()) {
    bool known = o.to == "0" || std::any_of(entries->begin(), entries->end(), [&](const Entry& e) {
                   return e.version == o.to && e.state != State::pending;
                 });
    if (!known) {
      rep.failure = {"M0008", fmt::format("--to {}: no applied migration has that version", o.to), "",
                     "name an applied version (see `packdbc status`), or 0 to roll back everything"};
      return rep;
    }
    for (const auto* e : applied)
      if (version_after(e->version, o.to)) targets.push_back(e);
  } else {
    for (int i = 0; i < o.last && i < static_cast<int>(applied.size()); ++i) targets.push_back(applied[i]);
  }
  rep.still_applied = static_cast<int>(applied.size());

  // Every down script must exist before any runs.
  std::vector<std::string> no_down;
  std::vector<std::string> scripts;
  for (const auto* e : targets) {
    if (!e->file || e->file->down_path.empty()) {
      no_down.push_back(e->file ? e->file->file : e->version);
      scripts.emplace_back();
      continue;
    }
    bool ok = false;
    scripts.push_back(read_file(e->file->down_path, ok));
    if (!ok) no_down.push_back(e->file->down_path);
  }
  if (!no_down.empty()) {
    rep.failure = {"M0009",
                   fmt::format("no down script for {}", fmt::format("{}", fmt::join(no_down, ", "))),
                   "expected " + f.dir + "/supabase/rollback/<version>_<name>.down.sql",
                   "compile the spec again into this folder; nothing was rolled back"};
    return rep;
  }

  // Data the down scripts would drop: counted now, before anything runs.
  // A down script that renames a table back (an evolution renamed it) changes the name the
  // later scripts drop it by: follow the renames, so the table is counted under its name now.
  db::Error err;
  std::map<std::string, std::string> named_now;  // name in a later script → name now
  auto now = [&](const std::string& n) {
    auto it = named_now.find(n);
    return it == named_now.end() ? n : it->second;
  };
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string down_file = targets[i]->file->version + "_" + targets[i]->file->name + ".down.sql";
    for (const auto& t : dropped_tables(scripts[i])) {
      auto r = c.query("the tables a down script drops",
                       "select (select format('%I.%I', n.nspname, k.relname) from pg_class k join pg_namespace n "
                       "on n.oid = k.relnamespace where k.oid = to_regclass($1))",
                       err, {now(t)});
      if (!r) {
        rep.failure = from_db(err);
        return rep;
      }
      if (r->null(0, 0)) continue;
      auto n = c.query("the tables a down script drops", "select count(*) from only " + r->text(0, 0), err);
      if (!n) {
        rep.failure = from_db(err);
        return rep;
      }
      if (n->integer(0, 0) > 0) rep.data_loss.push_back({down_file, r->text(0, 0), n->integer(0, 0)});
    }
    for (const auto& [from, to] : renamed_tables(scripts[i])) named_now[to] = now(from);
  }
  if (!rep.data_loss.empty() && !o.force) {
    std::vector<std::string> what;
    for (const auto& d : rep.data_loss)
      what.push_back(fmt::format("{} ({} row{}, {})", d.table, d.rows, d.rows == 1 ? "" : "s", d.file));
    rep.failure = {"M0010",
                   fmt::format("rolling back would drop {} holding rows: {}",
                               rep.data_loss.size() == 1 ? "a table" : "tables", fmt::format("{}", fmt::join(what, ", "))),
                   "nothing was rolled back",
                   "export the rows first if you need them, then run again with --force"};
    return rep;
  }

  for (std::size_t i = 0; i < targets.size(); ++i) {
    const MigrationFile& m = *targets[i]->file;
    const std::string down_file = m.version + "_" + m.name + ".down.sql";
    say(fmt::format("rolling back {}", m.file));
    auto t0 = std::chrono::steady_clock::now();
    const bool outside = runs_outside_transaction(scripts[i]);
    if (!(outside ? set_timeouts(c, o.timeouts, err, false) : c.exec("begin", err) && set_timeouts(c, o.timeouts, err))) {
      rep.failure = from_db(err, "starting the transaction for " + down_file);
      rep.failed_version = m.version;
      return rep;
    }
    int line = 0;
    if (!run_statements(c, scripts[i], err, line)) {
      rep.failure = script_failure("M0011", "down script", down_file, scripts[i], line, err, c);
      rep.failed_version = m.version;
      db::Error ignore;
      if (c.alive() && !outside) c.exec("rollback", ignore);
      if (rep.failure.code == "M0011")
        rep.failure.help = fmt::format(
            "its transaction was rolled back: {} is still applied and the ledger says so{}; fix the down script and run "
            "again",
            m.version,
            rep.rolled_back.empty() ? "" : fmt::format(" ({} rolled back before it)", rep.rolled_back.size()));
      return rep;
    }
    if ((outside && !c.exec("begin", err)) || !remove_applied(c, m.version, err) || !c.exec("commit", err)) {
      rep.failure = from_db(err, "updating the ledger for " + down_file);
      rep.failed_version = m.version;
      db::Error ignore;
      if (c.alive()) c.exec("rollback", ignore);
      return rep;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    rep.rolled_back.push_back({m.version, m.name, down_file, static_cast<int>(split_statements(scripts[i]).size()), ms});
    --rep.still_applied;
  }
  return rep;
}

}  // namespace packdb::migrate
