#include "compiler/backfill/load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/plan/phases.hpp"

namespace packdb::backfill {
namespace {

class Loader {
 public:
  Loader(db::Connection& c, const model::Model& m, const LoadOptions& o) : c_(c), m_(m), o_(o) {}

  Report run(const Plan& p, const std::function<void(const std::string&)>& progress) {
    // One summary per table a mapped flow fills, in the model's (dependency) order.
    std::set<int> tables;
    for (const auto& f : p.files) tables.insert(f.table);
    for (int t : tables) {
      index_[t] = rep_.tables.size();
      rep_.tables.emplace_back().table = m_.tables[t].name;
    }
    if (!begin()) return std::move(rep_);
    std::size_t n = 0;
    for (const auto& f : p.files) {
      TableSummary& s = rep_.tables[index_[f.table]];
      if (f.rejection) {
        rep_.rejections.push_back(*f.rejection);
        ++s.rejected_files;
      } else if (!file(f, s)) {
        if (rep_.failure) break;
        ++s.rejected_files;
      }
      if (progress && p.files.size() >= 100 && (++n % 100 == 0 || n == p.files.size()))
        progress(fmt::format("{}/{} files loaded", n, p.files.size()));
    }
    std::stable_sort(rep_.rejections.begin(), rep_.rejections.end(), [](const Rejection& a, const Rejection& b) {
      return std::tie(a.file, a.line) < std::tie(b.file, b.line);
    });
    bool commit = !rep_.failure && !o_.dry_run && (rep_.rejections.empty() || o_.skip_bad);
    db::Error err;
    if (!c_.exec(commit ? "commit" : "rollback", err) && !rep_.failure)
      rep_.failure = migrate::from_db(err, commit ? "commit" : "rollback");
    rep_.committed = commit && !rep_.failure;
    return std::move(rep_);
  }

 private:
  bool begin() {
    db::Error err;
    const model::Profile& pr = m_.profile;
    if (!c_.exec("begin", err)) return fail(err, "begin");
    // Two runs at once would both find a row absent and both insert it: the second waits.
    if (!c_.exec("select pg_advisory_xact_lock(hashtext('packdbc backfill'))", err)) return fail(err, "the backfill lock");
    if (!o_.as_user.empty()) {
      if (pr.user_role.empty() || pr.jwt_sub_setting.empty()) {
        rep_.failure = {"B0002", "--as-user needs the target's user role and JWT setting, and this profile has none",
                        "", "run without --as-user (as the connecting role)"};
        return false;
      }
      rep_.acting_as = fmt::format("{} (user {})", pr.user_role, o_.as_user);
      std::string claims = fmt::format("{{\"sub\":\"{}\",\"role\":\"{}\"}}", o_.as_user, pr.user_role);
      if (!c_.exec("set local role " + model::quote_ident(pr.user_role), err)) return fail(err, "set role");
      if (!c_.query("the user's JWT claims",
                    "select set_config($1, $2, true), set_config('request.jwt.claims', $3, true)", err,
                    {pr.jwt_sub_setting, o_.as_user, claims}))
        return fail(err, "");
      return true;
    }
    // As the service role when the server has it (RLS bypassed, as Supabase's service key),
    // else as the connecting role itself.
    auto r = c_.query("the service role", "select $1 <> '' and exists (select 1 from pg_roles where rolname = $1)", err,
                      {pr.service_role});
    if (!r) return fail(err, "");
    if (r->boolean(0, 0)) {
      if (!c_.exec("set local role " + model::quote_ident(pr.service_role), err)) return fail(err, "set role");
      rep_.acting_as = pr.service_role;
    } else {
      rep_.acting_as = c_.user();
    }
    return true;
  }

  const std::string& owner() const { return o_.as_user.empty() ? o_.owner : o_.as_user; }

  bool fail(const db::Error& err, const std::string& doing) {
    rep_.failure = migrate::from_db(err, doing);
    return false;
  }

  // One file in a savepoint: all its rows, or (the database refusing one) none.
  bool file(const FileRows& f, TableSummary& s) {
    db::Error err;
    if (!c_.exec("savepoint packdbc_file", err)) return fail(err, "savepoint");
    int inserted = 0, present = 0;
    std::vector<std::string> lacking;
    for (const auto& r : f.rows) {
      std::string why;
      int got = row(f, r, why);
      if (got < 0) {
        if (rep_.failure) return false;
        rep_.rejections.push_back({f.file, r.line, why});
        if (!c_.exec("rollback to savepoint packdbc_file", err)) return fail(err, "rollback to savepoint");
        return false;
      }
      (got ? inserted : present) += 1;
      if (got)
        for (const auto& col : r.lacking) lacking.push_back(fmt::format("{}:{} ({})", f.file, r.line, col));
    }
    if (!c_.exec("release savepoint packdbc_file", err)) return fail(err, "release savepoint");
    s.inserted += inserted;
    s.present += present;
    rep_.files.push_back({f.file, s.table, inserted, present});
    s.lacking.insert(s.lacking.end(), lacking.begin(), lacking.end());
    return true;
  }

