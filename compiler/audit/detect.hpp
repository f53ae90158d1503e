// The touchpoint detectors: one file's text in, the data touchpoints it shows out — files
// read and written, status values, SQL and database clients, environment variable names,
// HTTP endpoints called or served, configuration keys, BMad template outputs, data paths
// named in documents. Line-oriented, hand-written scanning behind cheap substring tests.
#pragma once
#include <string>
#include <vector>

#include "compiler/audit/model.hpp"
#include "compiler/audit/pathexpr.hpp"

namespace packdb::audit {

enum class FileKind { python, js, shell, sql, env, yaml, json, markdown, dependencies, text, other };

// By name and extension, and by the `#!` line for scripts without one.
FileKind file_kind(const std::string& rel_path, const std::string& first_line);
// Whether a file of this kind is opened at all (documents and scripts are; images are not).
bool worth_reading(const std::string& rel_path);

enum class Access { read, write };

struct PathUse {
  std::string path;    // relative, with {placeholders}
  Access access = Access::read;
  bool folder = false;  // mkdir, readdir: the path is a folder
  std::string format;   // from the call (json.dump → json), or "" to take the extension's
  Evidence ev;
};

struct DbUse {
  std::string kind;       // supabase, supabase_storage, postgres, sqlite, sql, mysql, mongodb, orm
  std::string table;      // may be empty
  std::string operation;  // select, insert, … connect, depends
  Evidence ev;
};

struct StatusUse {
  std::string key;    // status, phase, stage …
  std::string value;  // "in_progress"
  Evidence ev;
};

struct KeyUse {
  std::string key;
  int line = 0;
};

struct FileFacts {
  std::vector<PathUse> paths;
  std::vector<DbUse> db;
  std::vector<std::pair<std::string, Evidence>> env;  // variable names only
  std::vector<std::pair<Endpoint, Evidence>> endpoints;
  std::vector<StatusUse> statuses;
  std::vector<KeyUse> keys;     // top-level keys of a YAML/JSON file
  std::vector<std::pair<std::string, std::string>> scalar_keys;  // top-level key → scalar value (state files)
  std::string template_output;  // BMad template: template.output.filename
  std::string template_format;
  int template_line = 0;
  std::string yaml_error;       // "4:3: invalid YAML: …" when a YAML/JSON file does not parse
};

FileFacts scan_file(const std::string& rel_path, const std::string& text, FileKind kind);

// SUPABASE_*, DATABASE_URL, PG*, *_DB_URL …: a name that configures a database.
bool database_env_name(const std::string& name);

}  // namespace packdb::audit
