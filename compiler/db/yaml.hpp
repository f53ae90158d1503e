// A model::Catalog → the snapshot YAML that `packdbc inspect` writes and `--schema FILE`
// reads back (compiler/front/snapshot.hpp). The shape is documented in docs/snapshot.md.
// Pure: returns the text; the driver writes it. Byte-stable: no dates, sorted as the
// catalog is (introspect() orders everything by name).
#pragma once
#include <string>

#include "compiler/model/catalog.hpp"

namespace packdb::db {

inline constexpr int snapshot_format_version = 1;

std::string catalog_to_yaml(const model::Catalog& cat);

}  // namespace packdb::db
