#include "compiler/migrate/apply.hpp"

#include <fmt/format.h>

#include <chrono>

namespace packdb::migrate {
namespace {

std::string short_sha(const std::string& s) { return s.substr(0, 12); }

std::string line_text(const std::string& sql, int line) {
  std::size_t b = 0;
  for (int l = 1; l < line && b != std::string::npos; ++l) {
    b = sql.find('\n', b);
    if (b != std::string::npos) ++b;
  }
  if (b == std::string::npos) return "";
  std::size_t e = sql.find('\n', b);
  std::string t = sql.substr(b, e == std::string::npos ? std::string::npos : e - b);
  while (!t.empty() && (t.back() == '\r' || t.back() == ' ')) t.pop_back();
  if (t.size() > 100) t = t.substr(0, 97) + "...";
  return t;
}

}  // namespace

Failure script_failure(const std::string& code, const std::string& what, const std::string& file,
                       const std::string& sql, int line, const db::Error& err, const db::Connection& c) {
  if (err.kind == db::ErrorKind::unreachable) {
    return {"M0007", fmt::format("the connection to the database server was lost while running {} {}", what, file),
            err.detail.empty() ? err.message : err.detail,
            "its transaction was not committed, so the server rolls it back; check `packdbc status` and run again"};
  }
  std::string where = line ? fmt::format("{}:{}", file, line) : file;
  std::string detail = err.detail;
  if (line) detail = fmt::format("line {}: {}{}", line, line_text(sql, line), detail.empty() ? "" : "\n  " + detail);
  if (!c.script_sqlstate().empty())
    detail += fmt::format("{}SQLSTATE {}", detail.empty() ? "" : "\n  ", c.script_sqlstate());
  return {code, fmt::format("{} failed at {}: {}", what, where, err.message), detail, ""};
}

std::optional<std::vector<Entry>> checked_state(db::Connection& c, const Folder& f, bool allow_changed,
                                                Failure& fail) {
  db::Error err;
  auto ledger = read_ledger(c, err);
  if (!ledger) {
    fail = from_db(err);
    return std::nullopt;
  }
  auto entries = compare(f, *ledger);
  std::vector<std::string> changed, missing;
  for (const auto& e : entries) {
    if (e.state == State::changed)
      changed.push_back(fmt::format("{} (file now sha256 {}…)", e.file->file, short_sha(e.file->sha256)));
    if (e.state == State::missing) missing.push_back(e.version + (e.name.empty() ? "" : "_" + e.name));
  }
  if (!changed.empty() && !allow_changed) {
    fail = {"M0002",
            fmt::format("{} applied migration{} changed since {} applied: {}", changed.size(),
                        changed.size() == 1 ? "" : "s", changed.size() == 1 ? "it was" : "they were",
                        fmt::format("{}", fmt::join(changed, ", "))),
            "the database holds what the file said when it was applied; the checksum recorded then differs",
            "restore the file as it was applied (git), and put the change in a new migration"};
    return std::nullopt;
  }
  if (!missing.empty()) {
    fail = {"M0003",
            fmt::format("the database has applied migration{} that {} has no file for: {}", missing.size() == 1 ? "" : "s",
                        f.dir + "/supabase/migrations", fmt::format("{}", fmt::join(missing, ", "))),
            "", "compile into the folder the database was migrated from, or restore the missing files"};
    return std::nullopt;
  }
  return entries;
}

ApplyReport apply_pending(db::Connection& c, const Folder& f, const ApplyOptions& o,
                          const std::function<void(const std::string&)>& progress) {
  ApplyReport rep;
  auto say = [&](const std::string& s) {
    if (progress) progress(s);
  };
  if (!take_lock(c, o.lock_wait, rep.waited_for_lock, rep.failure)) return rep;
  struct Unlock {
    db::Connection& c;
    ~Unlock() { release_lock(c); }
  } unlock{c};

  auto entries = checked_state(c, f, false, rep.failure);
  if (!entries) return rep;
  std::string last_applied;
  std::vector<const MigrationFile*> pending;
  for (const auto& e : *entries) {
    if (e.state == State::pending) pending.push_back(e.file);
    else {
      ++rep.already_applied;
      last_applied = e.version;
    }
  }
  // The Supabase CLI refuses to apply a file older than the last applied one; so do we.
  std::vector<std::string> early;
  for (const auto* m : pending)
    if (!last_applied.empty() && (m->version.size() < last_applied.size() ||
                                  (m->version.size() == last_applied.size() && m->version < last_applied)))
      early.push_back(m->file);
  if (!early.empty()) {
    rep.failure = {"M0005",
                   fmt::format("pending migration{} older than the last applied one ({}): {}", early.size() == 1 ? "" : "s",
                               last_applied, fmt::format("{}", fmt::join(early, ", "))),
                   "applying it now would run it after migrations that were written after it",
                   "give the migration a version after " + last_applied + " (compile again with a later --date)"};
    return rep;
  }

  db::Error err;
  if (o.dry_run) {
    if (!c.exec("begin", err)) {
      rep.failure = from_db(err);
      return rep;
    }
    if (!set_timeouts(c, o.timeouts, err) || !ensure_ledger(c, err)) {
      rep.failure = from_db(err, "preparing the dry run");
      c.exec("rollback", err);
      return rep;
    }
  }
  for (const auto* m : pending) {
    const bool outside = runs_outside_transaction(m->sql);
    if (outside && o.dry_run) {
      // `create index concurrently` cannot run in the dry run's transaction; nothing to try.
      say(fmt::format("not trying {} (it runs outside a transaction)", m->file));
      continue;
    }
    say(fmt::format("{} {}", o.dry_run ? "trying" : "applying", m->file));
    auto t0 = std::chrono::steady_clock::now();
    bool ok = true;
    if (outside) {
      ok = set_timeouts(c, o.timeouts, err, false);
      if (!ok) {
        rep.failure = from_db(err, "setting the timeouts for " + m->file);
        rep.failed_version = m->version;
        return rep;
      }
    } else if (!o.dry_run) {
      ok = c.exec("begin", err) && set_timeouts(c, o.timeouts, err) && ensure_ledger(c, err);
      if (!ok) {
        rep.failure = from_db(err, "starting the transaction for " + m->file);
        if (c.alive()) c.exec("rollback", err);
        rep.failed_version = m->version;
        return rep;
      }
    }
    int line = 0;
    if (!run_statements(c, m->sql, err, line)) {
      rep.failure = script_failure("M0006", "migration", m->file, m->sql, line, err, c);
      rep.failed_version = m->version;
      db::Error ignore;
      if (c.alive() && !outside) c.exec("rollback", ignore);
      if (rep.failure.code == "M0006")
        rep.failure.help = o.dry_run  ? "nothing was changed (dry run)"
                           : outside ? "the migration runs outside a transaction: its statements before the failing "
                                       "one took effect, and it is not recorded as applied; fix the cause and run "
                                       "again (its statements can run twice)"
                                     : "the migration was rolled back: the database and the ledger are as before it; "
                                       "fix the migration and run again";
      return rep;
    }
    if (outside && !(c.exec("begin", err) && ensure_ledger(c, err))) {
      rep.failure = from_db(err, "recording " + m->file + " in the ledger");
      rep.failed_version = m->version;
      return rep;
    }
    if (!record_applied(c, *m, err)) {
      rep.failure = from_db(err, "recording " + m->file + " in the ledger");
      rep.failed_version = m->version;
      db::Error ignore;
      if (c.alive()) c.exec("rollback", ignore);
      return rep;
    }
    if ((!o.dry_run || outside) && !c.exec("commit", err)) {
      rep.failure = from_db(err, "committing " + m->file);
      rep.failed_version = m->version;
      if (err.kind == db::ErrorKind::unreachable) {
        rep.failure.code = "M0007";
        rep.failure.help = "the connection broke during COMMIT: whether it was applied is unknown until you run "
                           "`packdbc status` (the ledger row commits together with the migration, so status tells the truth)";
      }
      return rep;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    rep.applied.push_back({m->version, m->name, m->file, static_cast<int>(split_statements(m->sql).size()), ms});
  }
  if (o.dry_run) {
    if (!c.exec("rollback", err)) rep.failure = from_db(err, "ending the dry run");
  }
  return rep;
}

}  // namespace packdb::migrate
