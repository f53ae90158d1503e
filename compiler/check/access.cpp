// Row-level security from intent: `owned by user`, `in PARENT` (inherited along the FK
// chain), `public read`, `authenticated read`, `service only`, and raw policies.
// One permissive policy per command and role set, so no table gets two permissive
// policies for the same role and command (splinter: multiple_permissive_policies).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/check/context.hpp"

namespace packdb::check {
namespace {

using model::AccessRule;
using model::Command;

constexpr Command commands[] = {Command::select, Command::insert, Command::update, Command::delete_};

// Conditions per command and role; a row is reachable when any condition holds.
using Grants = std::map<Command, std::map<std::string, std::vector<std::string>>>;

class AccessResolver {
 public:
  explicit AccessResolver(Context& cx) : cx_(cx), p_(cx.model.profile) {}

  void run(const ast::File& spec) {
    std::map<std::string, const ast::TableBody*> bodies;
    for (const auto& t : spec.tables) {
      bodies[t.name.name] = &t.body;
      if (t.parent || !t.links.empty()) has_parent_.insert(t.name.name);
    }
    for (const auto& x : spec.extends) bodies[x.name.name] = &x.added;
    for (auto& t : cx_.model.tables) {
      auto it = bodies.find(t.name);
      if (it == bodies.end()) continue;
      rules(t, *it->second);
    }
    // Policies of a child use its parent's conditions, so parents come first (they do: tables are ordered).
    for (auto& t : cx_.model.tables) {
      auto it = bodies.find(t.name);
      if (it == bodies.end()) continue;
      policies(t, *it->second);
    }
  }

 private:
  void rules(model::Table& t, const ast::TableBody& body) {
    for (const auto& a : body.access) {
      AccessRule r{};
      switch (a.kind) {
        case ast::AccessKind::owner:
          r = AccessRule::owner;
          if (!t.owned) {
            cx_.diags.error("E0502", a.span, fmt::format("`access owner` needs an owner, but table `{}` has none", t.name))
                .help = "declare the table `owned by user`";
            continue;
          }
          break;
        case ast::AccessKind::inherited:
          r = AccessRule::inherited;
          if (t.parent < 0 && t.links.empty()) {
            cx_.diags.error("E0503", a.span, fmt::format("`access inherited` needs a parent, but table `{}` has none", t.name))
                .help = "declare the table `in PARENT` to inherit the parent's access";
            continue;
          }
          break;
        case ast::AccessKind::public_read: r = AccessRule::public_read; break;
        case ast::AccessKind::authenticated_read: r = AccessRule::authenticated_read; break;
        case ast::AccessKind::service_only: r = AccessRule::service_only; break;
      }
      if (std::count(t.access.begin(), t.access.end(), r)) {
        cx_.diags.error("E0504", a.span, "this access rule is listed twice");
        continue;
      }
      t.access.push_back(r);
    }
    bool service_only = std::count(t.access.begin(), t.access.end(), AccessRule::service_only) > 0;
    if (service_only && t.access.size() > 1) {
      cx_.diags.error("E0505", t.span, fmt::format("table `{}` is `service only` but also grants access to users", t.name))
          .help = "`service only` means no user reaches the rows; remove it or the other rules";
    }
    if (t.access.empty() && !t.existing) {
      // Ownership and parents imply their policies; hand-written policies add to them.
      if (t.owned) t.access.push_back(AccessRule::owner);
      // A parent that failed to resolve was reported already; inherit, without a cascade.
      else if (t.parent >= 0 || !t.links.empty() || has_parent_.count(t.name)) t.access.push_back(AccessRule::inherited);
      else if (p_.require_rls && body.policies.empty()) {
        cx_.diags.error("E0501", t.span, fmt::format("table `{}` has no access rule", t.name)).help =
            "say who reaches its rows: `owned by user`, `in PARENT`, or `access public read` / `authenticated read` / "
            "`service only` in its body";
      }
    }
    if (!body.policies.empty()) t.access.push_back(AccessRule::custom);
    // Without `require_rls`, a table nobody was given a rule for stays open (and is linted).
    if (!t.existing) t.rls = p_.require_rls || !t.access.empty();
  }

  std::string owner_condition() const {
    return fmt::format("{} = {}", model::quote_ident(p_.owner_column), p_.current_user_sql);
  }

  std::string qualified(const model::Table& t) const { return p_.schema + "." + model::quote_ident(t.name); }

