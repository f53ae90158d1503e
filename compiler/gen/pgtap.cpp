#include "compiler/gen/pgtap.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/plan/phases.hpp"

namespace packdb::gen {

namespace {

using model::AccessRule;
using model::Model;
using model::Table;

std::string qi(const std::string& s) { return model::quote_ident(s); }
std::string ql(const std::string& s) { return model::quote_literal(s); }

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// array['a', 'b'] (pgTAP wants catalog names: unquoted, as stored).
std::string name_array(const std::vector<std::string>& names) {
  if (names.empty()) return "'{}'::name[]";
  std::vector<std::string> q;
  for (const auto& n : names) q.push_back(ql(n));
  return "array[" + join(q, ", ") + "]::name[]";
}

constexpr const char* kUserA = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kUserB = "00000000-0000-4000-8000-00000000000b";

std::string uuid_sql(const std::string& u) { return ql(u) + "::uuid"; }

// The fixed key of the sample row of table `ti` (by user A, or by the superuser).
std::string row_uuid(int ti, bool by_user) {
  return fmt::format("00000000-0000-4000-{}-{:012x}", by_user ? "a000" : "b000", ti + 1);
}

struct Access {
  bool owner = false, inherited = false, public_read = false, auth_read = false, service_only = false, custom = false;
  bool writable() const { return owner || inherited; }
  bool private_rows() const { return writable() && !public_read && !auth_read; }
};

Access access_of(const Table& t) {
  Access a;
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
    else a.custom = true;  // nothing declared: test the structure only
  }
  return a;
}

// A sample row's values (column, SQL) or the reason none can be generated.
struct Values {
  bool ok = true;
  std::string why;
  std::vector<std::pair<std::string, std::string>> cols;
};

// How a row is written:
//   own      user A's own row (owner column from its default, FKs to A's rows)
//   setup    the superuser's row for tables users cannot write (owner A)
//   forge    user B writing a row owned by user A
//   under    user B writing a row under user A's rows (owner B)
//   write    anyone writing into a table users cannot write
enum class Mode { own, setup, forge, under, write };

struct Row {
  bool ok = false;
  bool by_user = false;
  std::string id;   // the key as SQL, when the key is a uuid we set
  std::string why;  // when !ok
};

enum class Role { super, user_a, user_b, anon, service };

class Tap {
 public:
  // With a `sink`, the body is handed to it a megabyte at a time as it is made and generate()
  // returns the head only; without one, generate() returns the whole file.
  Tap(const Model& m, const BodySink* sink) : m_(m), rows_(m.tables.size()), sink_(sink) {
    // Room for the whole body (or a piece) up front (a bench table takes under 5 kB): growing
    // by doubling would hold the old and the new buffer at once, one and a half times the file,
    // at the peak of a large compile. Pages never written are never resident.
    body_.reserve(sink_ ? kPiece + 64 * 1024 : 64 * 1024 + 16 * 1024 * m.tables.size());
  }

  std::string generate() {
    structure();
    isolation();
    std::string out = head();
    if (sink_) {
      body_ += kTail;
      (*sink_)(body_);
      return out;
    }
    body_.insert(0, out);  // in place: the body is by far the larger part
    body_ += kTail;
    return std::move(body_);
  }

  int planned() const { return planned_; }

 private:
  static constexpr std::size_t kPiece = 1 << 20;
  static constexpr const char* kTail = "\nselect * from finish();\nrollback;\n";

  // The comments, notes found while making the body, and the plan count.
  std::string head() const {
    std::string out;
    out += "-- packdbc pgTAP tests for pack " + m_.pack + ": structure, indexes and RLS isolation.\n";
    out += "-- Generated from the pack's .packdb spec; edit the spec, not this file.\n";
    out += "-- Run on a database with every migration applied: pg_prove -d <db> <this file>, or\n";
    out += "-- supabase test db. Everything happens in one transaction that is rolled back.\n";
    for (const auto& n : notes_) out += "-- " + n + "\n";
    out += "\nbegin;\n";
    out += "create extension if not exists pgtap;\n";
    out += fmt::format("select plan({});\n", planned_);
    return out;
  }

