// The pgTAP test file: supabase/tests/<pack>_rls.test.sql.
//
// It runs with pg_prove (or `supabase test db`) against a database where all migrations are
// applied, and proves what the spec promises instead of hoping for it:
//   structure  tables, keys, RLS enabled, the exact policies, foreign keys, indexes, every
//              foreign key and owner column leading an index, enums, extensions, the
//              updated_at triggers, fixed search_path on functions, security_invoker views;
//   isolation  as real roles: user A creates a row in every table it may write (following the
//              FK chain from its own rows), then user B sees none of them, cannot forge rows
//              owned by A or under A's rows, cannot update or delete them; A sees its own;
//              anon sees nothing private; public/authenticated reads and service-only tables
//              behave as declared.
// Everything runs in one transaction that is rolled back: the database is left as it was.
#pragma once
#include <functional>
#include <string_view>

#include "compiler/gen/output.hpp"
#include "compiler/model/model.hpp"

namespace packdb::gen {

// supabase/tests/<pack>_rls.test.sql
std::string pgtap_path(const model::Model& m);
OutputFile generate_pgtap(const model::Model& m);
// The same file in two parts, for a large spec: the tests go to `body` in pieces as they are
// made; the head returned (comments, notes found on the way, the plan count) goes before them.
using BodySink = std::function<void(std::string_view)>;
std::string generate_pgtap(const model::Model& m, const BodySink& body);

}  // namespace packdb::gen
