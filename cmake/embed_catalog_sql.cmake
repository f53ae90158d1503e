# Turns tests/db/catalog.sql + data.sql (the database harness's catalog snapshot, one text
# line per fact) into packdb::migrate::catalog_snapshot_sql(), so that `packdbc smoke-test`
# compares catalogs with exactly the query the harness's roundtrip tests use.
set(text "")
foreach(f IN LISTS FILES)
  file(READ ${f} part)
  string(APPEND text "${part}\n")
endforeach()
string(HEX "${text}" hex)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" esc "${hex}")
file(WRITE ${OUT}.tmp "#include \"compiler/migrate/smoke.hpp\"\nnamespace packdb::migrate {\nconst std::string& catalog_snapshot_sql() {\n  static const std::string sql(\"${esc}\", ${len});\n  return sql;\n}\n}\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
