#include "compiler/check/checklist.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <map>
#include <regex>
#include <set>

namespace packdb::check {

const std::vector<ChecklistItem>& checklist_items() {
  static const std::vector<ChecklistItem> items = {
      {"every output has a storage strategy (a table or column, `keep files`, or `persist low`)", {"V0401"}},
      {"every input can be referenced (`into` a table, or kept on files)", {"V0402", "V0403", "E0801"}},
      {"every state item maps to a column of a compatible type", {"E0802", "E0803", "E0804", "E0805"}},
      {"every relation is enforced by a foreign key; no orphaned data",
       {"E0301", "E0303", "E0304", "E0305", "E0306", "E0307", "V0404"}},
      {"RLS enabled with at least one policy on every table; no always-true write policy; no policy reading "
       "user_metadata",
       {"E0501", "E0502", "E0503", "E0504", "E0505", "E0506", "L0002", "L0003", "L0004", "L0005", "L0009", "L0011",
        "L0012"}},
      {"every declared query and search is served by an index; foreign keys and policy columns are indexed",
       {"E0601", "E0602", "E0603", "E0411", "E0412", "E0413", "E0414", "E0415", "E0416", "E0417", "L0001", "L0006"}},
      {"the spec follows the conventions of its target (key type, timestamps, tenancy column, naming)",
       {"W0106", "E0104", "E0105", "E0107", "V0405", "V0406", "V0407", "L0010", "L0013", "C0401", "C0402", "C0403",
        "C0404"}},
  };
  return items;
}

void run_validation(const model::Model& m, const model::Catalog* catalog, Diagnostics& diags) {
  (void)catalog;
  const model::Profile& p = m.profile;
  for (const auto& f : m.flows) {
    bool stored = f.into_table >= 0 || f.keep_files;
    // Low persistence is a strategy too: the output is scratch, regenerated when needed.
    if (f.kind == ast::FlowKind::output && !stored && f.persistence != ast::Persistence::low)
      diags.error("V0401", f.span, fmt::format("output `{}` has no storage strategy", f.name)).help =
          "write `into TABLE` or `into TABLE.COLUMN`, or `keep files` to keep it on the filesystem on purpose";
    if (f.kind == ast::FlowKind::input && !stored)
      diags.error("V0402", f.span, fmt::format("input `{}` cannot be referenced", f.name)).help =
          "write `into TABLE` so rows can point at it, or `keep files` to leave it on the filesystem on purpose";
    if (f.into_table >= 0 && f.into_column.empty()) {
      const model::Table& t = m.tables[f.into_table];
      for (const auto& field : f.fields)
        if (!t.has_column(field))
          diags.error("V0403", f.span, fmt::format("field `{}` of `{}` has no column in `{}`", field, f.name, t.name))
              .help = fmt::format("add a column `{}` to `{}`, or drop the field", field, t.name);
    }
  }
  for (const auto& t : m.tables) {
    for (const auto& fk : t.foreign_keys)
      if (!fk.on_delete_given)
        diags.warning("V0404", fk.span,
                      fmt::format("reference from `{}` to `{}` has no on-delete choice", t.name, fk.ref_table))
            .help = "say what happens to these rows when the referenced row goes: `on delete cascade`, `set null` or "
                    "`restrict`";
    for (const auto& c : t.columns) {
      if (c.origin != model::ColumnOrigin::spec) continue;
      // A hand-made tenancy column bypasses the owner policies: say so.
      if (!t.owned && (c.name == p.owner_column || c.name == "owner_id") && c.type.is_uuid())
        diags.warning("V0405", c.span, fmt::format("`{}` looks like a tenancy column, but `{}` is not `owned by user`", c.name, t.name))
            .help = "declare the table `owned by user`: the owner column, its foreign key, index and RLS come with it";
      for (const char* ts : {"inserted_at", "created_on", "updated_on", "modified_at"})
        if (c.name == ts && !p.created_column.empty())
          diags.warning("V0406", c.span,
                        fmt::format("`{}` differs from the target's timestamp columns (`{}`, `{}`)", c.name,
                                    p.created_column, p.updated_column))
              .help = "the conventions add the timestamps; remove this column";
    }
    for (const auto& pk : t.primary_key) {
      const model::Column* c = t.column(pk);
      if (c && c->origin == model::ColumnOrigin::spec && t.primary_key.size() == 1 && c->type.base != p.key_type)
        diags.warning("V0407", c->span,
                      fmt::format("key `{}` is {}, but the target's keys are {}", pk, c->type.sql(), p.key_type))
            .help = "drop the explicit key and let the conventions add it";
    }
  }
}

const std::vector<Lint>& lints() {
  static const std::vector<Lint> list = {
      {"L0001", "unindexed_foreign_keys", Severity::warning, "a foreign key without an index makes deletes and joins slow"},
      {"L0002", "auth_rls_initplan", Severity::warning,
       "auth.uid() not wrapped in a select is evaluated once per row instead of once per statement"},
      {"L0003", "multiple_permissive_policies", Severity::warning,
       "several permissive policies for one role and command are all evaluated for every row"},
      {"L0004", "policy_exists_rls_disabled", Severity::error, "policies exist but row-level security is off: they do nothing"},
      {"L0005", "rls_enabled_no_policy", Severity::warning, "row-level security is on but no policy lets anyone in"},
      {"L0006", "duplicate_index", Severity::warning, "two identical indexes cost writes and space for nothing"},
      {"L0007", "security_definer_view", Severity::error, "a view that runs with its owner's rights bypasses RLS"},
      {"L0008", "function_search_path_mutable", Severity::warning,
       "a function without a fixed search_path can be hijacked by objects in the caller's path"},
      {"L0009", "rls_disabled_in_public", Severity::error,
       "a table in an exposed schema without row-level security is open to the API roles"},
      {"L0010", "extension_in_public", Severity::warning, "extensions in public expose their functions through the API"},
      {"L0011", "rls_references_user_metadata", Severity::error,
       "user_metadata is editable by the user, so a policy must not trust it"},
      {"L0012", "rls_policy_always_true", Severity::error, "a write policy that is always true lets anyone write"},
      {"L0013", "no_primary_key", Severity::warning, "a table without a primary key cannot be replicated or updated safely"},
  };
  return list;
}

namespace {

const Lint& lint(const char* code) {
  for (const auto& l : lints())
    if (std::string(l.code) == code) return l;
  return lints().front();
}

Diagnostic& report(Diagnostics& diags, const char* code, Span span, const std::string& message) {
  const Lint& l = lint(code);
  return diags.add({l.severity, code, span, fmt::format("{} ({})", message, l.name), {}, l.why});
}

bool applies_to(const model::Policy& p, model::Command c) {
  return p.command == model::Command::all || p.command == c;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether `sql` holds `word` (lower case) at `at`, in any case.
bool has_at(const std::string& sql, std::size_t at, std::string_view word) {
  if (at + word.size() > sql.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (ascii_lower(sql[at + k]) != word[k]) return false;
  return true;
}

// The next call to auth.uid()/auth.jwt()/auth.role()/current_setting( at or after `from`, in
// any case, not preceded by a letter, digit, `_` or `.` (except at `from` itself), or npos.
std::size_t next_auth_call(const std::string& sql, std::size_t from) {
  static constexpr std::string_view calls[] = {"auth.uid()", "auth.jwt()", "auth.role()", "current_setting("};
  for (std::size_t i = from; i < sql.size(); ++i) {
    char c = ascii_lower(sql[i]);
    if (c != 'a' && c != 'c') continue;
    if (i > from) {
      unsigned char b = static_cast<unsigned char>(sql[i - 1]);
      if (std::isalnum(b) || b == '_' || b == '.') continue;
    }
    for (std::string_view call : calls)
      if (has_at(sql, i, call)) return i;
  }
  return std::string::npos;
}

// Whether every call to auth.uid()/auth.jwt()/auth.role()/current_setting() sits inside a
// parenthesised `(select …)`, which PostgreSQL evaluates once per statement (an initplan).
bool auth_calls_wrapped(const std::string& sql) {
  std::size_t next_call = next_auth_call(sql, 0);
  std::vector<bool> parens;  // for each open parenthesis: does it start a subquery?
  for (std::size_t i = 0; i < sql.size() && next_call != std::string::npos; ++i) {
    if (i == next_call) {
      if (std::find(parens.begin(), parens.end(), true) == parens.end()) return false;
      next_call = next_auth_call(sql, i + 1);
    }
    if (sql[i] == '(') {
      std::size_t j = i + 1;
      while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
      parens.push_back(sql.compare(j, 6, "select") == 0 || sql.compare(j, 6, "SELECT") == 0);
    } else if (sql[i] == ')' && !parens.empty()) {
      parens.pop_back();
    }
  }
  return true;
}

// `true` or `1=1`, in any case, with any spaces and parentheses: at most four letters that
// count, so a longer condition is told apart at its fifth without copying it.
bool trivially_true(const std::string& sql) {
  char s[5];
  std::size_t n = 0;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')') continue;
    if (n == 4) return false;
    s[n++] = ascii_lower(c);
  }
  const std::string_view v(s, n);
  return v == "true" || v == "1=1";
}

}  // namespace

void run_lints(const model::Model& m, const model::Catalog* catalog, Diagnostics& diags) {
  const model::Profile& p = m.profile;
  for (const auto& t : m.tables) {
    if (!t.existing && t.primary_key.empty()) report(diags, "L0013", t.span, fmt::format("table `{}` has no primary key", t.name));
    bool rls = t.rls;
    if (t.existing && catalog)
      if (const auto* ct = catalog->table(p.schema, t.name)) rls = rls || ct->rls;
    if (!t.policies.empty() && !rls)
      report(diags, "L0004", t.span, fmt::format("table `{}` has policies but row-level security is not enabled", t.name))
          .help = "write `enable rls` in the `extend table` block";
    if (rls && t.policies.empty() && (!t.existing || t.rls))
      report(diags, "L0005", t.span, fmt::format("table `{}` has row-level security but no policy", t.name));
    if (!rls && !t.existing && p.schema == "public")
      report(diags, "L0009", t.span, fmt::format("table `{}` in schema public has row-level security disabled", t.name))
          .help = "keep `require_rls true` and give the table an access rule";
    // Indexes: foreign keys covered; no two the same.
    for (const auto& fk : t.foreign_keys) {
      bool covered = t.primary_key.size() >= fk.columns.size() &&
                     std::equal(fk.columns.begin(), fk.columns.end(), t.primary_key.begin());
      for (const auto& u : t.uniques)
        covered |= u.columns.size() >= fk.columns.size() && std::equal(fk.columns.begin(), fk.columns.end(), u.columns.begin());
      for (const auto& ix : t.indexes)
        covered |= ix.where_sql.empty() && ix.columns.size() >= fk.columns.size() &&
                   std::equal(fk.columns.begin(), fk.columns.end(), ix.columns.begin(),
                              [](const std::string& a, const model::IndexColumn& b) { return a == b.name; });
      if (!covered)
        report(diags, "L0001", fk.span, fmt::format("foreign key `{}` of `{}` has no covering index", fk.name, t.name));
    }
    std::map<std::string, const model::Index*> seen;
    for (const auto& ix : t.indexes) {
      std::string key = fmt::format("{}|{}|{}|", model::index_method_sql(ix.method), ix.unique, ix.where_sql);
      for (const auto& c : ix.columns) key += c.name + " " + c.opclass + ",";
      auto [it, fresh] = seen.emplace(key, &ix);
      if (!fresh)
        report(diags, "L0006", ix.span, fmt::format("index `{}` duplicates `{}` on `{}`", ix.name, it->second->name, t.name));
    }
    for (const auto& u : t.uniques)
      for (const auto& ix : t.indexes)
        if (ix.where_sql.empty() && ix.method == model::IndexMethod::btree && ix.columns.size() == u.columns.size() &&
            std::equal(u.columns.begin(), u.columns.end(), ix.columns.begin(),
                       [](const std::string& a, const model::IndexColumn& b) { return a == b.name; }))
          report(diags, "L0006", ix.span,
                 fmt::format("index `{}` duplicates the index behind unique constraint `{}`", ix.name, u.name));
    // Policies: one permissive policy per role and command; no trust in user_metadata;
    // no always-true writes; auth calls wrapped in a select.
    for (model::Command c : {model::Command::select, model::Command::insert, model::Command::update, model::Command::delete_}) {
      std::map<std::string, std::vector<const model::Policy*>> by_role;
      for (const auto& pol : t.policies)
        if (!pol.restrictive && applies_to(pol, c))
          for (const auto& r : pol.roles) by_role[r].push_back(&pol);
      for (const auto& [role, pols] : by_role)
        if (pols.size() > 1)
          report(diags, "L0003", pols[1]->span,
                 fmt::format("table `{}` has {} permissive {} policies for role `{}` (`{}` and `{}`)", t.name, pols.size(),
                             model::command_sql(c), role, pols[0]->name, pols[1]->name))
              .help = "combine them into one policy with `or`, or make one `restrictive`";
    }
    for (const auto& pol : t.policies) {
      std::string text = pol.using_sql + " " + pol.check_sql;
      if (text.find("user_metadata") != std::string::npos)
        report(diags, "L0011", pol.span, fmt::format("policy `{}` on `{}` reads user_metadata", pol.name, t.name))
            .help = "use app_metadata (set by the server) or a table of your own";
      bool write = pol.command != model::Command::select;
      if (write && !pol.restrictive && (trivially_true(pol.using_sql) || trivially_true(pol.check_sql)))
        report(diags, "L0012", pol.span,
               fmt::format("policy `{}` on `{}` lets every {} row through", pol.name, t.name, model::command_sql(pol.command)))
            .help = "limit writes to the owner, or use `service only` and write through the service role";
      if (!auth_calls_wrapped(pol.using_sql) || !auth_calls_wrapped(pol.check_sql))
          report(diags, "L0002", pol.span,
                 fmt::format("policy `{}` on `{}` calls auth functions once per row", pol.name, t.name))
              .help = "wrap the call in a select: `(select auth.uid())`";
    }
  }
  if (!m.extensions.empty() && p.extension_schema == "public" && !p.anon_role.empty()) {
    Span where{~0u, 0, 0};
    for (const auto& t : m.tables)
      for (const auto& c : t.columns)
        if (c.type.is_vector() && where.file == ~0u) where = c.span;
    report(diags, "L0010", where,
           fmt::format("extension `{}` would be created in schema public", m.extensions.front()))
        .help = "set `extension_schema \"extensions\"` in the profile";
  }
}

std::string render_checklist_text(const Diagnostics& diags, const SourceSet& sources) {
  std::string out = "Validation checklist (seed step 5):\n";
  auto sorted = diags.sorted();
  for (const auto& item : checklist_items()) {
    std::vector<const Diagnostic*> behind;
    bool error = false;
    for (const auto& d : sorted)
      if (std::count(item.codes.begin(), item.codes.end(), d.code)) {
        behind.push_back(&d);
        error |= d.severity == Severity::error;
      }
    out += fmt::format("  {} {}\n", error ? "✗" : behind.empty() ? "✓" : "!", item.title);
    for (const Diagnostic* d : behind) {
      std::string one = render_one(*d, sources);
      std::string first = one.substr(0, one.find('\n'));
      out += fmt::format("      {}\n", first);
    }
  }
  return out;
}

std::string render_checklist_json(const Diagnostics& diags, const SourceSet& sources) {
  (void)sources;
  std::string out = "[";
  bool first_item = true;
  for (const auto& item : checklist_items()) {
    std::string codes;
    bool error = false, warning = false;
    for (const auto& d : diags.sorted())
      if (std::count(item.codes.begin(), item.codes.end(), d.code)) {
        codes += (codes.empty() ? "\"" : ",\"") + d.code + "\"";
        error |= d.severity == Severity::error;
        warning |= d.severity == Severity::warning;
      }
    out += fmt::format("{}{{\"item\":\"{}\",\"status\":\"{}\",\"codes\":[{}]}}", first_item ? "" : ",",
                       json_escape(item.title), error ? "fail" : warning ? "warn" : "pass", codes);
    first_item = false;
  }
  return out + "]";
}

}  // namespace packdb::check
