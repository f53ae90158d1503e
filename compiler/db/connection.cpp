#include "compiler/db/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

namespace packdb::db {
namespace {

constexpr const char* kMask = "****";

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_url(const std::string& s) {
  std::string l = lower(s.substr(0, 14));
  return l.rfind("postgresql://", 0) == 0 || l.rfind("postgres://", 0) == 0;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The [begin, end) ranges of `s` that hold a password.
std::vector<std::pair<std::size_t, std::size_t>> password_ranges(const std::string& s) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (is_url(s)) {
    std::size_t start = s.find("://") + 3;
    // user:password@host — the last '@' wins, so a password holding an unescaped '@' is
    // masked whole (masking too much is fine, too little is not).
    std::size_t at = s.rfind('@');
    if (at != std::string::npos && at >= start) {
      std::size_t colon = s.find(':', start);
      if (colon != std::string::npos && colon < at) out.emplace_back(colon + 1, at);
    }
    // ?password=…&…
    for (std::size_t q = s.find("password=", start); q != std::string::npos; q = s.find("password=", q + 1)) {
      if (q > 0 && s[q - 1] != '?' && s[q - 1] != '&') continue;
      std::size_t b = q + 9, e = s.find('&', b);
      out.emplace_back(b, e == std::string::npos ? s.size() : e);
    }
    return out;
  }
  // key=value pairs: password=secret, password = 'se cret', password='it\'s'
  for (std::size_t k = s.find("password"); k != std::string::npos; k = s.find("password", k + 1)) {
    if (k > 0 && !std::isspace(static_cast<unsigned char>(s[k - 1]))) continue;
    std::size_t p = k + 8;
    while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
    if (p >= s.size() || s[p] != '=') continue;
    ++p;
    while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
    std::size_t b = p, e = p;
    if (p < s.size() && s[p] == '\'') {
      e = p + 1;
      while (e < s.size() && s[e] != '\'') e += (s[e] == '\\' && e + 1 < s.size()) ? 2 : 1;
      e = std::min(e + 1, s.size());
    } else {
      while (e < s.size() && !std::isspace(static_cast<unsigned char>(s[e]))) ++e;
    }
    out.emplace_back(b, e);
  }
  return out;
}

// The connection's parameters as libpq reads them (nothing when it cannot parse the string).
std::map<std::string, std::string> parse_conninfo(const std::string& conninfo) {
  std::map<std::string, std::string> out;
  char* errmsg = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &errmsg);
  if (errmsg) PQfreemem(errmsg);
  if (!opts) return out;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val && *o->val) out[o->keyword] = o->val;
  PQconninfoFree(opts);
  return out;
}

// "db.example.com:5432/postgres as app" for messages (never with the password).
std::string target_of(const std::string& url) {
  auto p = parse_conninfo(url);
  std::string host = p.count("host") ? p["host"] : p.count("hostaddr") ? p["hostaddr"] : "localhost";
  std::string port = p.count("port") ? p["port"] : "5432";
  std::string out = host.find('/') == 0 ? fmt::format("the socket in {} (port {})", host, port) : host + ":" + port;
  if (p.count("dbname")) out += "/" + p["dbname"];
  return out;
}

std::string first_line(std::string s) {
  // libpq's messages: "connection to server at "h" (1.2.3.4), port 5432 failed: FATAL:  password …\n"
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::size_t nl = s.find('\n');
  std::string head = nl == std::string::npos ? s : s.substr(0, nl);
  // drop the "connection to server … failed: " prefix, keep the reason
  std::size_t f = head.find(" failed: ");
  if (head.rfind("connection to server", 0) == 0 && f != std::string::npos) head = head.substr(f + 9);
  if (head.rfind("FATAL:", 0) == 0) head = head.substr(6);
  while (!head.empty() && head.front() == ' ') head.erase(head.begin());
  return head;
}

