// Step 1: find and read the pack's manifest — `config.yaml` (BMad), `expansion.yaml`, or
// `squad.yaml` (AIOS squads) — load name, version and description, compare the manifests
// when there are several, and list the files a manifest declares that the folder lacks.
// An invalid manifest is reported with line:col and read line by line for what it holds.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/audit/model.hpp"
#include "compiler/audit/walk.hpp"

namespace packdb::audit {

// The manifest names, highest priority first.
const std::vector<std::string>& manifest_names();

// A location the manifest names for the pack's own data in a project (BMad's
// `devStoryLocation: docs/stories`, `prdFile: docs/prd.md`): a data touchpoint.
struct ManifestLocation {
  std::string key;
  std::string path;
  int line = 0;
  bool input = false;  // keys that say "load"/"input"/"source" are read; the others written
};

struct Manifest {
  ManifestInfo info;
  std::vector<ManifestLocation> locations;
};

// `contents` maps a manifest's name to its text, for those present in the folder.
Manifest read_manifest(const std::vector<std::pair<std::string, std::string>>& contents, const Walk& walk);

// Fields read line by line from YAML that does not parse: top-level `key: value` pairs,
// with `>`/`|` block scalars. Exposed for tests.
std::vector<std::pair<std::string, std::string>> salvage_top_level(const std::string& text);

}  // namespace packdb::audit
