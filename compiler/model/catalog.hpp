// What is already in the target database, as plain data: read from a snapshot file
// (`--schema FILE`, the YAML that `packdbc inspect` writes) or, later, from a live database.
// Checks receive this value; they never open a connection themselves.
#pragma once
#include <string>
#include <vector>

namespace packdb::model {

struct CatalogColumn {
  std::string name;
  std::string type;       // as format_type() prints it: uuid, text, bigint, timestamp with time zone …
  bool nullable = true;
  std::string default_sql;
  bool identity = false;
};

struct CatalogTable {
  std::string schema = "public";
  std::string name;
  bool rls = false;
  std::vector<CatalogColumn> columns;

  const CatalogColumn* column(const std::string& n) const {
    for (const auto& c : columns)
      if (c.name == n) return &c;
    return nullptr;
  }
};

struct Catalog {
  std::string source;     // the snapshot file or the database it came from (password masked)
  std::vector<CatalogTable> tables;

  const CatalogTable* table(const std::string& schema, const std::string& name) const {
    for (const auto& t : tables)
      if (t.schema == schema && t.name == name) return &t;
    return nullptr;
  }
};

}  // namespace packdb::model