ErrorKind classify_connect_error(const std::string& msg) {
  std::string l = lower(msg);
  auto has = [&](const char* s) { return l.find(s) != std::string::npos; };
  if (has("password authentication failed") || has("no password supplied") || has("authentication failed") ||
      has("no pg_hba.conf entry") || (has("role \"") && has("does not exist")) || has("pg_hba.conf rejects"))
    return ErrorKind::authentication;
  if (has("database \"") && has("does not exist")) return ErrorKind::no_database;
  if (has("permission denied for database")) return ErrorKind::no_permission;
  if (has("could not translate host name") || has("connection refused") || has("timeout expired") ||
      has("no route to host") || has("network is unreachable") || has("could not connect") ||
      has("connection timed out") || has("no such file or directory") || has("name or service not known") ||
      has("temporary failure in name resolution"))
    return ErrorKind::unreachable;
  if (has("invalid") && (has("uri") || has("connection option") || has("port") || has("integer value")))
    return ErrorKind::bad_url;
  return ErrorKind::other;
}

}  // namespace

std::string mask_password(const std::string& conninfo) {
  std::string out = conninfo;
  auto ranges = password_ranges(conninfo);
  // right to left, so earlier offsets stay valid
  std::sort(ranges.begin(), ranges.end(), [](auto a, auto b) { return a.first > b.first; });
  std::size_t last_begin = std::string::npos;
  for (auto [b, e] : ranges) {
    if (last_begin != std::string::npos && e > last_begin) e = last_begin;  // overlapping: keep it simple
    if (e > b) out.replace(b, e - b, kMask);
    last_begin = b;
  }
  return out;
}

std::string scrub(const std::string& text, const std::string& conninfo) {
  std::vector<std::string> secrets;
  for (auto [b, e] : password_ranges(conninfo)) {
    std::string raw = conninfo.substr(b, e - b);
    secrets.push_back(raw);
    secrets.push_back(percent_decode(raw));
    if (raw.size() >= 2 && raw.front() == '\'' && raw.back() == '\'') secrets.push_back(raw.substr(1, raw.size() - 2));
  }
  auto parsed = parse_conninfo(conninfo);
  if (parsed.count("password")) secrets.push_back(parsed["password"]);
  // Longest first, so a password is not half-replaced by one of its parts. Very short strings
  // are left alone: replacing every "a" would make the message unreadable.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::string out = text;
  for (const auto& s : secrets) {
    if (s.size() < 3) continue;
    for (std::size_t p = out.find(s); p != std::string::npos; p = out.find(s, p + 4)) out.replace(p, s.size(), kMask);
  }
  return out;
}

std::optional<UrlChoice> choose_url(const std::string& given) {
  if (!given.empty()) return UrlChoice{given, "--db"};
  for (const char* var : {"SUPABASE_DB_URL", "DATABASE_URL"})
    if (const char* v = std::getenv(var); v && *v) return UrlChoice{v, var};
  return std::nullopt;
}

const char* error_kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::none: return "none";
    case ErrorKind::no_url: return "no_url";
    case ErrorKind::bad_url: return "bad_url";
    case ErrorKind::unreachable: return "unreachable";
    case ErrorKind::authentication: return "authentication";
    case ErrorKind::no_database: return "no_database";
    case ErrorKind::no_permission: return "no_permission";
    case ErrorKind::no_catalog_access: return "no_catalog_access";
    case ErrorKind::query: return "query";
    case ErrorKind::other: return "other";
  }
  return "other";
}

const char* error_code(ErrorKind k) {
  switch (k) {
    case ErrorKind::no_url:
    case ErrorKind::bad_url: return "D0001";
    case ErrorKind::unreachable: return "D0002";
    case ErrorKind::authentication: return "D0003";
    case ErrorKind::no_database: return "D0004";
    case ErrorKind::no_permission: return "D0005";
    case ErrorKind::no_catalog_access: return "D0006";
    default: return "D0007";
  }
}

long long Result::integer(int row, int col) const {
  std::string t = text(row, col);
  return t.empty() ? 0 : std::stoll(t);
}

std::vector<std::string> Result::array(int row, int col) const { return parse_text_array(text(row, col)); }