  // The condition, on a row of `t`, under which role `role` may run `cmd` — or nothing.
  std::optional<std::string> condition(const model::Table& t, Command cmd, const std::string& role, int depth = 0) {
    if (depth > 64) return std::nullopt;
    std::vector<std::string> any;
    bool user = role == p_.user_role;
    for (AccessRule r : t.access) {
      switch (r) {
        case AccessRule::owner:
          if (user) any.push_back(owner_condition());
          break;
        case AccessRule::public_read:
          if (cmd == Command::select) any.push_back("true");
          break;
        case AccessRule::authenticated_read:
          if (cmd == Command::select && user) any.push_back("true");
          break;
        case AccessRule::inherited: {
          // Writing a child row needs the right to change the parent row, except that a
          // child may be added under a parent the user may update; reading needs read.
          Command parent_cmd = cmd == Command::select ? Command::select : Command::update;
          std::vector<std::string> parts;
          std::vector<int> parents;
          if (t.parent >= 0) parents.push_back(t.parent);
          for (int l : t.links) parents.push_back(l);
          bool ok = true;
          for (std::size_t i = 0; i < parents.size(); ++i) {
            const model::Table& pt = cx_.model.tables[parents[i]];
            // For a link table, the second table needs only to be readable.
            Command c = i == 0 ? parent_cmd : Command::select;
            auto pc = condition(pt, c, role, depth + 1);
            if (!pc) {
              ok = false;
              break;
            }
            std::string fk_col;
            for (const auto& fk : t.foreign_keys)
              if (fk.to_parent && fk.ref_table == pt.name) fk_col = fk.columns[0];
            if (*pc == "true")
              parts.push_back(fmt::format("{} in (select {} from {})", model::quote_ident(fk_col),
                                          model::quote_ident(pt.primary_key[0]), qualified(pt)));
            else
              parts.push_back(fmt::format("{} in (select {} from {} where {})", model::quote_ident(fk_col),
                                          model::quote_ident(pt.primary_key[0]), qualified(pt), *pc));
          }
          if (ok && !parts.empty()) any.push_back(fmt::format("{}", fmt::join(parts, " and ")));
          break;
        }
        case AccessRule::service_only:
        case AccessRule::custom: break;
      }
    }
    if (any.empty()) return std::nullopt;
    if (std::count(any.begin(), any.end(), "true")) return std::string("true");
    if (any.size() == 1) return any[0];
    std::string out;
    for (const auto& a : any) out += (out.empty() ? "(" : " or (") + a + ")";
    return out;
  }

  // Foreign-key checks bypass row-level security, so without this a user could point a row
  // at another user's row they cannot even see. Each `references` to a table with RLS must
  // name a row the writer can read.
  std::string reference_guard(const model::Table& t) const {
    std::vector<std::string> parts;
    for (const auto& fk : t.foreign_keys) {
      if (fk.to_parent || fk.to_user || fk.columns.size() != 1) continue;
      std::string target;
      if (fk.to_existing) {
        // A table of the current database: guarded when its row-level security is on.
        const model::CatalogTable* ct = cx_.catalog_table(fk.ref_table);
        if (!ct || !ct->rls) continue;
        target = p_.schema + "." + model::quote_ident(ct->name);
      } else {
        int ri = cx_.model.table_index(fk.ref_table);
        if (ri < 0 || !cx_.model.tables[ri].rls || cx_.model.tables[ri].existing) continue;
        target = qualified(cx_.model.tables[ri]);
      }
      std::string col = model::quote_ident(fk.columns[0]);
      const model::Column* c = t.column(fk.columns[0]);
      std::string in = fmt::format("{} in (select {} from {})", col, model::quote_ident(fk.ref_columns[0]), target);
      parts.push_back(c && c->nullable ? fmt::format("({} is null or {})", col, in) : in);
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " and ") + p;
    return out;
  }

  static const char* command_word(Command c) {
    switch (c) {
      case Command::select: return "read";
      case Command::insert: return "add";
      case Command::update: return "change";
      case Command::delete_: return "delete";
      case Command::all: return "use";
    }
    return "use";
  }

  std::string intent(const model::Table& t, Command c, const std::string& cond) const {
    std::string who;
    if (cond == "true") who = "every row";
    else if (cond == owner_condition()) who = fmt::format("rows whose {} is the signed-in user", p_.owner_column);
    else if (t.parent >= 0)
      who = fmt::format("rows whose {} row the user may {}", cx_.model.tables[t.parent].name,
                        c == Command::select ? "read" : "change");
    else who = "rows matching the condition";
    return fmt::format("may {} {}", command_word(c), who);
  }

