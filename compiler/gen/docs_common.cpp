#include "compiler/gen/docs_common.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace packdb::gen::docs {

using model::AccessRule;
using model::Model;
using model::Table;

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

std::string singular(const std::string& name) {
  if (ends_with(name, "ss") || ends_with(name, "us") || ends_with(name, "is") || name.size() < 3) return name;
  if (ends_with(name, "ies")) return name.substr(0, name.size() - 3) + "y";
  if (ends_with(name, "sses") || ends_with(name, "xes") || ends_with(name, "ches") || ends_with(name, "shes"))
    return name.substr(0, name.size() - 2);
  if (ends_with(name, "s")) return name.substr(0, name.size() - 1);
  return name;
}

std::string pack_title(const Model& m) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : m.pack) {
    if (c == '_' || c == '-' || c == ' ') {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) words.push_back(cur);
  if (words.empty()) return m.pack;
  std::vector<std::string> out;
  for (auto w : words) {
    bool acronym = w.size() <= 2 || (words.size() == 1 && w.size() <= 5);
    for (std::size_t i = 0; i < w.size(); ++i) {
      unsigned char u = static_cast<unsigned char>(w[i]);
      if (u >= 128) continue;
      if (acronym || i == 0) w[i] = static_cast<char>(std::toupper(u));
    }
    out.push_back(w);
  }
  return join(out, " ");
}

AccessFlags access_of(const Table& t) {
  AccessFlags a;
  for (AccessRule r : t.access) switch (r) {
      case AccessRule::owner: a.owner = true; break;
      case AccessRule::inherited: a.inherited = true; break;
      case AccessRule::public_read: a.public_read = true; break;
      case AccessRule::authenticated_read: a.auth_read = true; break;
      case AccessRule::service_only: a.service_only = true; break;
      case AccessRule::custom: a.custom = true; break;
    }
  if (t.access.empty()) {
    if (t.owned) a.owner = true;
    else if (t.parent >= 0 || !t.links.empty()) a.inherited = true;
    else if (!t.policies.empty()) a.custom = true;
  }
  return a;
}

std::string access_words(const Model& m, const Table& t) {
  const auto& p = m.profile;
  if (!t.rls && t.existing) return "Unchanged: this pack leaves the table's row-level security as it is.";
  if (!t.rls) return "Row-level security is not enabled on this table.";
  AccessFlags a = access_of(t);
  std::vector<std::string> parts;
  if (a.owner)
    parts.push_back(fmt::format("each signed-in user reaches only their own rows ({} is the user)", p.owner_column));
  if (a.inherited) {
    if (t.parent >= 0) {
      const Table& parent = m.tables[t.parent];
      std::string via;
      for (const auto& fk : t.foreign_keys)
        if (fk.to_parent || m.table_index(fk.ref_table) == t.parent) via = join(fk.columns, ", ");
      parts.push_back(fmt::format("inherited from {}{}: a user reaches the rows under the {} rows they may reach",
                                  parent.name, via.empty() ? "" : " via " + via, parent.name));
    } else if (!t.links.empty()) {
      std::vector<std::string> names;
      for (int li : t.links)
        if (li >= 0 && li < static_cast<int>(m.tables.size())) names.push_back(m.tables[li].name);
      parts.push_back(fmt::format("inherited from {}: a user reaches the links between rows they may reach",
                                  join(names, " and ")));
    }
  }
  if (a.public_read) parts.push_back("anyone, signed in or not, may read every row");
  if (a.auth_read) parts.push_back("every signed-in user may read every row");
  if (a.service_only) parts.push_back("only the service role (which bypasses row-level security) reaches the rows");
  if (a.custom) parts.push_back("custom policies written in the spec decide");
  bool any_raw = std::any_of(t.policies.begin(), t.policies.end(), [](const model::Policy& p) { return p.raw; });
  if (any_raw && !a.custom) parts.push_back("plus custom policies written in the spec");
  if (a.user_writable() == false && (a.public_read || a.auth_read) && !a.custom && !any_raw)
    parts.push_back("nobody but the service role and the migrations writes it");
  if (parts.empty()) return "Row-level security is enabled and no policy grants access: no API role reaches a row.";
  std::string s = join(parts, "; ");
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s + ".";
}

