#include "compiler/migrate/smoke.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <set>

namespace packdb::migrate {
namespace {

constexpr const char* kUserA = "00000000-0000-4000-8000-00000000a11c";
constexpr const char* kUserB = "00000000-0000-4000-8000-000000000b0b";

std::string quote_ident(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::optional<std::vector<std::string>> snapshot(db::Connection& c, db::Error& err) {
  std::vector<std::string> lines;
  if (!c.run_script(catalog_snapshot_sql(), err, &lines)) return std::nullopt;
  return lines;
}

// Runs `sql` (returning one value) inside a savepoint; nothing on error (rolled back to it).
std::optional<std::string> try_value(db::Connection& c, const std::string& sql, std::string* error = nullptr) {
  db::Error err;
  if (!c.exec("savepoint probe", err)) return std::nullopt;
  std::vector<std::string> rows;
  if (!c.run_script(sql, err, &rows)) {
    if (error) *error = err.message;
    db::Error ignore;
    c.exec("rollback to savepoint probe", ignore);
    return std::nullopt;
  }
  c.exec("release savepoint probe", err);
  return rows.empty() ? std::string() : rows.back();
}

std::string act_as(const char* user) {
  return fmt::format(
      "set local role authenticated; select set_config('request.jwt.claim.sub', '{0}', true), "
      "set_config('request.jwt.claims', '{{\"sub\":\"{0}\",\"role\":\"authenticated\"}}', true), "
      "set_config('request.jwt.claim.role', 'authenticated', true);",
      user);
}

struct Probe {
  int probed = 0, skipped = 0;
  std::vector<std::string> leaks, skips;
};

Probe probe_rls(db::Connection& c, db::Error& err, bool& ran, std::string& why_not) {
  Probe p;
  ran = false;
  auto env = c.query("the Supabase environment",
                     "select to_regclass('auth.users') is not null and to_regprocedure('auth.uid()') is not null, "
                     "exists (select 1 from pg_roles where rolname = 'authenticated'), "
                     "exists (select 1 from pg_roles where rolname = 'anon')",
                     err);
  if (!env) return p;
  if (!env->boolean(0, 0) || !env->boolean(0, 1)) {
    why_not = "no auth.users / auth.uid() or no `authenticated` role (not a Supabase database)";
    return p;
  }
  const bool anon = env->boolean(0, 2);
  auto tables = c.query(
      "the tables to probe",
      "select c.oid::regclass::text, c.relrowsecurity, c.oid::text from pg_class c "
      "join pg_namespace n on n.oid = c.relnamespace "
      "where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'auth', "
      "'supabase_migrations', 'extensions', 'storage', 'realtime', 'vault', 'graphql', 'graphql_public', 'net', 'cron', "
      "'pgsodium') and n.nspname !~ '^pg_' and not c.relispartition "
      "and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid "
      "and d.deptype = 'e') order by 1",
      err);
  if (!tables) return p;
  if (!c.exec("begin", err)) return p;
  ran = true;
  db::Error ignore;
  if (!c.run_script(fmt::format("insert into auth.users (id) values ('{}'), ('{}')", kUserA, kUserB), err)) {
    c.exec("rollback", ignore);
    ran = false;
    why_not = "cannot create two users in auth.users: " + err.message;
    return p;
  }
  for (int t = 0; t < tables->rows(); ++t) {
    const std::string table = tables->text(t, 0), oid = tables->text(t, 2);
    const bool rls = tables->boolean(t, 1);
    if (!rls) {
      if (anon) {
        auto open = c.query("table privileges", "select has_table_privilege('anon', $1::oid, 'select')", err, {oid});
        if (open && open->boolean(0, 0)) p.leaks.push_back(table + ": row-level security is off and `anon` may select");
      }
      continue;
    }
    auto owner = c.query(
        "owner column",
        "select quote_ident(a.attname) from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid "
        "and a.attnum = k.conkey[1] where k.conrelid = $1::oid and k.contype = 'f' "
        "and k.confrelid = 'auth.users'::regclass and cardinality(k.conkey) = 1 "
        "order by (a.attname ~ '(owner|user)') desc, a.attnum limit 1",
        err, {oid});
    if (!owner) break;
    if (owner->rows() == 0) {
      ++p.skipped;
      p.skips.push_back(table + ": no column references auth.users");
      continue;
    }
    const std::string ocol = owner->text(0, 0);
    auto req = c.query(
        "required columns",
        "select quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), t.typcategory, t.typname, "
        "exists (select 1 from pg_constraint k where k.conrelid = a.attrelid and k.contype = 'f' "
        "and a.attnum = any (k.conkey)), "
        "(select e.enumlabel from pg_enum e where e.enumtypid = a.atttypid order by e.enumsortorder limit 1) "
        "from pg_attribute a join pg_type t on t.oid = a.atttypid "
        "where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped and a.attnotnull and not a.atthasdef "
        "and a.attidentity = '' and a.attgenerated = '' order by a.attnum",
        err, {oid});
    if (!req) break;
    std::vector<std::string> cols{ocol}, vals{fmt::format("'{}'", kUserA)};
    std::string cannot;
    for (int i = 0; i < req->rows() && cannot.empty(); ++i) {
      const std::string col = req->text(i, 0), type = req->text(i, 1), cat = req->text(i, 2), tname = req->text(i, 3);
      if (col == ocol) continue;
      std::string v;
      if (req->boolean(i, 4)) cannot = fmt::format("required column {} references another table", col);
      else if (cat == "E") v = "'" + req->text(i, 5) + "'";
      else if (cat == "S") v = "'smoke probe'";
      else if (cat == "N") v = "'1'";
      else if (cat == "B") v = "'false'";
      else if (cat == "D") v = "'now'";
      else if (cat == "A") v = "'{}'";
      else if (tname == "uuid") v = "'00000000-0000-4000-8000-000000000001'";
      else if (tname == "jsonb" || tname == "json") v = "'{}'";
      else cannot = fmt::format("cannot make a value of type {} for required column {}", type, col);
      if (cannot.empty()) {
        cols.push_back(col);
        vals.push_back(v + "::" + type);
      }
    }
    if (!cannot.empty()) {
      ++p.skipped;
      p.skips.push_back(table + ": " + cannot);
      continue;
    }
    std::string why;
    if (!try_value(c, fmt::format("insert into {} ({}) values ({}) returning 1", table, fmt::format("{}", fmt::join(cols, ", ")),
                                  fmt::format("{}", fmt::join(vals, ", "))),
                   &why)) {
      ++p.skipped;
      p.skips.push_back(table + ": cannot insert a probe row: " + why);
      continue;
    }
    ++p.probed;
    const std::string where = fmt::format("{} = '{}'", ocol, kUserA);
    auto as_b = [&](const std::string& sql) {
      auto v = try_value(c, act_as(kUserB) + sql);  // an error (permission denied) is no leak
      db::Error e2;
      c.exec("reset role", e2);
      return v ? std::stoll(v->empty() ? "0" : *v) : 0LL;
    };
    if (as_b(fmt::format("select count(*) from {} where {}", table, where)) > 0)
      p.leaks.push_back(table + ": a second user sees the first user's row");
    if (as_b(fmt::format("with u as (update {0} set {1} = {1} where {2} returning 1) select count(*) from u", table, ocol,
                         where)) > 0)
      p.leaks.push_back(table + ": a second user can update the first user's row");
    if (as_b(fmt::format("with d as (delete from {} where {} returning 1) select count(*) from d", table, where)) > 0)
      p.leaks.push_back(table + ": a second user can delete the first user's row");
    if (anon) {
      auto v = try_value(c, fmt::format("set local role anon; select count(*) from {} where {}", table, where));
      db::Error e2;
      c.exec("reset role", e2);
      if (v && !v->empty() && std::stoll(*v) > 0) p.leaks.push_back(table + ": `anon` sees a user's row");
    }
  }
  c.exec("rollback", ignore);
  return p;
}

std::string lines_diff(const std::vector<std::string>& a, const std::vector<std::string>& b, int max,
                       std::vector<std::string>& out) {
  std::multiset<std::string> sa(a.begin(), a.end()), sb(b.begin(), b.end());
  int n = 0;
  for (const auto& l : a)
    if (auto it = sb.find(l); it != sb.end()) sb.erase(it);
    else if (n++ < max) out.push_back("- " + l.substr(0, 160));
  for (const auto& l : b)
    if (auto it = sa.find(l); it != sa.end()) sa.erase(it);
    else if (n++ < max) out.push_back("+ " + l.substr(0, 160));
  return std::to_string(n);
}

}  // namespace

bool SmokeReport::passed() const {
  for (const auto& c : checks)
    if (c.result == "fail") return false;
  return !checks.empty();
}

SmokeReport smoke_test(const std::string& url, db::Connection& target, const Folder& f, const SmokeOptions& o) {
  SmokeReport rep;
  auto add = [&](std::string name, bool ok, std::string detail) {
    rep.checks.push_back({std::move(name), ok ? "pass" : "fail", std::move(detail)});
    return ok;
  };
  const long long stamp =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  rep.scratch = fmt::format("packdbc_smoke_{}_{}", getpid(), stamp % 100000000);
  db::Error err;
  std::string create = "create database " + quote_ident(rep.scratch);
  if (!o.template_db.empty()) create += " template " + quote_ident(o.template_db);
  if (!target.exec(create, err)) {
    add("create scratch database", false, err.message + (err.detail.empty() ? "" : ": " + err.detail));
    return rep;
  }
  add("create scratch database",
      true, rep.scratch + (o.template_db.empty() ? " (from the default template)" : " (template " + o.template_db + ")"));

  [&] {
    auto c = db::Connection::open_database(url, rep.scratch, err);
    if (!c) {
      add("connect to it", false, err.message);
      return;
    }
    auto start = snapshot(*c, err);
    if (!start) {
      add("catalog snapshot", false, err.message);
      return;
    }
    auto had_ledger = c->query("the ledger", "select to_regnamespace('supabase_migrations') is not null", err);
    if (!had_ledger) {
      add("catalog snapshot", false, err.message);
      return;
    }

    // Apply one migration at a time, taking a snapshot after each: S[0] is the start.
    std::vector<std::vector<std::string>> snaps{*start};
    ApplyOptions ao;
    ao.timeouts = o.timeouts;
    ao.lock_wait = o.lock_wait;
    for (std::size_t i = 0; i < f.migrations.size(); ++i) {
      Folder upto = f;
      upto.migrations.resize(i + 1);
      auto ap = apply_pending(*c, upto, ao);
      if (ap.failure) {
        add("apply all migrations", false, fmt::format("{}: {}", ap.failure.code, ap.failure.message));
        if (!ap.failure.detail.empty()) rep.notes.push_back(ap.failure.detail);
        return;
      }
      auto s = snapshot(*c, err);
      if (!s) {
        add("apply all migrations", false, "catalog snapshot: " + err.message);
        return;
      }
      snaps.push_back(std::move(*s));
    }
    add("apply all migrations", true, fmt::format("{} applied", f.migrations.size()));

    // pgTAP
    if (f.tests.empty()) {
      rep.checks.push_back({"pgTAP tests", "skip", "no files in supabase/tests"});
    } else {
      int files_ok = 0, tests = 0, failed = 0;
      for (const auto& path : f.tests) {
        bool ok = false;
        std::string sql = read_file(path, ok);
        std::vector<std::string> rows;
        std::string base = path.substr(path.find_last_of('/') + 1);
        if (!ok || !c->run_script(sql, err, &rows)) {
          rep.notes.push_back(fmt::format("{}: {}", base, ok ? err.message : "cannot read the file"));
          ++failed;
          db::Error ignore;
          c->exec("rollback", ignore);
          continue;
        }
        int plan = -1, oks = 0, bad = 0;
        for (const auto& row : rows) {
          std::size_t nl = 0;
          for (std::size_t b = 0; b <= row.size(); b = nl + 1) {
            nl = row.find('\n', b);
            std::string l = row.substr(b, nl == std::string::npos ? std::string::npos : nl - b);
            if (l.rfind("1..", 0) == 0) plan = std::atoi(l.c_str() + 3);
            else if (l.rfind("ok ", 0) == 0) ++oks;
            else if (l.rfind("not ok ", 0) == 0) {
              ++bad;
              rep.notes.push_back(base + ": " + l);
            }
            if (nl == std::string::npos) break;
          }
        }
        tests += oks + bad;
        if (bad == 0 && (plan < 0 || plan == oks)) ++files_ok;
        else {
          ++failed;
          if (bad == 0) rep.notes.push_back(fmt::format("{}: planned {} tests, {} ran", base, plan, oks));
        }
      }
      add("pgTAP tests", failed == 0,
          fmt::format("{} file{}, {} test{}{}", f.tests.size(), f.tests.size() == 1 ? "" : "s", tests, tests == 1 ? "" : "s",
                      failed ? fmt::format(", {} file{} failing", failed, failed == 1 ? "" : "s") : ""));
    }

    // RLS isolation
    bool ran = false;
    std::string why_not;
    auto pr = probe_rls(*c, err, ran, why_not);
    if (!ran && why_not.empty()) {
      add("RLS isolation (two users)", false, err.message);
    } else if (!ran) {
      rep.checks.push_back({"RLS isolation (two users)", "skip", why_not});
    } else {
      add("RLS isolation (two users)", pr.leaks.empty(),
          fmt::format("{} table{} probed, {} skipped{}", pr.probed, pr.probed == 1 ? "" : "s", pr.skipped,
                      pr.leaks.empty() ? "" : fmt::format(", {} leak{}", pr.leaks.size(), pr.leaks.size() == 1 ? "" : "s")));
      for (const auto& l : pr.leaks) rep.notes.push_back("RLS: " + l);
      for (const auto& s : pr.skips) rep.notes.push_back("RLS probe skipped " + s);
    }

    // Roll back one at a time: after each down script the catalog must be as before its migration.
    RollbackOptions ro;
    ro.timeouts = o.timeouts;
    ro.lock_wait = o.lock_wait;
    ro.last = 1;
    ro.force = true;
    std::string restore_fail;
    for (std::size_t i = f.migrations.size(); i-- > 0;) {
      auto rb = roll_back(*c, f, ro);
      if (rb.failure) {
        add("roll back all", false, fmt::format("{}: {}", rb.failure.code, rb.failure.message));
        if (!rb.failure.detail.empty()) rep.notes.push_back(rb.failure.detail);
        return;
      }
      if (i == 0 && !had_ledger->boolean(0, 0)) c->exec("drop schema supabase_migrations cascade", err);
      auto now = snapshot(*c, err);
      if (!now) {
        add("roll back all", false, "catalog snapshot: " + err.message);
        return;
      }
      std::vector<std::string> diff;
      std::string n = lines_diff(snaps[i], *now, 20, diff);
      if (!diff.empty() && restore_fail.empty()) {
        const auto& m = f.migrations[i];
        restore_fail = fmt::format("{}_{}.down.sql leaves {} catalog line{} different from before {}", m.version, m.name,
                                   n, n == "1" ? "" : "s", m.file);
        for (const auto& d : diff) rep.notes.push_back("catalog " + d);
      }
    }
    add("roll back all", true, fmt::format("{} rolled back", f.migrations.size()));
    add("catalog restored", restore_fail.empty(),
        restore_fail.empty() ? fmt::format("after each down script; {} catalog lines as at the start", start->size())
                             : restore_fail);
  }();

  if (o.keep) {
    rep.checks.push_back({"drop scratch database", "skip", "--keep: " + rep.scratch + " is left on the server"});
  } else {
    bool ok = target.exec("drop database if exists " + quote_ident(rep.scratch) + " with (force)", err);
    add("drop scratch database", ok, ok ? rep.scratch : err.message);
  }
  return rep;
}

}  // namespace packdb::migrate