  void policies(model::Table& t, const ast::TableBody& body) {
    std::vector<std::string> roles;
    if (!p_.anon_role.empty()) roles.push_back(p_.anon_role);
    roles.push_back(p_.user_role);
    for (Command cmd : commands) {
      // Group the roles that share one condition into one policy.
      std::vector<std::pair<std::string, std::vector<std::string>>> groups;
      for (const auto& role : roles) {
        auto cond = condition(t, cmd, role);
        if (!cond) continue;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == *cond; });
        if (it == groups.end()) groups.push_back({*cond, {role}});
        else it->second.push_back(role);
      }
      std::string guard = reference_guard(t);
      for (const auto& [cond, rs] : groups) {
        model::Policy pol;
        std::string base = t.name + "_" + model::command_sql(cmd);
        pol.name = fit_name(groups.size() == 1 ? base : base + "_" + rs.front());
        pol.command = cmd;
        pol.roles = rs;
        if (cmd != Command::insert) pol.using_sql = cond;
        if (cmd == Command::insert || cmd == Command::update)
          pol.check_sql = guard.empty() ? cond : cond == "true" ? guard : fmt::format("({}) and {}", cond, guard);
        pol.intent = fmt::format("{} {}", fmt::join(rs, ", "), intent(t, cmd, cond));
        pol.span = t.span;
        t.policies.push_back(std::move(pol));
      }
    }
    if (std::count(t.access.begin(), t.access.end(), AccessRule::service_only)) {
      // A restrictive deny-all states the intent in the catalog: no API role reaches a row.
      model::Policy pol;
      pol.name = fit_name(t.name + "_service_only");
      pol.command = Command::all;
      pol.roles = roles;
      pol.restrictive = true;
      pol.using_sql = "false";
      pol.check_sql = "false";
      pol.intent = "only the service role (which bypasses row-level security) reaches the rows";
      pol.span = t.span;
      t.policies.push_back(std::move(pol));
    }
    for (const auto& rp : body.policies) {
      model::Policy pol;
      pol.name = rp.name.name;
      if (pol.name.size() > 63 || std::any_of(pol.name.begin(), pol.name.end(), [](char c) {
            return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
          }))
        cx_.diags.error("E0104", rp.name.span, fmt::format("policy name `{}` must be lower snake_case, at most 63 bytes", pol.name));
      pol.raw = true;
      pol.restrictive = rp.restrictive;
      pol.span = rp.span;
      switch (rp.command) {
        case ast::PolicyCommand::all: pol.command = Command::all; break;
        case ast::PolicyCommand::select: pol.command = Command::select; break;
        case ast::PolicyCommand::insert: pol.command = Command::insert; break;
        case ast::PolicyCommand::update: pol.command = Command::update; break;
        case ast::PolicyCommand::delete_: pol.command = Command::delete_; break;
      }
      for (const auto& r : rp.roles) pol.roles.push_back(r.name);
      if (pol.roles.empty()) pol.roles.push_back(p_.user_role);
      if (rp.using_sql) pol.using_sql = *rp.using_sql;
      if (rp.check_sql) pol.check_sql = *rp.check_sql;
      if (pol.command == Command::insert && rp.using_sql)
        cx_.diags.error("E0506", rp.using_span, "an insert policy has no `using`; write `with check` instead");
      if ((pol.command == Command::select || pol.command == Command::delete_) && rp.check_sql)
        cx_.diags.error("E0506", rp.check_span, "a select or delete policy has no `with check`; write `using` instead");
      if (pol.command != Command::insert && !rp.using_sql && !rp.check_sql)
        cx_.diags.error("E0506", rp.span, "a policy needs `using \"…\"` (or `with check \"…\"`)");
      pol.intent = "custom policy written in the spec";
      for (const auto& other : t.policies)
        if (other.name == pol.name)
          cx_.diags.error("E0101", rp.name.span, fmt::format("policy `{}` is defined twice on `{}`", pol.name, t.name));
      t.policies.push_back(std::move(pol));
    }
    ensure_policy_indexes(t);
  }

  // Columns that policies filter on get an index (Supabase's RLS performance advice).
  void ensure_policy_indexes(model::Table& t) {
    if (!t.owned) return;
    for (const auto& ix : t.indexes)
      if (!ix.columns.empty() && ix.columns[0].name == p_.owner_column && ix.where_sql.empty()) return;
    for (const auto& u : t.uniques)
      if (!u.columns.empty() && u.columns[0] == p_.owner_column) return;
    model::Index ix;
    ix.name = fit_name(t.name + "_" + p_.owner_column + "_idx");
    ix.columns.push_back({p_.owner_column, "", false});
    ix.origin = model::IndexOrigin::policy;
    ix.span = t.span;
    t.indexes.push_back(std::move(ix));
  }

  Context& cx_;
  const model::Profile& p_;
  std::set<std::string> has_parent_;
};

}  // namespace

void resolve_access(Context& cx, const ast::File& spec) { AccessResolver(cx).run(spec); }

}  // namespace packdb::check