std::vector<std::string> parse_text_array(const std::string& text) {
  std::vector<std::string> out;
  // An array with other bounds than 1 carries them first: [0:1]={2,3} (int2vector::int2[])
  std::string s = text;
  if (!s.empty() && s.front() == '[')
    if (std::size_t eq = s.find("]={"); eq != std::string::npos) s = s.substr(eq + 2);
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') return out;
  std::size_t i = 1, end = s.size() - 1;
  if (i == end) return out;
  while (i <= end) {
    std::string item;
    bool quoted = false;
    if (i < end && s[i] == '"') {
      quoted = true;
      ++i;
      while (i < end && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < end) ++i;
        item += s[i++];
      }
      ++i;  // closing quote
    } else {
      while (i < end && s[i] != ',') item += s[i++];
    }
    out.push_back(!quoted && item == "NULL" ? std::string() : item);
    ++i;  // the comma (or past the end)
  }
  return out;
}

Connection::Connection(PGconn* c, std::string url) : conn_(c), url_(std::move(url)), masked_(mask_password(url_)) {}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

std::unique_ptr<Connection> Connection::open(const std::string& url, Error& err, int timeout_seconds) {
  return open_database(url, "", err, timeout_seconds);
}

std::unique_ptr<Connection> Connection::open_database(const std::string& url, const std::string& dbname, Error& err,
                                                      int timeout_seconds) {
  const std::string masked = mask_password(url);
  if (url.empty()) {
    err = {ErrorKind::no_url, "no database URL given", "",
           "pass --db URL, or set SUPABASE_DB_URL or DATABASE_URL (postgresql://user:password@host:5432/dbname)"};
    return nullptr;
  }
  {
    char* errmsg = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &errmsg);
    if (!opts) {
      std::string why = errmsg ? first_line(errmsg) : "unknown error";
      if (errmsg) PQfreemem(errmsg);
      err = {ErrorKind::bad_url, fmt::format("`{}` is not a valid connection URL", masked), scrub(why, url),
             "write postgresql://user:password@host:5432/dbname (special characters in the password %-encoded)"};
      return nullptr;
    }
    PQconninfoFree(opts);
  }
  // Earlier keywords are defaults: what the URL says (expanded from dbname) overrides them.
  std::string timeout = std::to_string(timeout_seconds);
  // Only the first dbname is expanded as a URL; a second one is a plain database name that
  // overrides the URL's.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                        dbname.empty() ? nullptr : "dbname", nullptr};
  const char* vals[] = {timeout.c_str(), "packdbc", "UTF8", url.c_str(), dbname.empty() ? nullptr : dbname.c_str(),
                        nullptr};
  PGconn* c = PQconnectdbParams(keys, vals, 1);
  if (!c) {
    err = {ErrorKind::other, "out of memory while connecting", "", ""};
    return nullptr;
  }
  if (PQstatus(c) != CONNECTION_OK) {
    std::string raw = PQerrorMessage(c);
    PQfinish(c);
    std::string why = scrub(first_line(raw), url);
    ErrorKind kind = classify_connect_error(raw);
    std::string target = scrub(target_of(url), url);
    switch (kind) {
      case ErrorKind::unreachable:
        err = {kind, fmt::format("cannot reach the database server at {}", target), why,
               "check the host and port in the URL, and that the server is running and accepts TCP connections "
               "(listen_addresses, firewall)"};
        break;
      case ErrorKind::authentication:
        err = {kind, fmt::format("the database server at {} refused the login", target), why,
               "check the user name and password in the URL (or in SUPABASE_DB_URL / DATABASE_URL); "
               "the password is never shown"};
        break;
      case ErrorKind::no_database:
        err = {kind, fmt::format("the database in {} does not exist", target), why,
               "check the database name at the end of the URL (on Supabase it is `postgres`)"};
        break;
      case ErrorKind::no_permission:
        err = {kind, fmt::format("the role may not connect to {}", target), why,
               "grant it CONNECT on the database, or connect as another role"};
        break;
      case ErrorKind::bad_url:
        err = {kind, fmt::format("`{}` is not a valid connection URL", masked), why,
               "write postgresql://user:password@host:5432/dbname"};
        break;
      default:
        err = {ErrorKind::other, fmt::format("cannot connect to {}", target), why, ""};
    }
    return nullptr;
  }
  auto conn = std::unique_ptr<Connection>(new Connection(c, url));
  // Messages from the server (notices) must not reach the terminal unfiltered.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return conn;
}

