// What `packdbc audit` finds in a pack folder (seed steps 1 and 2), as plain data: the
// walker, the manifest reader and the detectors fill it; the YAML and draft-spec writers
// only read it. Every finding carries its evidence (a file, and a line when there is one).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace packdb::audit {

// Where something was seen: `scripts/ingest.py:12: writes JSON (json.dump)`. `line` is 0
// for a whole file or folder. Never holds a secret: `what` describes, it never quotes a value.
struct Evidence {
  std::string file;  // relative to the pack, '/' separators
  int line = 0;
  std::string what;
  std::string text() const;
  friend bool operator<(const Evidence& a, const Evidence& b) {
    return std::tie(a.file, a.line, a.what) < std::tie(b.file, b.line, b.what);
  }
  friend bool operator==(const Evidence& a, const Evidence& b) {
    return a.file == b.file && a.line == b.line && a.what == b.what;
  }
};
using EvidenceSet = std::set<Evidence>;

// A data input or output (`data_inputs` / `data_outputs` of the seed's step 2).
struct Flow {
  std::string type;      // lower snake case; becomes the flow's name in the draft spec
  std::string format;    // markdown, yaml, json, csv, text, sql, binary, mixed …
  std::string location;  // "sources/interviews/", "outputs/minds/{slug}/kb/", "config/x.yaml"
  std::string volume;    // "12 files" when the folder is in the pack
  std::vector<std::string> fields;  // top-level keys of a configuration file, variable names of an env file
  std::string origin;    // folder, script, template, manifest, document, config, env
  EvidenceSet evidence;
};

// A piece of state the pack keeps between runs (`state_requirements`).
struct StateItem {
  std::string name;                 // lower snake case
  std::vector<std::string> values;  // observed values of a status-like key, sorted
  std::string location;             // the file or folder that holds it, when known
  EvidenceSet evidence;
};


struct Relationship {
  std::string text;  // "One mind ({slug}) → many kb (outputs/minds/{slug}/kb/)"
  EvidenceSet evidence;
};

// A database touchpoint: a client library, a SQL statement, a local database file.
struct DatabaseAccess {
  std::string kind;                 // supabase, postgres, sqlite, sql, mysql, mongodb, orm
  std::set<std::string> tables;     // tables named by SQL or by `.from('x')` / `.table("x")`
  std::set<std::string> operations; // select, insert, update, upsert, delete, create, connect …
  EvidenceSet evidence;
};

struct EnvVar {
  std::string name;  // only the name: values are never read into the audit
  bool database = false;  // SUPABASE_*, DATABASE_URL, PG*: a database is configured
  EvidenceSet evidence;
};

struct Endpoint {
  std::string direction;  // "calls" (the pack calls it) or "serves" (the pack handles it)
  std::string method;     // GET, POST … or "" when unknown
  std::string target;     // https://api.example.com/v1/x (no credentials, no query) or /api/minds
  EvidenceSet evidence;
};

// Something left out of the scan, and why (symlink loop, binary, too large, unreadable …).
struct Skipped {
  std::string path;
  std::string reason;
  friend bool operator<(const Skipped& a, const Skipped& b) { return std::tie(a.path, a.reason) < std::tie(b.path, b.reason); }
};

// Step 1: the pack's manifest.
struct ManifestInfo {
  std::string used;                 // "config.yaml", or "" when none was found
  std::vector<std::string> found;   // every manifest present, in priority order
  std::string name, version, description;
  bool salvaged = false;            // the used manifest was invalid YAML: its fields were read line by line
  std::vector<std::string> problems;       // "config.yaml:4:3: invalid YAML: …", disagreements
  std::vector<Evidence> missing_files;     // declared by the manifest, absent from the folder
};

struct AuditResult {
  bool ok = true;         // false: the folder could not be audited at all (`error` says why)
  std::string error;
  std::string root;       // the pack folder as given
  std::string pack_name;  // a valid spec name (lower case, letters, digits, '-', '_'), from the manifest or the folder
  ManifestInfo manifest;
  std::vector<Flow> inputs, outputs;
  std::vector<StateItem> state;
  std::vector<Relationship> relationships;
  std::vector<DatabaseAccess> databases;
  std::vector<EnvVar> env;
  std::vector<Endpoint> endpoints;
  std::vector<Skipped> skipped;
  std::size_t files = 0, folders = 0, bytes_read = 0;
  std::vector<std::string> warnings;  // for stderr: step-1 problems and anything the user must know
};

struct AuditOptions {
  std::uintmax_t max_file_size = 4u << 20;  // larger files are listed but their content is not read
  // Called about once a second while a long scan runs, with a line saying how far it is.
  std::function<void(const std::string& message)> progress;
  long progress_after_ms = 1000;  // the first call, and the interval between calls
  std::string exclude;            // a folder not to scan: the audit's own output, when it lies in the pack
};

}  // namespace packdb::audit
