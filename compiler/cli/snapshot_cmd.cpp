// packdbc snapshot [--db URL] -o DIR: the seed's "snapshot baseline" — the inspect YAML and a
// schema-only SQL dump (pg_dump, when present) in DIR/snapshot_<UTC timestamp>/. All or
// nothing: when inspecting or dumping fails, nothing is written.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "compiler/cli/frontend.hpp"
#include "compiler/cli/output.hpp"
#include "compiler/db/yaml.hpp"

extern char** environ;

namespace packdb::cli {
namespace {
namespace fs = std::filesystem;

struct SnapshotOptions {
  std::string db;
  std::string out;
  std::string pg_dump;  // empty: `pg_dump` from PATH
  bool no_dump = false;
  bool quiet = false;
};

// The pg_dump to run: --pg-dump, else the first `pg_dump` on PATH; "" when there is none.
std::string find_pg_dump(const std::string& given) {
  if (!given.empty()) return given;
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  for (std::size_t b = 0; b <= p.size();) {
    std::size_t e = p.find(':', b);
    if (e == std::string::npos) e = p.size();
    fs::path cand = fs::path(p.substr(b, e - b).empty() ? "." : p.substr(b, e - b)) / "pg_dump";
    if (::access(cand.c_str(), X_OK) == 0) return cand.string();
    b = e + 1;
  }
  return "";
}

struct Ran {
  bool started = false;
  int status = -1;  // exit status, or -1
  std::string out, err;
};

// Runs argv with PGPASSWORD set (when `password` is not empty), collecting stdout and stderr.
Ran run_with_password(const std::vector<std::string>& argv, const std::string& password) {
  Ran r;
  int out[2], err[2];
  if (pipe(out) != 0) return r;
  if (pipe(err) != 0) {
    close(out[0]), close(out[1]);
    return r;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  posix_spawn_file_actions_addclose(&fa, err[0]);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "PGPASSWORD=", 11) != 0 || password.empty()) env_strings.emplace_back(*e);
  if (!password.empty()) env_strings.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(out[0]), close(err[0]);
    r.err = std::strerror(rc);
    return r;
  }
  r.started = true;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string utc_stamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

int run_snapshot(const SnapshotOptions& o) {
  auto url = db::choose_url(o.db);
  if (!url) {
    print_db_error({db::ErrorKind::no_url, "no database URL given", "",
                    "pass --db URL, or set SUPABASE_DB_URL or DATABASE_URL (postgresql://user:password@host:5432/dbname)"});
    return exit_usage;
  }
  auto nothing_written = [&] { std::fprintf(stderr, "nothing was written to %s\n", o.out.c_str()); };
  db::Error err;
  auto conn = db::Connection::open(url->url, err);
  if (!conn) {
    print_db_error(err);
    nothing_written();
    return exit_errors;
  }
  auto cat = db::introspect(*conn, {}, err);
  if (!cat) {
    print_db_error(err);
    nothing_written();
    return exit_errors;
  }
  cat->patterns = check::find_patterns(*cat);
  std::vector<gen::OutputFile> files = {{"inspect.yaml", db::catalog_to_yaml(*cat)}};

  std::string note;
  if (o.no_dump) {
    note = "no SQL dump (--no-dump)";
  } else if (std::string pg_dump = find_pg_dump(o.pg_dump); pg_dump.empty()) {
    note = "pg_dump not found on PATH: the snapshot has no SQL dump (install postgresql-client, or pass --pg-dump PATH)";
  } else {
    // The password goes through the environment, never the command line (visible in `ps`).
    Ran r = run_with_password({pg_dump, "--schema-only", "--no-password", "--dbname=" + conn->conninfo_without_password()},
                              conn->password());
    if (!r.started || r.status != 0) {
      std::string why = db::scrub(r.err, url->url);
      while (!why.empty() && why.back() == '\n') why.pop_back();
      print_db_error({db::ErrorKind::other, fmt::format("pg_dump --schema-only failed ({})", pg_dump), why,
                      "a pg_dump at least as new as the server is needed: pass --pg-dump PATH, or --no-dump for the "
                      "YAML alone"});
      nothing_written();
      return exit_errors;
    }
    files.push_back({"schema.sql", std::move(r.out)});
  }

  // A timestamped folder that does not exist yet (two snapshots in one second get -2, -3 …).
  std::string base = "snapshot_" + utc_stamp();
  fs::path dir = fs::path(o.out) / base;
  for (int i = 2; fs::exists(dir); ++i) dir = fs::path(o.out) / fmt::format("{}-{}", base, i);
  WriteResult w = write_outputs(dir.string(), files);
  if (!w.error.empty()) {
    std::fprintf(stderr, "error: %s; nothing was written\n", w.error.c_str());
    return exit_errors;
  }
  if (!o.quiet) {
    std::printf("packdbc snapshot: %s → %s (%zu tables)\n", cat->source.c_str(), dir.string().c_str(), cat->tables.size());
    for (const auto& f : files) std::printf("  wrote     %s\n", f.path.c_str());
    if (!note.empty()) std::printf("  note: %s\n", note.c_str());
  }
  return exit_ok;
}

}  // namespace

void add_snapshot_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<SnapshotOptions>();
  auto* cmd = app.add_subcommand("snapshot",
                                 "snapshot baseline: inspect YAML and a schema-only SQL dump in DIR/snapshot_<timestamp>/");
  cmd->add_option("--db", o->db,
                  "postgresql://user:password@host:5432/dbname (default: $SUPABASE_DB_URL, then $DATABASE_URL); "
                  "the password is never printed");
  cmd->add_option("-o,--out", o->out, "the folder that receives the snapshot folder")->required();
  cmd->add_option("--pg-dump", o->pg_dump, "the pg_dump to run (default: pg_dump on PATH)");
  cmd->add_flag("--no-dump", o->no_dump, "write the inspect YAML only");
  cmd->add_flag("-q,--quiet", o->quiet, "print nothing but errors");
  out.push_back({cmd, [o] { return run_snapshot(*o); }});
}

}  // namespace packdb::cli