std::optional<Result> Connection::query(const std::string& what, const std::string& sql, Error& err,
                                        const std::vector<std::string>& params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  ++queries_;
  PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.empty() ? nullptr : values.data(), nullptr, nullptr, 0);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return Result(r);
  std::string sqlstate = r && PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "";
  std::string primary = r && PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                                                                             : first_line(PQerrorMessage(conn_));
  if (r) PQclear(r);
  primary = scrub(primary, url_);
  if (sqlstate == "42501") {
    err = {ErrorKind::no_catalog_access,
           fmt::format("connected as `{}`, but the system catalogs cannot be read ({})", user(), what), primary,
           "connect as a role that may read pg_catalog: the database owner, or `postgres` on Supabase"};
  } else if (PQstatus(conn_) != CONNECTION_OK) {
    err = {ErrorKind::unreachable, fmt::format("the connection to the database server was lost ({})", what), primary,
           "run the command again; check the server's log if it keeps happening"};
  } else {
    err = {ErrorKind::query, fmt::format("reading {} failed", what), sqlstate.empty() ? primary : primary + " (SQLSTATE " + sqlstate + ")",
           ""};
  }
  return std::nullopt;
}

bool Connection::exec(const std::string& sql, Error& err) { return query(sql, sql, err).has_value(); }

bool Connection::run_script(const std::string& sql, Error& err, std::vector<std::string>* rows) {
  ++queries_;
  script_sqlstate_.clear();
  script_position_ = 0;
  if (!PQsendQuery(conn_, sql.c_str())) {
    std::string why = scrub(first_line(PQerrorMessage(conn_)), url_);
    err = {PQstatus(conn_) != CONNECTION_OK ? ErrorKind::unreachable : ErrorKind::query, why, "", ""};
    return false;
  }
  bool failed = false;
  while (PGresult* r = PQgetResult(conn_)) {
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK && rows) {
      for (int i = 0; i < PQntuples(r); ++i) rows->push_back(PQgetisnull(r, i, 0) ? "" : PQgetvalue(r, i, 0));
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY && !failed) {
      failed = true;
      auto field = [&](int code) {
        const char* v = PQresultErrorField(r, code);
        return std::string(v ? v : "");
      };
      std::string primary = field(PG_DIAG_MESSAGE_PRIMARY);
      if (primary.empty()) primary = first_line(PQerrorMessage(conn_));
      std::string detail = field(PG_DIAG_MESSAGE_DETAIL), hint = field(PG_DIAG_MESSAGE_HINT);
      if (!hint.empty()) detail += (detail.empty() ? "" : "; ") + std::string("hint: ") + hint;
      err = {ErrorKind::query, scrub(primary, url_), scrub(detail, url_), ""};
      script_sqlstate_ = field(PG_DIAG_SQLSTATE);
      std::string pos = field(PG_DIAG_STATEMENT_POSITION);
      script_position_ = pos.empty() ? 0 : std::atoi(pos.c_str());
    }
    PQclear(r);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = scrub(first_line(PQerrorMessage(conn_)), url_);
    if (!failed || err.message.empty()) err = {ErrorKind::unreachable, why, "", ""};
    err.kind = ErrorKind::unreachable;
    if (err.detail.empty()) err.detail = why;
    return false;
  }
  return !failed;
}

std::string Connection::host() const {
  const char* h = PQhost(conn_);
  return h ? h : "";
}

std::string Connection::conninfo_without_password() const {
  std::string out;
  PQconninfoOption* opts = PQconninfo(conn_);
  if (!opts) return out;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val || std::string(o->keyword) == "password") continue;
    std::string v;
    for (const char* p = o->val; *p; ++p) {
      if (*p == '\'' || *p == '\\') v += '\\';
      v += *p;
    }
    out += fmt::format("{}{}='{}'", out.empty() ? "" : " ", o->keyword, v);
  }
  PQconninfoFree(opts);
  return out;
}

std::string Connection::password() const {
  const char* p = PQpass(conn_);
  return p ? p : "";
}

}  // namespace packdb::db