std::string ref_name(const Model& m, const std::string& ref) {
  int ti = m.table_index(ref);
  if (ti >= 0) return m.tables[ti].name;
  return ref;
}

std::string fk_target(const Model& m, const model::ForeignKey& fk) {
  return ref_name(m, fk.ref_table) + "(" + join(plan::fk_ref_columns(m, fk), ", ") + ")";
}

const model::ForeignKey* fk_of_column(const Table& t, const std::string& column) {
  for (const auto& fk : t.foreign_keys)
    if (std::find(fk.columns.begin(), fk.columns.end(), column) != fk.columns.end()) return &fk;
  return nullptr;
}

bool is_unique_columns(const Table& t, const std::vector<std::string>& cols) {
  // Called for every column of every table by three documents: most candidates differ in
  // size, which is told before anything is copied.
  auto same_set = [&](const std::vector<std::string>& key) {
    if (key.size() != cols.size()) return false;
    if (key.size() == 1) return key[0] == cols[0];
    std::vector<std::string> a = key, b = cols;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
  };
  if (!cols.empty() && same_set(t.primary_key)) return true;
  for (const auto& u : t.uniques)
    if (same_set(u.columns)) return true;
  for (const auto& ix : t.indexes) {
    if (!ix.unique || !ix.where_sql.empty() || ix.columns.size() != cols.size()) continue;
    std::vector<std::string> names;
    for (const auto& c : ix.columns) names.push_back(c.name);
    if (same_set(names)) return true;
  }
  return false;
}

bool is_versioned(const Table& t) {
  for (const auto& u : t.uniques)
    for (const auto& c : u.columns) {
      const model::Column* col = t.column(c);
      bool named = c == "version" || ends_with(c, "_version");
      if (col && named && col->type.is_integer()) return true;
    }
  return false;
}

bool is_primary_key_column(const Table& t, const std::string& column) {
  return std::find(t.primary_key.begin(), t.primary_key.end(), column) != t.primary_key.end();
}

bool is_single_unique_column(const Table& t, const std::string& column) {
  if (t.primary_key.size() == 1 && t.primary_key[0] == column) return false;  // PK says it already
  return is_unique_columns(t, {column});
}

bool evolving(const std::vector<plan::Phase>& phases) {
  return !phases.empty() && phases.front().kind == plan::PhaseKind::evolution;
}

plan::PhaseKind table_phase(const Table& t) {
  if (t.existing) return plan::PhaseKind::extensions;
  return t.depth <= 0 ? plan::PhaseKind::foundation : plan::PhaseKind::extensions;
}

bool is_auth_table(const Model& m, const Table& t) {
  const std::string schema = plan::table_schema(m, t);
  if (schema == "auth") return true;
  const std::string& users = m.profile.user_table;
  if (!users.empty()) {
    if (t.name == users) return true;
    auto dot = users.find('.');
    std::string bare = dot == std::string::npos ? users : users.substr(dot + 1);
    std::string uschema = dot == std::string::npos ? m.profile.schema : users.substr(0, dot);
    if (schema == uschema && plan::table_bare_name(t) == bare) return true;
  }
  return plan::table_bare_name(t) == "users";
}

std::string index_words(const model::Index& ix) {
  std::vector<std::string> cols;
  for (const auto& c : ix.columns) {
    std::string s = c.name;
    if (!c.opclass.empty()) s += " " + c.opclass;
    if (c.descending) s += " DESC";
    cols.push_back(s);
  }
  std::string out;
  if (ix.method != model::IndexMethod::btree) out += std::string(model::index_method_sql(ix.method)) + " ";
  out += "(" + join(cols, ", ") + ")";
  if (ix.unique) out += " UNIQUE";
  if (!ix.where_sql.empty()) out += " WHERE " + ix.where_sql;
  return out;
}