  // 1 inserted, 0 already there, -1 refused (`why` says why; rep_.failure when not the file's fault).
  int row(const FileRows& f, const Row& r, std::string& why) {
    const model::Table& t = m_.tables[f.table];
    std::vector<Value> vals = r.values;
    db::Error err;
    if (t.owned && !owner().empty()) vals.push_back({m_.profile.owner_column, owner(), false});
    if (!r.key_column.empty()) {
      const model::Table& parent = m_.tables[t.parent];
      std::string sql = fmt::format("select {} from {} where {} = $1::{}", model::quote_ident(parent.primary_key.at(0)),
                                    plan::table_sql(m_, parent), model::quote_ident(r.parent_column),
                                    plan::type_sql(m_, parent.column(r.parent_column)->type));
      std::vector<std::string> params{r.parent_value};
      if (parent.owned && !owner().empty()) {
        sql += fmt::format(" and {} = $2::uuid", model::quote_ident(m_.profile.owner_column));
        params.push_back(owner());
      }
      auto q = c_.query("the parent row", sql + " limit 2", err, params);
      if (!q) return refused(err, why, "looking up the parent row");
      if (q->rows() != 1) {
        why = q->rows() == 0 ? fmt::format("no `{}` row with {} `{}`", parent.name, r.parent_column, r.parent_value)
                             : fmt::format("several `{}` rows with {} `{}`: give --as-user to pick the owner's",
                                           parent.name, r.parent_column, r.parent_value);
        return -1;
      }
      vals.push_back({r.key_column, q->text(0, 0), false});
    }
    if (t.owned && owner().empty()) {
      rep_.failure = {"B0003", fmt::format("`{}` is owned by a user, and no owner was given", t.name), "",
                      "give --as-user UUID (that user's rows, under their RLS policies), or --owner UUID with the "
                      "service role"};
      return -1;
    }
    // Idempotence: the row is there when a unique key it fills matches, or, without one,
    // when a row has the same values in every column it fills.
    std::vector<const Value*> key;
    for (const auto& u : t.uniques) {
      std::vector<const Value*> k;
      for (const auto& col : u.columns)
        for (const auto& v : vals)
          if (v.column == col && !v.null) k.push_back(&v);
      if (k.size() == u.columns.size()) {
        key = k;
        break;
      }
    }
    if (key.empty())
      for (const auto& v : vals) key.push_back(&v);
    std::vector<std::string> conds, params;
    for (const Value* v : key) {
      const model::Column* col = t.column(v->column);
      // json has no equality operator, and an extension type's (vector's) is in the
      // extension's schema, off the search path: their text forms compare instead.
      bool as_text = col->type.base == "json" || !plan::extension_of_type(col->type.base).empty();
      params.push_back(v->text);
      std::string p = v->null ? "null" : fmt::format("${}::{}", params.size(), plan::type_sql(m_, col->type));
      if (v->null) params.pop_back();
      conds.push_back(as_text ? fmt::format("{}::text is not distinct from {}::text", model::quote_ident(v->column), p)
                           : fmt::format("{} is not distinct from {}", model::quote_ident(v->column), p));
    }
    auto q = c_.query("an existing row", fmt::format("select 1 from {} where {} limit 1", plan::table_sql(m_, t),
                                                     fmt::join(conds, " and ")),
                      err, params);
    if (!q) return refused(err, why, "looking for the row");
    if (q->rows() > 0) return 0;
    std::vector<std::string> cols, exprs;
    params.clear();
    for (const auto& v : vals) {
      cols.push_back(model::quote_ident(v.column));
      if (v.null) {
        exprs.push_back("null");
        continue;
      }
      params.push_back(v.text);
      exprs.push_back(fmt::format("${}::{}", params.size(), plan::type_sql(m_, t.column(v.column)->type)));
    }
    if (!c_.query("the insert",
                  fmt::format("insert into {} ({}) values ({})", plan::table_sql(m_, t), fmt::join(cols, ", "),
                              fmt::join(exprs, ", ")),
                  err, params))
      return refused(err, why, fmt::format("insert into {}", t.name));
    return 1;
  }

  // A failed query: the file's fault (a constraint, a cast, RLS) unless the connection is
  // gone. The server's own words: Connection's message is written for catalog reads.
  int refused(const db::Error& err, std::string& why, const std::string& doing) {
    if (err.kind == db::ErrorKind::unreachable || !c_.alive()) {
      rep_.failure = migrate::from_db(err);
      return -1;
    }
    why = fmt::format("{}: {}", doing, err.detail.empty() ? err.message : err.detail);
    return -1;
  }

  db::Connection& c_;
  const model::Model& m_;
  const LoadOptions& o_;
  Report rep_;
  std::map<int, std::size_t> index_;
};

}  // namespace

Report load(db::Connection& c, const model::Model& m, const Plan& p, const LoadOptions& o,
            const std::function<void(const std::string&)>& progress) {
  return Loader(c, m, o).run(p, progress);
}

}  // namespace packdb::backfill
