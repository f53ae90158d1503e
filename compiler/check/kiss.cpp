#include "compiler/check/kiss.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace packdb::check {

const std::vector<NeedKind>& need_kinds() {
  static const std::vector<NeedKind> kinds = {
      {"multi_user", "a table `owned by user`"},
      {"versioning", "a versioned table: an integer `version` column in a unique key"},
      {"search", "a `search` over a vector column, or a gin index for text search"},
      {"sharing", "a table readable by others: `access public read` or `authenticated read`"},
      {"relations", "a foreign key between tables of the spec, or from one to an existing table (`in PARENT`, `links`, `references`)"},
      {"querying", "a declared `query` that an index serves"},
  };
  return kinds;
}

const char* increment_text(Increment i) {
  switch (i) {
    case Increment::none: return "none: keep the filesystem";
    case Increment::extend_existing: return "extend existing tables";
    case Increment::one_table: return "one new table";
    case Increment::several_tables: return "new tables";
  }
  return "";
}

namespace {

bool is_versioned(const model::Table& t) {
  for (const auto& u : t.uniques)
    for (const auto& c : u.columns) {
      const model::Column* col = t.column(c);
      bool named = c == "version" || (c.size() > 8 && c.compare(c.size() - 8, 8, "_version") == 0);
      if (col && named && col->type.is_integer()) return true;
    }
  return false;
}

// What in the design backs a need, in words; empty when nothing does.
std::string backing(const model::Model& m, const std::string& need) {
  auto any_table = [&](auto pred) -> std::string {
    for (const auto& t : m.tables)
      if (pred(t)) return t.name;
    return "";
  };
  if (need == "multi_user") {
    std::string t = any_table([](const model::Table& t) { return t.owned; });
    return t.empty() ? "" : fmt::format("`{}` is owned by user, with owner-only row-level security", t);
  }
  if (need == "versioning") {
    std::string t = any_table(is_versioned);
    return t.empty() ? "" : fmt::format("`{}` keeps versions (a version column in a unique key)", t);
  }
  if (need == "search") {
    if (!m.searches.empty()) return fmt::format("search `{}` over a vector index", m.searches[0].name);
    std::string t = any_table([](const model::Table& t) {
      return std::any_of(t.indexes.begin(), t.indexes.end(),
                         [](const model::Index& i) { return i.method == model::IndexMethod::gin; });
    });
    return t.empty() ? "" : fmt::format("`{}` has a gin index for text search", t);
  }
  if (need == "sharing") {
    std::string t = any_table([](const model::Table& t) {
      return std::count(t.access.begin(), t.access.end(), model::AccessRule::public_read) ||
             std::count(t.access.begin(), t.access.end(), model::AccessRule::authenticated_read);
    });
    return t.empty() ? "" : fmt::format("`{}` is readable by others", t);
  }
  if (need == "relations") {
    for (const auto& t : m.tables)
      for (const auto& fk : t.foreign_keys)
        if (!fk.to_user && (m.table_index(fk.ref_table) >= 0 || fk.to_existing))
          return fmt::format("`{}` → `{}`{} is enforced by a foreign key", t.name, fk.ref_table,
                             fk.to_existing ? " (an existing table)" : "");
    return "";
  }
  if (need == "querying") {
    for (const auto& q : m.queries)
      if (q.served) return fmt::format("query `{}` is served by an index", q.name);
    return "";
  }
  return "";
}

// Tables reached by a data flow, a state item, a query, search or view, or a foreign key
// from a table that is itself reached.
std::set<std::string> justified_tables(const model::Model& m) {
  std::set<std::string> out;
  auto mark = [&](int i) {
    if (i >= 0) out.insert(m.tables[i].name);
  };
  for (const auto& f : m.flows) mark(f.into_table);
  for (const auto& s : m.states) mark(s.table);
  for (const auto& q : m.queries) mark(q.table);
  for (const auto& s : m.searches) mark(s.table);
  for (const auto& v : m.views) mark(v.table);
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& t : m.tables) {
      if (!out.count(t.name)) continue;
      for (const auto& fk : t.foreign_keys)
        if (m.table_index(fk.ref_table) >= 0 && out.insert(fk.ref_table).second) grew = true;
    }
  }
  return out;
}

}  // namespace

