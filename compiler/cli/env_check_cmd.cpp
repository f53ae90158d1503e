// packdbc env-check [--db URL]: is the database ready for packdbc's migrations? Reachable,
// server version, SSL, the extensions packs use (vector, pgcrypto, pgtap), Supabase's roles
// and auth schema. Exit 1 when the server cannot be reached, refuses the login, or its
// catalogs cannot be read; what is merely missing is reported, with exit 0.
#include <fmt/format.h>

#include <cstdio>

#include "compiler/cli/frontend.hpp"
#include "compiler/front/diagnostics.hpp"

namespace packdb::cli {
namespace {

struct EnvOptions {
  std::string db;
  std::string format = "text";
};

std::string json_str(const std::string& s) { return "\"" + json_escape(s) + "\""; }

int fail(const EnvOptions& o, const std::string& masked, const db::Error& err) {
  if (o.format == "json") {
    std::printf("{\"ok\":false,\"url\":%s,\"error\":{\"code\":%s,\"kind\":%s,\"message\":%s,\"detail\":%s,\"help\":%s}}\n",
                json_str(masked).c_str(), json_str(db_error_code(err.kind)).c_str(),
                json_str(db::error_kind_name(err.kind)).c_str(), json_str(err.message).c_str(),
                json_str(err.detail).c_str(), json_str(err.help).c_str());
  } else {
    if (!masked.empty()) std::printf("packdbc env-check: %s\n", masked.c_str());
    std::printf("  ✗ not ready\n");
  }
  std::fflush(stdout);  // the header before the error, also when both go to one file
  print_db_error(err);
  return err.kind == db::ErrorKind::no_url ? exit_usage : exit_errors;
}

int run_env_check(const EnvOptions& o) {
  auto url = db::choose_url(o.db);
  if (!url)
    return fail(o, "",
                {db::ErrorKind::no_url, "no database URL given", "",
                 "pass --db URL, or set SUPABASE_DB_URL or DATABASE_URL (postgresql://user:password@host:5432/dbname)"});
  const std::string masked = db::mask_password(url->url);
  db::Error err;
  auto conn = db::Connection::open(url->url, err);
  if (!conn) return fail(o, masked, err);
  auto r = db::env_check(*conn, err);
  if (!r) return fail(o, masked, err);

  std::vector<std::string> warnings;
  if (!r->ssl) warnings.push_back("SSL is not in use");
  for (const auto& e : r->extensions)
    if (!e.available) warnings.push_back(fmt::format("extension {} is not available on this server", e.name));
  bool roles = true;
  for (const auto& [name, present] : r->roles) roles &= present;
  bool supabase = roles && r->auth_schema && r->auth_users && r->auth_uid;
  if (!supabase) warnings.push_back("Supabase's roles or auth schema are missing (fine for `target postgres`)");

  if (o.format == "json") {
    std::string exts, rls;
    for (const auto& e : r->extensions)
      exts += fmt::format("{}{{\"name\":{},\"available\":{},\"default_version\":{},\"installed_version\":{},\"schema\":{}}}",
                          exts.empty() ? "" : ",", json_str(e.name), e.available ? "true" : "false",
                          json_str(e.default_version), e.installed_version.empty() ? "null" : json_str(e.installed_version),
                          e.schema.empty() ? "null" : json_str(e.schema));
    for (const auto& [name, present] : r->roles)
      rls += fmt::format("{}{}:{}", rls.empty() ? "" : ",", json_str(name), present ? "true" : "false");
    std::string ws;
    for (const auto& w : warnings) ws += (ws.empty() ? "" : ",") + json_str(w);
    std::printf(
        "{\"ok\":true,\"url\":%s,\"from\":%s,\"server_version\":%s,\"server_version_num\":%d,\"user\":%s,\"database\":%s,"
        "\"host\":%s,\"port\":%s,\"ssl\":%s,\"superuser\":%s,\"catalog_readable\":true,\"extensions\":[%s],"
        "\"supabase\":{\"roles\":{%s},\"auth_schema\":%s,\"auth_users\":%s,\"auth_uid\":%s},\"warnings\":[%s]}\n",
        json_str(masked).c_str(), json_str(url->from).c_str(), json_str(r->server_version).c_str(), r->server_version_num,
        json_str(r->user).c_str(), json_str(r->database).c_str(), json_str(r->host).c_str(), json_str(r->port).c_str(),
        r->ssl ? "true" : "false", r->superuser ? "true" : "false", exts.c_str(), rls.c_str(),
        r->auth_schema ? "true" : "false", r->auth_users ? "true" : "false", r->auth_uid ? "true" : "false", ws.c_str());
    return exit_ok;
  }

  auto mark = [](bool ok) { return ok ? "✓" : "✗"; };
  std::string out = fmt::format("packdbc env-check: {} (from {})\n", masked, url->from);
  out += fmt::format("  ✓ reachable: connected to database {} as {}{}\n", r->database, r->user,
                     r->superuser ? " (superuser)" : "");
  out += fmt::format("  ✓ server: PostgreSQL {}{}\n", r->server_version,
                     r->server_version_num < 150000 ? " (packdbc's migrations are tested on 15 and later)" : "");
  out += fmt::format("  {} SSL: {}\n", mark(r->ssl),
                     r->ssl ? "in use" : "not in use (add sslmode=require to the URL to insist on it)");
  out += "  ✓ catalogs: readable\n";
  out += "  extensions:\n";
  for (const auto& e : r->extensions) {
    if (!e.installed_version.empty())
      out += fmt::format("    ✓ {} {} installed (schema {})\n", e.name, e.installed_version, e.schema);
    else if (e.available)
      out += fmt::format("    ✓ {} {} available, not installed (migrations that need it create it)\n", e.name,
                         e.default_version);
    else
      out += fmt::format("    ✗ {} not available on this server\n", e.name);
  }
  out += "  Supabase:\n";
  std::vector<std::string> have, miss;
  for (const auto& [name, present] : r->roles) (present ? have : miss).push_back(name);
  out += fmt::format("    {} roles: {}\n", mark(miss.empty()),
                     miss.empty() ? fmt::format("{}", fmt::join(have, ", ")) : fmt::format("missing {}", fmt::join(miss, ", ")));
  out += fmt::format("    {} auth schema{}\n", mark(r->auth_schema && r->auth_users && r->auth_uid),
                     !r->auth_schema ? ": missing"
                     : r->auth_users && r->auth_uid ? " with auth.users and auth.uid()"
                                                    : fmt::format(" without {}", !r->auth_users ? "auth.users" : "auth.uid()"));
  out += warnings.empty() ? std::string("result: ready\n")
                          : fmt::format("result: ready, {} warning{}\n", warnings.size(), warnings.size() == 1 ? "" : "s");
  std::fputs(out.c_str(), stdout);
  return exit_ok;
}

}  // namespace

void add_env_check_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<EnvOptions>();
  auto* cmd = app.add_subcommand("env-check",
                                 "is the database ready? reachable, version, SSL, extensions (vector, pgcrypto, pgtap), "
                                 "Supabase's roles and auth schema");
  cmd->add_option("--db", o->db,
                  "postgresql://user:password@host:5432/dbname (default: $SUPABASE_DB_URL, then $DATABASE_URL); "
                  "the password is never printed");
  cmd->add_option("--format", o->format, "`text` (default) or `json`")->check(CLI::IsMember({"text", "json"}));
  out.push_back({cmd, [o] { return run_env_check(*o); }});
}

}  // namespace packdb::cli