std::vector<std::string> index_list(const Table& t) {
  std::vector<std::string> out;
  for (const auto& u : t.uniques) {
    bool listed = false;
    for (const auto& ix : t.indexes) {
      if (!ix.unique || !ix.where_sql.empty() || ix.columns.size() != u.columns.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < u.columns.size(); ++i) same = same && ix.columns[i].name == u.columns[i];
      listed = listed || same;
    }
    if (!listed) out.push_back("(" + join(u.columns, ", ") + ") UNIQUE");
  }
  for (const auto& ix : t.indexes) out.push_back(index_words(ix));
  return out;
}

std::vector<Relation> relations(const Model& m) {
  std::vector<Relation> out;
  for (std::size_t i = 0; i < m.tables.size(); ++i) {
    const Table& t = m.tables[i];
    for (const auto& fk : t.foreign_keys) {
      Relation r;
      int ri = m.table_index(fk.ref_table);
      r.one = ref_name(m, fk.ref_table);
      r.one_table = ri;
      r.many_table = static_cast<int>(i);
      r.columns = fk.columns;
      r.on_delete = fk.on_delete;
      r.one_to_one = is_unique_columns(t, fk.columns);
      for (const auto& c : fk.columns)
        if (const model::Column* col = t.column(c); col && col->nullable) r.optional = true;
      bool link = std::find(t.links.begin(), t.links.end(), ri) != t.links.end() && ri >= 0;
      if (fk.to_user || (t.owned && fk.columns.size() == 1 && fk.columns[0] == m.profile.owner_column))
        r.kind = RelationKind::owner;
      else if (link)
        r.kind = RelationKind::link;
      else if (fk.to_parent || (t.parent >= 0 && ri == t.parent))
        r.kind = RelationKind::child_of;
      else
        r.kind = RelationKind::reference;
      out.push_back(std::move(r));
    }
    // Owned tables on a profile without a users table: the owner is a plain uuid column.
    if (t.owned && m.profile.user_table.empty()) {
      bool has = std::any_of(out.begin(), out.end(), [&](const Relation& r) {
        return r.many_table == static_cast<int>(i) && r.kind == RelationKind::owner;
      });
      if (!has) {
        Relation r;
        r.kind = RelationKind::owner;
        r.one = "user";
        r.many_table = static_cast<int>(i);
        r.columns = {m.profile.owner_column};
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

std::string relation_words(const Model& m, const Relation& r) {
  const Table& many = m.tables[r.many_table];
  const std::string one_name = r.kind == RelationKind::owner ? "user"
                               : r.one_table >= 0          ? singular(m.tables[r.one_table].name)
                                                           : r.one;
  std::vector<std::string> notes;
  std::string head;
  if (r.kind == RelationKind::link) {
    // Written once per link table, from its first foreign key.
    std::vector<std::string> linked;
    for (int li : many.links)
      if (li >= 0) linked.push_back(m.tables[li].name);
    return fmt::format("Many {} ↔ many {} (through {})", linked.size() > 0 ? linked[0] : "?",
                       linked.size() > 1 ? linked[1] : "?", many.name);
  }
  if (r.one_to_one)
    head = fmt::format("One {} → at most one {}", one_name, singular(many.name));
  else
    head = fmt::format("One {} → many {}", one_name, many.name);
  if (r.kind == RelationKind::owner) {
    notes.push_back("owner column " + join(r.columns, ", "));
    if (r.on_delete == model::OnDelete::cascade && r.one_table < 0 && !m.profile.user_table.empty())
      notes.push_back("deleted with the user");
  } else {
    if (r.kind == RelationKind::child_of && is_versioned(many)) notes.push_back("versioned");
    notes.push_back("via " + join(r.columns, ", "));
    if (r.optional) notes.push_back("optional");
    switch (r.on_delete) {
      case model::OnDelete::cascade: notes.push_back("deleted with it"); break;
      case model::OnDelete::restrict: notes.push_back("it cannot be deleted while referenced"); break;
      case model::OnDelete::set_null: notes.push_back("set to null when it is deleted"); break;
      case model::OnDelete::set_default: notes.push_back("set to its default when it is deleted"); break;
      case model::OnDelete::no_action: break;
    }
  }
  return head + " (" + join(notes, "; ") + ")";
}

std::string one_line(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

}  // namespace packdb::gen::docs
