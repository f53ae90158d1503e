// Reading a schema snapshot (the YAML written by `packdbc inspect`) into a model::Catalog.
#pragma once
#include <optional>
#include <string>

#include "compiler/front/diagnostics.hpp"
#include "compiler/model/catalog.hpp"

namespace packdb {

// Reports a file that cannot be read, is not YAML (with line:col), or has the wrong shape.
std::optional<model::Catalog> read_snapshot(const std::string& path, SourceSet& sources, Diagnostics& diags);
std::optional<model::Catalog> read_snapshot_text(const std::string& name, const std::string& text, SourceSet& sources,
                                                 Diagnostics& diags);

}  // namespace packdb
