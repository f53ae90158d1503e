// What is already in the target database, as plain data: read from a snapshot file
// (`--schema FILE`, the YAML that `packdbc inspect` writes, shape in docs/snapshot.md) or
// introspected from a live database (`--db URL`, compiler/db/introspect.hpp).
// Checks receive this value; they never open a connection themselves.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace packdb::model {

struct CatalogColumn {
  std::string name;
  std::string type;       // as format_type() prints it: uuid, text, bigint, timestamp with time zone …
  bool nullable = true;
  std::string default_sql;
  bool identity = false;
  std::string identity_kind;  // "always" | "by default" (when identity); empty otherwise
  std::string generated_sql;  // a stored generated column's expression; empty otherwise
};

struct CatalogForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string ref_schema;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete = "no action";  // cascade | restrict | set null | set default | no action
  std::string on_update = "no action";
};

struct CatalogConstraint {  // a primary key, unique or check constraint
  std::string name;
  std::vector<std::string> columns;  // empty for a check
  std::string definition;            // pg_get_constraintdef: "CHECK (priority >= 0)"
};

struct CatalogIndex {
  std::string name;
  std::string method = "btree";      // btree, hash, gin, gist, brin, spgist, hnsw, ivfflat …
  bool unique = false;
  bool primary = false;
  bool constraint = false;           // made by a primary key / unique / exclusion constraint
  std::vector<std::string> columns;  // a column name or an expression, per key column
  std::vector<std::string> opclasses;  // per key column; "" = the type's default operator class
  std::vector<std::string> include;  // INCLUDE columns
  std::string predicate;             // partial index: the WHERE expression, empty otherwise
  std::string definition;            // pg_get_indexdef
};

struct CatalogPolicy {
  std::string name;
  std::string command = "all";       // all | select | insert | update | delete
  bool permissive = true;
  std::vector<std::string> roles;    // "public" when the policy applies to every role
  std::string using_sql;             // empty: none
  std::string check_sql;             // empty: none
};

struct CatalogTrigger {
  std::string name;
  std::string function;              // schema.name of the trigger function
  std::string definition;            // pg_get_triggerdef
  bool enabled = true;
};

struct CatalogTable {
  std::string schema = "public";
  std::string name;
  bool rls = false;
  bool force_rls = false;
  std::vector<CatalogColumn> columns;
  CatalogConstraint primary_key;     // name empty when the table has none
  std::vector<CatalogForeignKey> foreign_keys;
  std::vector<CatalogConstraint> uniques;
  std::vector<CatalogConstraint> checks;
  std::vector<CatalogIndex> indexes;
  std::vector<CatalogPolicy> policies;
  std::vector<CatalogTrigger> triggers;

  const CatalogColumn* column(const std::string& n) const {
    for (const auto& c : columns)
      if (c.name == n) return &c;
    return nullptr;
  }
  std::string qualified() const { return schema + "." + name; }
};

struct CatalogEnum {
  std::string schema = "public";
  std::string name;
  std::vector<std::string> values;
};

struct CatalogView {
  std::string schema = "public";
  std::string name;
  bool materialized = false;
  bool security_invoker = false;
  std::string definition;            // pg_get_viewdef
};

struct CatalogFunction {
  std::string schema = "public";
  std::string name;
  std::string arguments;             // pg_get_function_identity_arguments: "p_id bigint, p_name text"
  std::string returns;               // pg_get_function_result: "trigger", "TABLE(id bigint, …)"
  std::string language;              // sql, plpgsql, c …
  std::string kind = "function";     // function | procedure | aggregate | window
  bool security_definer = false;
  std::string volatility = "volatile";  // immutable | stable | volatile
};

struct CatalogExtension {
  std::string name;
  std::string schema;
  std::string version;
};

// ---- the patterns found (the seed's step 3 `patterns_found`) --------------------------------
// Derived from the tables by check::find_patterns (compiler/check/conventions.hpp); a snapshot
// file carries them for people to read, and the compiler derives them again when it reads one.
// Counts are over the inspected tables; `of` is how many tables each count was taken among.

struct KeyPattern {
  std::string kind;       // "uuid", "bigint identity", "integer identity", "bigserial", "serial", "text", "other", "" (none)
  std::string column;     // the usual key column name ("id")
  std::string type;       // "bigint", "uuid" …
  std::string default_sql;  // the usual default: "gen_random_uuid()", "generated always as identity" …
  int tables = 0;         // tables whose single-column key is of this kind
  int of = 0;             // tables with a single-column primary key
  std::map<std::string, int> counts;  // every kind seen, by kind
};

struct NamedColumnPattern {  // timestamp and tenancy columns
  std::string column;     // the most used name, "" when none
  std::string type;       // its type
  std::string references; // tenancy: what it references (schema.table), if it is a foreign key
  int tables = 0;         // tables with that column
  int of = 0;             // tables inspected
  std::map<std::string, int> counts;  // every candidate name seen, by name
};

struct RlsPattern {
  int enabled = 0;
  int of = 0;
  std::vector<std::string> without;  // schema.table of the tables without RLS
};

struct NamingPattern {
  std::string style;      // "plural", "singular", "mixed", "" (no tables)
  int plural = 0;
  int singular = 0;
};

struct OnDeletePattern {
  std::string habit;      // the most used on-delete action, "" when there is no foreign key
  int of = 0;             // foreign keys
  std::map<std::string, int> counts;  // by action
};

struct Patterns {
  KeyPattern key;
  NamedColumnPattern created;   // created_at / inserted_at / …
  NamedColumnPattern updated;   // updated_at / modified_at / …
  NamedColumnPattern tenancy;   // user_id / owner_id / org_id / …
  RlsPattern rls;
  NamingPattern naming;
  OnDeletePattern on_delete;
  std::vector<std::string> summary;  // the findings in words, as the seed lists them
};

struct Catalog {
  std::string source;          // the snapshot file or the database it came from (password masked)
  std::string server_version;  // "15.8"; empty when unknown (a snapshot written by hand)
  std::vector<std::string> schemas;  // the schemas that were inspected
  std::vector<CatalogTable> tables;
  std::vector<CatalogEnum> enums;
  std::vector<CatalogView> views;
  std::vector<CatalogFunction> functions;
  std::vector<CatalogExtension> extensions;
  Patterns patterns;           // filled by check::find_patterns

  const CatalogTable* table(const std::string& schema, const std::string& name) const {
    for (const auto& t : tables)
      if (t.schema == schema && t.name == name) return &t;
    return nullptr;
  }
  const CatalogExtension* extension(const std::string& name) const {
    for (const auto& e : extensions)
      if (e.name == name) return &e;
    return nullptr;
  }
};

}  // namespace packdb::model
