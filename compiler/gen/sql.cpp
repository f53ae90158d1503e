#include "compiler/gen/sql.hpp"

#include <fmt/format.h>

#include "compiler/plan/evolve.hpp"

namespace packdb::gen {

namespace {

std::string comment_line(const std::string& text) {
  std::string out = "--";
  if (!text.empty()) out += " ";
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out + "\n";
}

std::string phase_title(const plan::Phase& p) {
  switch (p.kind) {
    case plan::PhaseKind::foundation: return "foundation (extensions, enums, root tables, their RLS, seed rows)";
    case plan::PhaseKind::extensions: return "extensions (dependent tables, their keys, indexes and RLS; changes to existing tables)";
    case plan::PhaseKind::functions: return "functions (search functions and views)";
    case plan::PhaseKind::evolution: break;  // an evolution's migrations write their own headers (plan/evolve)
  }
  return p.name;
}

std::string body(const std::vector<std::string>& statements) {
  std::string out;
  for (const auto& s : statements) out += "\n" + s + "\n";
  return out;
}

}  // namespace

std::string migration_stem(const model::Model& m, const plan::Phase& p) {
  return p.version + "_" + plan::pack_ident(m.pack) + "_" + p.name;
}

std::vector<OutputFile> generate_migrations(const model::Model& m, const std::vector<plan::Phase>& phases) {
  std::vector<OutputFile> out;
  for (const auto& p : phases) {
    const std::string stem = migration_stem(m, p);
    std::string up;
    // Evolution migrations (plan/evolve.hpp) say what they change and its hazards; one that
    // must run outside a transaction starts with the marker `packdbc migrate` honours.
    const bool evolution = !p.title.empty();
    if (!p.transactional) up += std::string(plan::kNoTransactionMarker) + "\n";
    if (evolution)
      up += comment_line(fmt::format("packdbc migration for pack {}: {}", m.pack, p.title));
    else
      up += comment_line(fmt::format("packdbc migration for pack {}: phase {}, {}", m.pack, plan::phase_number(p.kind),
                                     phase_title(p)));
    up += comment_line("Generated from the pack's .packdb spec; edit the spec, not this file.");
    if (p.transactional)
      up += comment_line("Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.");
    else
      up += comment_line("Apply: packdbc migrate, or psql -v ON_ERROR_STOP=1 -f <file> (not in a transaction).");
    up += comment_line("Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).");
    if (!p.hazards.empty()) up += comment_line(fmt::format("Hazards: {}", fmt::join(p.hazards, ", ")));
    if (!p.summary.empty()) {
      up += comment_line("");
      up += comment_line(evolution ? "Changes:" : "Creates:");
      for (const auto& s : p.summary) up += comment_line("  - " + s);
    }
    up += body(p.up);
    out.push_back({"supabase/migrations/" + stem + ".sql", std::move(up)});

    std::string down;
    if (!p.transactional) down += std::string(plan::kNoTransactionMarker) + "\n";
    if (evolution)
      down += comment_line(fmt::format("packdbc rollback for pack {}: {}", m.pack, p.name));
    else
      down += comment_line(fmt::format("packdbc rollback for pack {}: phase {}, {}", m.pack, plan::phase_number(p.kind),
                                       p.name));
    down += comment_line("The exact reverse of supabase/migrations/ of the same name: drops what it created, in");
    down += comment_line("reverse order, and returns the catalog to where it was before it. Nothing is dropped");
    down += comment_line("'if exists' (except extensions this pack created): a failing rollback fails loudly.");
    down += comment_line(p.transactional ? "Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>."
                                         : "Apply: psql -v ON_ERROR_STOP=1 -f <file> (not in a transaction).");
    down += body(p.down);
    out.push_back({"supabase/rollback/" + stem + ".down.sql", std::move(down)});
  }
  return out;
}

}  // namespace packdb::gen
