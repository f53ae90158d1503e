// A libpq connection, and the rules every command follows when it talks about one:
// the URL comes from --db, SUPABASE_DB_URL or DATABASE_URL; a password is never printed
// (every message passes through mask_password / scrub); failures are sorted into the few
// kinds a user can act on (unreachable, wrong login, no catalog access …).
#pragma once
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace packdb::db {

// "postgresql://app:****@db.example.com:5432/postgres" — the password of a URL
// (`user:password@`, `?password=`) or of a key=value string (`password=…`) replaced by ****.
// Works on malformed input too: it never needs libpq to understand the string.
std::string mask_password(const std::string& conninfo);
// `text` with every occurrence of the password of `conninfo` (as written and URL-decoded)
// replaced by ****: for messages that come back from libpq or the server.
std::string scrub(const std::string& text, const std::string& conninfo);

// Where the connection URL came from: the --db option or an environment variable.
struct UrlChoice {
  std::string url;
  std::string from;  // "--db", "SUPABASE_DB_URL", "DATABASE_URL"
};
// --db when given, else $SUPABASE_DB_URL, else $DATABASE_URL; nothing when none is set.
std::optional<UrlChoice> choose_url(const std::string& given);

enum class ErrorKind {
  none,
  no_url,             // no --db and no environment variable
  bad_url,            // libpq cannot parse it
  unreachable,        // refused, unknown host, timeout
  authentication,     // wrong password, no password, unknown role, pg_hba rejection
  no_database,        // the database does not exist
  no_permission,      // the role may not connect to the database
  no_catalog_access,  // connected, but the catalogs cannot be read (SQLSTATE 42501)
  query,              // any other failed query
  other,
};
const char* error_kind_name(ErrorKind k);
// The diagnostic code of a database failure: D0001 bad URL … D0007 other (docs/snapshot.md).
const char* error_code(ErrorKind k);

struct Error {
  ErrorKind kind = ErrorKind::none;
  std::string message;  // one line, password masked: "cannot connect to postgresql://…: connection refused"
  std::string detail;   // libpq's or the server's own words, password masked
  std::string help;     // what to do about it
  explicit operator bool() const { return kind != ErrorKind::none; }
};

// A query result; values are text as libpq returns them.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  int columns() const { return PQnfields(r_.get()); }
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string text(int row, int col) const {
    return null(row, col) ? std::string() : std::string(PQgetvalue(r_.get(), row, col));
  }
  bool boolean(int row, int col) const { return text(row, col) == "t"; }
  long long integer(int row, int col) const;
  // A one-dimensional text array ({a,"b c",NULL}); NULL elements become "".
  std::vector<std::string> array(int row, int col) const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

// Parses PostgreSQL's text form of a one-dimensional array: {a,"b,c","d\"e"}, also with
// explicit bounds ([0:1]={2,3}).
std::vector<std::string> parse_text_array(const std::string& text);

class Connection {
 public:
  // Connects to `url` (a postgresql:// URL or a key=value string). connect_timeout defaults
  // to `timeout_seconds` unless the URL sets one; application_name is packdbc.
  static std::unique_ptr<Connection> open(const std::string& url, Error& err, int timeout_seconds = 10);
  // The same server and login as `url`, but database `dbname` (smoke-test's scratch database).
  static std::unique_ptr<Connection> open_database(const std::string& url, const std::string& dbname, Error& err,
                                                   int timeout_seconds = 10);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` with text parameters ($1, $2 …). On failure fills `err` (kind no_catalog_access
  // for SQLSTATE 42501, else query) and returns nothing. `what` names the query in messages.
  std::optional<Result> query(const std::string& what, const std::string& sql, Error& err,
                              const std::vector<std::string>& params = {});
  // The same for statements without rows (begin, set …).
  bool exec(const std::string& sql, Error& err);
  // Runs a script of several statements as one simple-protocol query (a migration file).
  // On failure `err` holds the server's primary message (message) and its detail and hint
  // (detail), kind `unreachable` when the connection was lost; script_sqlstate() and
  // script_position() then say more. When `rows` is given, the first column of every row of
  // every result is appended to it (pgTAP's output).
  bool run_script(const std::string& sql, Error& err, std::vector<std::string>* rows = nullptr);
  // Of the last run_script that failed (until the next run_script): the SQLSTATE ("" when
  // none) and the 1-based character position of the error in the script (0: unknown).
  const std::string& script_sqlstate() const { return script_sqlstate_; }
  int script_position() const { return script_position_; }
  // The server process serving this connection (pg_backend_pid()).
  int backend_pid() const { return PQbackendPID(conn_); }
  bool alive() const { return PQstatus(conn_) == CONNECTION_OK; }

  const std::string& masked_url() const { return masked_; }
  int server_version_num() const { return PQserverVersion(conn_); }  // 150008
  bool ssl_in_use() const { return PQsslInUse(conn_) != 0; }
  std::string user() const { return PQuser(conn_); }
  std::string database() const { return PQdb(conn_); }
  std::string host() const;  // host name, or the socket folder
  std::string port() const { return PQport(conn_); }
  bool used_password() const { return PQconnectionUsedPassword(conn_) != 0; }
  int queries_run() const { return queries_; }  // how many queries this connection has sent
  // The parameters of this connection as a key=value string WITHOUT the password (for
  // pg_dump, which then gets the password through PGPASSWORD), and the password alone.
  std::string conninfo_without_password() const;
  std::string password() const;

 private:
  Connection(PGconn* c, std::string url);
  PGconn* conn_;
  std::string url_, masked_;
  int queries_ = 0;
  std::string script_sqlstate_;
  int script_position_ = 0;
};

}  // namespace packdb::db