KissVerdict run_kiss(const model::Model& m, const model::Catalog* catalog, Diagnostics& diags) {
  KissVerdict v;
  std::vector<std::string> kind_names;
  for (const auto& k : need_kinds()) kind_names.push_back(k.name);

  // ---- is a database needed at all?
  std::size_t flows = m.flows.size() + m.states.size();
  std::size_t on_files = 0;
  for (const auto& f : m.flows)
    if (f.into_table < 0 && (f.keep_files || f.persistence == ast::Persistence::low)) ++on_files;
    else if (f.into_table >= 0 && f.persistence == ast::Persistence::low) ++on_files;
  for (const auto& s : m.states)
    if (s.table < 0) ++on_files;
  for (const auto& t : m.tables) (t.existing ? v.extended_tables : v.new_tables)++;

  if (m.needs.empty()) {
    v.reasons.push_back(fmt::format("the spec states no need for a database ({}); the filesystem is enough",
                                    fmt::join(kind_names, ", ")));
  } else if (flows > 0 && on_files == flows) {
    v.reasons.push_back("every data flow stays on files or has low persistence: nothing needs a database");
  } else if (m.tables.empty()) {
    v.reasons.push_back("the spec declares no table: there is nothing to store");
  }
  v.proceed = v.reasons.empty();
  // Needs are weighed only when a database is called for: after a STOP they are moot.
  int backed = 0;
  if (v.proceed) {
  // ---- each stated need must be backed by the design
  for (const auto& n : m.needs) {
    auto kind = std::find_if(need_kinds().begin(), need_kinds().end(), [&](const NeedKind& k) { return n.kind == k.name; });
    if (kind == need_kinds().end()) {
      auto& d = diags.error("K0101", n.span, fmt::format("unknown need `{}`", n.kind));
      if (auto near = closest_name(n.kind, kind_names)) d.help = fmt::format("did you mean `{}`?", *near);
      else d.help = fmt::format("the KISS gate weighs: {}", fmt::join(kind_names, ", "));
      continue;
    }
    std::string why = backing(m, n.kind);
    if (why.empty()) {
      diags.error("K0102", n.span, fmt::format("need `{}` is not backed by the design", n.kind)).help =
          fmt::format("`{}` needs {}", n.kind, kind->backed_by);
      continue;
    }
    ++backed;
    v.backed_needs.push_back(fmt::format("{}: \"{}\" — {}", n.kind, n.reason, why));
  }

  }
  if (v.proceed) {
    for (const auto& b : v.backed_needs) v.reasons.push_back(b);
    v.blocked = backed < static_cast<int>(m.needs.size());
  }

  // ---- minimum viable schema: every table must be reached by something
  if (v.proceed) {
    auto used = justified_tables(m);
    for (const auto& t : m.tables)
      if (!t.existing && !used.count(t.name))
        diags.warning("K0201", t.span, fmt::format("minimum viable schema: nothing reads or writes `{}`", t.name)).help =
            "send a data flow `into` it, map a state to it, declare a query, search or view over it, or remove it";
  }

  // ---- smallest change first: the current schema, when known
  if (catalog) {
    const std::string& schema = m.profile.schema;
    for (const auto& t : m.tables) {
      const model::CatalogTable* existing = catalog->table(schema, t.name);
      if (t.existing) {
        if (!existing) {
          diags.error("K0303", t.span, fmt::format("`extend table {}`: the database has no table `{}.{}`", t.name, schema, t.name))
              .help = fmt::format("declare it with `table {}` instead", t.name);
          continue;
        }
        for (const auto& c : t.columns)
          if (existing->column(c.name))
            diags.error("K0304", c.span, fmt::format("column `{}` already exists in `{}.{}`", c.name, schema, t.name));
        continue;
      }
      if (existing) {
        diags.error("K0302", t.span, fmt::format("table `{}` already exists in the database", t.name)).help =
            fmt::format("use `extend table {} {{ add column … }}` to change it; it is never re-created", t.name);
        continue;
      }
      // Option 1 of the checklist: an existing table that has most of this table's columns.
      std::vector<std::string> own;
      for (const auto& c : t.columns)
        if (c.origin == model::ColumnOrigin::spec) own.push_back(c.name);
      const model::CatalogTable* best = nullptr;
      std::vector<std::string> best_match;
      for (const auto& ct : catalog->tables) {
        std::vector<std::string> match;
        for (const auto& c : own)
          if (ct.column(c)) match.push_back(c);
        if (match.size() > best_match.size()) best = &ct, best_match = match;
      }
      if (best && !own.empty() && best_match.size() * 2 > own.size()) {
        std::vector<std::string> missing;
        for (const auto& c : own)
          if (!best->column(c)) missing.push_back(c);
        auto& d = diags.warning("K0301", t.span,
                                fmt::format("table `{}` could extend the existing `{}`: it already has {} of its {} columns",
                                            t.name, best->name, best_match.size(), own.size()));
        d.help = missing.empty()
                     ? fmt::format("use `{}` as it is, or write `extend table {} {{ … }}`", best->name, best->name)
                     : fmt::format("write `extend table {} {{ add column {} … }}` (Option 1 of the KISS checklist)",
                                   best->name, fmt::join(missing, ", "));
      }
    }
  }

  if (!v.proceed) v.increment = Increment::none;
  else if (v.new_tables == 0) v.increment = Increment::extend_existing;
  else if (v.new_tables == 1) v.increment = Increment::one_table;
  else v.increment = Increment::several_tables;
  return v;
}