  // ---- output --------------------------------------------------------------------------------------
  void test(const std::string& sql) {
    put(sql);
    ++planned_;
  }
  void line(const std::string& s) { put(s); }
  void section(const std::string& title) {
    body_ += "\n-- ";
    put(title);
  }
  void put(const std::string& text) {
    body_ += text;
    body_ += '\n';
    if (sink_ && body_.size() >= kPiece) {
      (*sink_)(body_);
      body_.clear();
    }
  }

  std::string setting_sql(const std::string& value) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : m_.profile.jwt_sub_setting) {
      if (c == '.') {
        parts.push_back(qi(cur));
        cur.clear();
      } else {
        cur += c;
      }
    }
    parts.push_back(qi(cur));
    return fmt::format("set local {} = {};", join(parts, "."), ql(value));
  }

  void become(Role r) {
    if (r == role_) return;
    if (role_ != Role::super) line("reset role;");
    const auto& p = m_.profile;
    switch (r) {
      case Role::super: break;
      case Role::user_a:
      case Role::user_b:
        line(fmt::format("set local role {};", qi(p.user_role)));
        if (!p.jwt_sub_setting.empty()) line(setting_sql(r == Role::user_a ? kUserA : kUserB));
        break;
      case Role::anon:
        line(fmt::format("set local role {};", qi(p.anon_role)));
        if (!p.jwt_sub_setting.empty()) line(setting_sql(""));
        break;
      case Role::service:
        line(fmt::format("set local role {};", qi(p.service_role)));
        if (!p.jwt_sub_setting.empty()) line(setting_sql(""));
        break;
    }
    role_ = r;
  }

  std::string tname(const Table& t) const { return plan::table_sql(m_, t); }
  std::string schema_lit(const Table& t) const { return ql(plan::table_schema(m_, t)); }
  std::string bare_lit(const Table& t) const { return ql(plan::table_bare_name(t)); }
  std::string regclass(const Table& t) const { return ql(tname(t)) + "::regclass"; }

  // ---- structure -----------------------------------------------------------------------------------
  void structure() {
    const auto& p = m_.profile;
    if (!plan::required_extensions(m_).empty() || !m_.enums.empty()) section("structure: extensions and enums");
    for (const auto& ext : plan::required_extensions(m_))
      test(fmt::format("select has_extension({}, {}, {});", ql(p.extension_schema), ql(ext),
                       ql("extension " + ext + " is installed in schema " + p.extension_schema)));
    for (const auto& e : m_.enums) {
      test(fmt::format("select has_enum({}, {}, {});", ql(p.schema), ql(e.name),
                       ql("enum " + p.schema + "." + e.name + " exists")));
      test(fmt::format("select enum_has_labels({}, {}, {}, {});", ql(p.schema), ql(e.name), name_array(e.values),
                       ql("enum " + p.schema + "." + e.name + " has its values in order")));
    }
    bool any_trigger = false;
    for (const auto& t : m_.tables) {
      any_trigger = any_trigger || t.has_updated_at;
      table_structure(t);
    }
    if (any_trigger) {
      section("structure: the updated_at trigger function");
      function_is_safe(p.schema, plan::pack_ident(m_.pack) + "_set_updated_at");
    }
    if (!m_.searches.empty() || !m_.views.empty()) section("structure: search functions and views");
    for (const auto& s : m_.searches) {
      test(fmt::format("select has_function({}, {}, {});", ql(p.schema), ql(s.name),
                       ql("search function " + p.schema + "." + s.name + " exists")));
      function_is_safe(p.schema, s.name);
    }
    for (const auto& v : m_.views) {
      test(fmt::format("select has_view({}, {}, {});", ql(p.schema), ql(v.name),
                       ql("view " + p.schema + "." + v.name + " exists")));
      test(fmt::format(
          "select ok((select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c\n"
          "           where c.oid = {}::regclass), {});",
          ql(plan::qualify(p.schema, v.name)),
          ql("view " + p.schema + "." + v.name + " runs with the caller's rights (security_invoker)")));
    }
  }

  void function_is_safe(const std::string& schema, const std::string& name) {
    test(fmt::format(
        "select ok((select bool_and(not p.prosecdef and p.proconfig @> array['search_path=\"\"'])\n"
        "           from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace\n"
        "           where n.nspname = {} and p.proname = {}), {});",
        ql(schema), ql(name),
        ql("function " + schema + "." + name + " is security invoker with a fixed empty search_path")));
  }

  void table_structure(const Table& t) {
    const std::string tn = plan::table_schema(m_, t) + "." + plan::table_bare_name(t);
    const std::string table_args = schema_lit(t) + ", " + bare_lit(t);  // every test here starts with them
    section("structure: " + tn + (t.existing ? " (existing table, extended)" : ""));
    test(fmt::format("select has_table({}, {});", table_args, ql("table " + tn + " exists")));
    if (t.existing)
      for (const auto& c : t.columns)
        test(fmt::format("select has_column({}, {}, {});", table_args, ql(c.name),
                         ql("column " + tn + "." + c.name + " was added")));
    if (!t.existing && !t.primary_key.empty())
      test(fmt::format("select has_pk({}, {});", table_args, ql(tn + " has a primary key")));
    if (t.rls) {
      test(fmt::format("select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = {}), {});",
                       regclass(t), ql("row level security is enabled on " + tn)));
      if (!t.existing) {
        std::vector<std::string> names;
        for (const auto& p : t.policies) names.push_back(p.name);
        test(fmt::format("select policies_are({}, {}, {});", table_args, name_array(names),
                         ql(tn + " has exactly its declared policies")));
      }
    }
    for (const auto& p : t.policies) {
      std::string cmd = model::command_sql(p.command);
      test(fmt::format("select policy_cmd_is({}, {}, {}, {});", table_args, ql(p.name), ql(cmd),
                       ql("policy " + p.name + " on " + tn + " applies to " + cmd)));
      bool named_roles = !p.roles.empty() && std::find(p.roles.begin(), p.roles.end(), "public") == p.roles.end();
      if (named_roles)
        test(fmt::format("select policy_roles_are({}, {}, {}, {});", table_args, ql(p.name),
                         name_array(p.roles), ql("policy " + p.name + " on " + tn + " is for " + join(p.roles, ", "))));
    }
    for (const auto& fk : t.foreign_keys) {
      std::string ref = fk.ref_table;
      int ri = m_.table_index(ref);
      std::string rschema, rname;
      if (ri >= 0) {
        rschema = plan::table_schema(m_, m_.tables[ri]);
        rname = plan::table_bare_name(m_.tables[ri]);
      } else if (auto dot = ref.find('.'); dot != std::string::npos) {
        rschema = ref.substr(0, dot);
        rname = ref.substr(dot + 1);
      } else {
        rschema = m_.profile.schema;
        rname = ref;
      }
      test(fmt::format("select fk_ok({}, {}, {}, {}, {}, {});", table_args, name_array(fk.columns),
                       ql(rschema), ql(rname), name_array(plan::fk_ref_columns(m_, fk)),
                       ql(tn + "(" + join(fk.columns, ", ") + ") references " + rschema + "." + rname)));
    }
    for (const auto& ix : t.indexes) {
      bool plain = true;
      std::vector<std::string> cols;
      for (const auto& c : ix.columns) {
        if (c.name.find('(') != std::string::npos || c.name.find(' ') != std::string::npos) plain = false;
        cols.push_back(qi(c.name));
      }
      if (plain)
        test(fmt::format("select has_index({}, {}, {}, {});", table_args, ql(ix.name),
                         name_array(cols), ql("index " + ix.name + " on " + tn)));
      else
        test(fmt::format("select has_index({}, {}, {});", table_args, ql(ix.name),
                         ql("index " + ix.name + " on " + tn)));
    }
    // Foreign key and policy columns lead an index (splinter: unindexed_foreign_keys; RLS performance).
    std::vector<std::vector<std::string>> leads;
    auto add_lead = [&](const std::vector<std::string>& cols) {
      if (!cols.empty() && std::find(leads.begin(), leads.end(), cols) == leads.end()) leads.push_back(cols);
    };
    if (t.owned && t.has_column(m_.profile.owner_column)) add_lead({m_.profile.owner_column});
    for (const auto& fk : t.foreign_keys) add_lead(fk.columns);
    for (const auto& cols : leads) {
      std::vector<std::string> lits;
      for (const auto& c : cols) lits.push_back(ql(c));
      test(fmt::format(
          "select ok(exists (\n"
          "  select 1 from pg_catalog.pg_index i\n"
          "  where i.indrelid = {0}\n"
          "    and (select array_agg(a.attname::text order by k.n)\n"
          "         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)\n"
          "         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum\n"
          "         where k.n <= {1}) = array[{2}]::text[]), {3});",
          regclass(t), cols.size(), join(lits, ", "),
          ql(tn + "(" + join(cols, ", ") + ") leads an index")));
    }
    if (t.has_updated_at)
      test(fmt::format("select has_trigger({}, {}, {});", table_args,
                       ql(plan::updated_at_trigger_name(t)), ql(tn + " keeps " + m_.profile.updated_column + " current")));
  }

  // ---- sample values -------------------------------------------------------------------------------
  // A value of the type for a required column, or "" when none can be made up.
  std::string sample_value(const Table& t, const model::SqlType& ty, char who) const {
    if (ty.array_dims > 0) return "'{}'";
    if (const model::Enum* e = ty.enum_type ? ty.enum_type : m_.find_enum(ty.base))
      return e->values.empty() ? "" : ql(e->values.front());
    if (ty.base == "vector" || ty.base == "halfvec") {
      if (ty.params.empty()) return "";
      return fmt::format("array_fill(0.1::real, array[{}])::{}.{}", ty.params[0], qi(m_.profile.extension_schema),
                         ty.base);
    }
    if (ty.is_text() || ty.base == "character varying" || ty.base == "character") {
      std::string s = fmt::format("sample-{}-{}", plan::table_bare_name(t), who);
      if (!ty.params.empty() && ty.params[0] > 0 && static_cast<long long>(s.size()) > ty.params[0])
        s.resize(static_cast<std::size_t>(ty.params[0]));
      return ql(s);
    }
    if (ty.is_numeric()) return "1";
    if (ty.is_bool()) return "true";
    if (ty.is_uuid()) return "gen_random_uuid()";
    if (ty.is_json()) return "'{}'";
    if (ty.base == "timestamptz" || ty.base == "timestamp") return "now()";
    if (ty.base == "date") return "current_date";
    if (ty.base == "time" || ty.base == "timetz") return "'12:00'";
    if (ty.base == "interval") return "'1 day'";
    if (ty.base == "bytea") return "'\\x00'";
    if (ty.base == "inet" || ty.base == "cidr") return "'127.0.0.1'";
    return "";
  }

  bool is_user_table(const std::string& ref) const {
    return !m_.profile.user_table.empty() && ref == m_.profile.user_table;
  }

  Values values_for(int ti, Mode mode) const {
    const Table& t = m_.tables[ti];
    const auto& p = m_.profile;
    Values v;
    const char who = (mode == Mode::own || mode == Mode::setup) ? 'a' : 'b';
    const bool single_key = t.primary_key.size() == 1 && t.primary_key[0] == p.key_column;
    for (const auto& c : t.columns) {
      // The key: fixed for the rows others refer to, from its default otherwise.
      if (single_key && c.name == p.key_column) {
        if ((mode == Mode::own || mode == Mode::setup) && c.type.is_uuid())
          v.cols.emplace_back(c.name, uuid_sql(row_uuid(ti, mode == Mode::own)));
        else if (c.default_sql.empty()) {
          if (!c.type.is_uuid()) return {false, "its key " + c.name + " has no default", {}};
          v.cols.emplace_back(c.name, "gen_random_uuid()");
        }
        continue;
      }
      if (t.owned && c.name == p.owner_column) {
        bool as_a = mode == Mode::setup || mode == Mode::forge || (mode == Mode::own && c.default_sql.empty());
        if (as_a)
          v.cols.emplace_back(c.name, uuid_sql(kUserA));
        else if (c.default_sql.empty())
          v.cols.emplace_back(c.name, uuid_sql(kUserB));
        continue;
      }
      // Foreign key columns point to the sample rows (user A's, or the superuser's).
      const model::ForeignKey* fk = nullptr;
      for (const auto& f : t.foreign_keys)
        if (std::find(f.columns.begin(), f.columns.end(), c.name) != f.columns.end()) fk = &f;
      if (fk) {
        std::string value;
        if (fk->columns.size() == 1) {
          if (is_user_table(fk->ref_table) || fk->to_user)
            value = uuid_sql(mode == Mode::under || mode == Mode::write ? kUserB : kUserA);
          else if (int ri = m_.table_index(fk->ref_table); ri >= 0 && rows_[ri].ok && !rows_[ri].id.empty())
            value = rows_[ri].id;
        }
        if (!value.empty()) {
          v.cols.emplace_back(c.name, value);
        } else if (!c.nullable && c.default_sql.empty()) {
          int ri = m_.table_index(fk->ref_table);
          return {false,
                  "column " + c.name + " needs a row of " + fk->ref_table +
                      (ri >= 0 && !rows_[ri].ok ? " (which has none: " + rows_[ri].why + ")" : ""),
                  {}};
        }
        continue;
      }
      if (c.nullable || !c.default_sql.empty()) continue;
      std::string value = c.sample_sql.empty() ? sample_value(t, c.type, who) : c.sample_sql;
      if (value.empty()) return {false, "no sample value for column " + c.name + " of type " + c.type.sql(), {}};
      v.cols.emplace_back(c.name, value);
    }
    return v;
  }

  std::string insert_sql(const Table& t, const Values& v) const {
    if (v.cols.empty()) return fmt::format("insert into {} default values", tname(t));
    std::vector<std::string> cols, vals;
    for (const auto& [c, x] : v.cols) {
      cols.push_back(qi(c));
      vals.push_back(x);
    }
    return fmt::format("insert into {} ({}) values ({})", tname(t), join(cols, ", "), join(vals, ", "));
  }

  bool behaviour(int ti) const {
    const Table& t = m_.tables[ti];
    return rows_[ti].ok && t.rls && !t.existing && !access_of(t).custom;
  }

  const model::ForeignKey* parent_fk(const Table& t) const {
    for (const auto& fk : t.foreign_keys)
      if (fk.to_parent) return &fk;
    if (t.parent >= 0)
      for (const auto& fk : t.foreign_keys)
        if (m_.table_index(fk.ref_table) == t.parent) return &fk;
    return nullptr;
  }

  // schema.table, unquoted, for test descriptions.
  std::string desc_name(const Table& t) const { return plan::table_schema(m_, t) + "." + plan::table_bare_name(t); }

  // ---- isolation -----------------------------------------------------------------------------------
  void isolation() {
    const auto& p = m_.profile;
    if (p.user_role.empty()) {
      notes_.push_back("No user role in the profile: the RLS isolation tests are not generated.");
      return;
    }
    section("RLS isolation: two users, A and B (created as the superuser running the tests)");
    if (!p.user_table.empty())
      line(fmt::format("insert into {} ({}) values ({}), ({});", plan::qualify(p.schema, p.user_table),
                       qi(p.user_key), uuid_sql(kUserA), uuid_sql(kUserB)));

    section("sample rows: user A writes its own rows (following the foreign keys from them); rows of\n"
            "-- tables users cannot write come from the superuser");
    for (std::size_t i = 0; i < m_.tables.size(); ++i) {
      const int ti = static_cast<int>(i);
      const Table& t = m_.tables[i];
      Row& row = rows_[i];
      if (t.existing) {
        row.why = "it is an existing table whose other columns the spec does not describe";
        notes_.push_back(desc_name(t) + ": structure tests only (" + row.why + ").");
        continue;
      }
      const Access a = access_of(t);
      const bool by_user = a.writable() && !a.custom && t.rls;
      Values v = values_for(ti, by_user ? Mode::own : Mode::setup);
      if (!v.ok) {
        row.why = v.why;
        notes_.push_back(desc_name(t) + ": no sample row, so no RLS behaviour tests (" + v.why + ").");
        continue;
      }
      become(by_user ? Role::user_a : Role::super);
      test(fmt::format("select lives_ok(\n  $$ {} $$,\n  {});", insert_sql(t, v),
                       ql(by_user ? "user A can create a row in " + desc_name(t)
                                  : "setup: a row in " + desc_name(t) + " (as the superuser, bypassing RLS)")));
      row.ok = true;
      row.by_user = by_user;
      const model::Column* key = t.column(p.key_column);
      if (t.primary_key.size() == 1 && t.primary_key[0] == p.key_column && key && key->type.is_uuid())
        row.id = uuid_sql(row_uuid(ti, by_user));
      if (a.custom) notes_.push_back(desc_name(t) + ": custom policies, structure tests only.");
    }

    section("as user B: none of user A's rows can be seen, forged, changed or deleted");
    become(Role::user_b);
    for (std::size_t i = 0; i < m_.tables.size(); ++i) {
      const int ti = static_cast<int>(i);
      if (!behaviour(ti)) continue;
      const Table& t = m_.tables[i];
      const Access a = access_of(t);
      const std::string dn = desc_name(t);
      if (a.private_rows())
        test(fmt::format("select is((select count(*) from {}), 0::bigint, {});", tname(t),
                         ql("user B sees none of user A's rows in " + dn)));
      else if (a.public_read || a.auth_read)
        test(fmt::format("select ok((select count(*) from {}) > 0, {});", tname(t),
                         ql("signed-in users can read " + dn)));
      else
        test(fmt::format("select is((select count(*) from {}), 0::bigint, {});", tname(t),
                         ql("signed-in users see no rows of " + dn)));

      const model::ForeignKey* pfk = parent_fk(t);
      if (a.writable() && t.owned) {
        Values v = values_for(ti, Mode::forge);
        if (v.ok) throws(t, insert_sql(t, v), "user B cannot create a row owned by user A in " + dn);
      }
      if (a.writable() && pfk) {
        Values v = values_for(ti, Mode::under);
        if (v.ok) throws(t, insert_sql(t, v), "user B cannot add a row under user A's " + pfk->ref_table + " in " + dn);
      }
      if (a.writable() && !t.owned && !pfk) {
        Values v = values_for(ti, Mode::under);
        if (v.ok) throws(t, insert_sql(t, v), "user B cannot write a row referring to user A's rows in " + dn);
      }
      if (!a.writable()) {
        Values v = values_for(ti, Mode::write);
        if (v.ok) throws(t, insert_sql(t, v), "signed-in users cannot write to " + dn);
      }
      std::string set_col = t.primary_key.empty() ? t.columns.front().name : t.primary_key.front();
      // A key "generated always as identity" (a profile from a database with such keys) can only
      // be set to DEFAULT: touch the first other column instead.
      if (const model::Column* k = t.column(set_col); k && k->default_sql.rfind("generated always", 0) == 0)
        for (const auto& c : t.columns)
          if (c.default_sql.rfind("generated ", 0) != 0) {
            set_col = c.name;
            break;
          }
      const std::string whose = a.writable() ? "user B cannot {} user A's rows in " : "signed-in users cannot {} rows of ";
      test(fmt::format("with changed as (update {} set {} = {} returning 1)\n"
                       "select is(count(*), 0::bigint, {}) from changed;",
                       tname(t), qi(set_col), qi(set_col), ql(fmt::format(fmt::runtime(whose), "update") + dn)));
      test(fmt::format("with gone as (delete from {} returning 1)\n"
                       "select is(count(*), 0::bigint, {}) from gone;",
                       tname(t), ql(fmt::format(fmt::runtime(whose), "delete") + dn)));
    }
    for (const auto& s : m_.searches) search_as_b(s);
    for (const auto& v : m_.views) {
      if (v.table < 0 || !behaviour(v.table) || !access_of(m_.tables[v.table]).private_rows()) continue;
      std::string vn = plan::qualify(p.schema, v.name);
      test(fmt::format("select is((select count(*) from {}), 0::bigint, {});", vn,
                       ql("view " + p.schema + "." + v.name + " shows user B none of user A's rows")));
    }

    section("as user A: its own rows are visible");
    become(Role::user_a);
    for (std::size_t i = 0; i < m_.tables.size(); ++i) {
      const int ti = static_cast<int>(i);
      if (!behaviour(ti) || !rows_[i].by_user || !access_of(m_.tables[i]).private_rows()) continue;
      test(fmt::format("select is((select count(*) from {}), 1::bigint, {});", tname(m_.tables[i]),
                       ql("user A sees its own row in " + desc_name(m_.tables[i]))));
    }

    if (!p.anon_role.empty()) {
      section("as " + p.anon_role + " (not signed in): nothing private is visible");
      become(Role::anon);
      for (std::size_t i = 0; i < m_.tables.size(); ++i) {
        const int ti = static_cast<int>(i);
        if (!behaviour(ti)) continue;
        const Table& t = m_.tables[i];
        const Access a = access_of(t);
        const std::string dn = desc_name(t);
        if (a.public_read)
          test(fmt::format("select ok((select count(*) from {}) > 0, {});", tname(t),
                           ql(p.anon_role + " can read " + dn)));
        else
          test(fmt::format("select is((select count(*) from {}), 0::bigint, {});", tname(t),
                           ql(p.anon_role + " sees no rows of " + dn)));
        if (!a.writable()) {
          Values v = values_for(ti, Mode::write);
          if (v.ok) throws(t, insert_sql(t, v), p.anon_role + " cannot write to " + dn);
        }
      }
    } else {
      notes_.push_back("No anonymous role in the profile: no anonymous-access tests.");
    }

    if (!p.service_role.empty()) {
      bool any = false;
      for (std::size_t i = 0; i < m_.tables.size(); ++i) {
        const int ti = static_cast<int>(i);
        const Access a = access_of(m_.tables[i]);
        if (!behaviour(ti) || !a.service_only || a.writable() || a.public_read || a.auth_read) continue;
        if (!any) section("as " + p.service_role + ": service-only rows are reachable");
        any = true;
        become(Role::service);
        test(fmt::format("select ok((select count(*) from {}) > 0, {});", tname(m_.tables[i]),
                         ql(p.service_role + " reaches the rows of " + desc_name(m_.tables[i]))));
      }
    }
    become(Role::super);
  }

  // Denied by row-level security itself, not by a missing privilege (which is 42501 too).
  void throws(const Table& t, const std::string& sql, const std::string& desc) {
    std::string msg = fmt::format("new row violates row-level security policy for table \"{}\"", plan::table_bare_name(t));
    test(fmt::format("select throws_ok(\n  $$ {} $$,\n  '42501', {},\n  {});", sql, ql(msg), ql(desc)));
  }

  void search_as_b(const model::Search& s) {
    if (s.table < 0 || !behaviour(s.table) || !access_of(m_.tables[s.table]).private_rows()) return;
    const Table& t = m_.tables[s.table];
    const model::ForeignKey* pfk = parent_fk(t);
    std::vector<std::string> args;
    for (const auto& p : s.filter_params) {
      std::string v;
      if (p.type.is_uuid() && pfk && t.parent >= 0 && rows_[t.parent].ok && !rows_[t.parent].id.empty())
        v = rows_[t.parent].id;
      else
        v = sample_value(t, p.type, 'b');
      if (v.empty()) {
        notes_.push_back("search " + s.name + ": no sample value for parameter " + p.name + ", not called.");
        return;
      }
      const std::string cast = "::" + plan::type_sql(m_, p.type);
      if (v.size() < cast.size() || v.compare(v.size() - cast.size(), cast.size(), cast) != 0) v += cast;
      args.push_back(v);
    }
    const model::Column* vcol = t.column(s.column);
    const model::SqlType vtype = s.vector_type.base.empty() && vcol ? vcol->type : s.vector_type;
    std::string qv = sample_value(t, vtype, 'b');
    if (qv.empty()) {
      notes_.push_back("search " + s.name + ": no sample query vector, not called.");
      return;
    }
    args.push_back(qv);
    test(fmt::format("select is((select count(*) from {}({})), 0::bigint, {});", plan::qualify(m_.profile.schema, s.name),
                     join(args, ", "),
                     ql("search function " + m_.profile.schema + "." + s.name +
                        " returns none of user A's rows to user B")));
  }

  const Model& m_;
  std::vector<Row> rows_;
  const BodySink* sink_;
  std::string body_;
  int planned_ = 0;
  Role role_ = Role::super;
  std::vector<std::string> notes_;
};

}  // namespace

OutputFile generate_pgtap(const Model& m) {
  Tap tap(m, nullptr);
  std::string content = tap.generate();
  return {pgtap_path(m), std::move(content)};
}

std::string generate_pgtap(const Model& m, const BodySink& body) {
  Tap tap(m, &body);
  return tap.generate();
}

std::string pgtap_path(const model::Model& m) { return "supabase/tests/" + plan::pack_ident(m.pack) + "_rls.test.sql"; }

}  // namespace packdb::gen