std::string render_kiss_text(const KissVerdict& v) {
  std::string out;
  if (v.blocked) return "KISS gate: BLOCKED — a stated need is not backed by the design (see the errors)\n";
  if (v.proceed) {
    std::string inc = increment_text(v.increment);
    if (v.increment == Increment::several_tables) inc = fmt::format("{} new tables", v.new_tables);
    if (v.extended_tables && v.increment != Increment::extend_existing)
      inc += fmt::format(", {} extended", v.extended_tables);
    out += fmt::format("KISS gate: PROCEED — minimum increment: {}\n", inc);
    for (const auto& r : v.reasons) out += fmt::format("  ✓ {}\n", r);
  } else {
    out += "KISS gate: STOP — no database needed; keep the filesystem\n";
    for (const auto& r : v.reasons) out += fmt::format("  - {}\n", r);
  }
  return out;
}

std::string render_kiss_json(const KissVerdict& v) {
  std::string reasons;
  for (const auto& r : v.reasons) reasons += (reasons.empty() ? "\"" : ",\"") + json_escape(r) + "\"";
  std::string needs;
  for (const auto& r : v.backed_needs) needs += (needs.empty() ? "\"" : ",\"") + json_escape(r) + "\"";
  const char* inc = v.increment == Increment::none              ? "none"
                    : v.increment == Increment::extend_existing ? "extend_existing"
                    : v.increment == Increment::one_table       ? "one_new_table"
                                                                : "new_tables";
  return fmt::format(
      "{{\"verdict\":\"{}\",\"increment\":\"{}\",\"new_tables\":{},\"extended_tables\":{},\"reasons\":[{}],"
      "\"backed_needs\":[{}]}}",
      v.blocked ? "BLOCKED" : v.proceed ? "PROCEED" : "STOP", inc, v.new_tables, v.extended_tables, reasons, needs);
}

}  // namespace packdb::check
