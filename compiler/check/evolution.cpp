// The spec's words about its own history: `renamed from` on tables and columns, and the
// destructive changes it allows (`allow drop column notes.body`). Only their shape is checked
// here; whether a rename or a drop really happens is known once the spec is compared with the
// state of the migrations already generated (compiler/plan/evolve.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "compiler/check/context.hpp"

namespace packdb::check {

namespace {

const char* allow_words(ast::AllowKind k) {
  switch (k) {
    case ast::AllowKind::drop_table: return "allow drop table";
    case ast::AllowKind::drop_column: return "allow drop column";
    case ast::AllowKind::drop_value: return "allow drop value";
    case ast::AllowKind::change_type: return "allow change type";
  }
  return "allow";
}

void check_renames(Context& cx) {
  for (const auto& t : cx.model.tables) {
    if (!t.renamed_from.empty()) {
      if (t.renamed_from == t.name)
        cx.diags.error("E0906", t.span, fmt::format("table `{}` is renamed from itself", t.name));
      else if (cx.model.table_index(t.renamed_from) >= 0)
        cx.diags.error("E0906", t.span,
                       fmt::format("table `{}` is renamed from `{}`, but the spec also declares `{}`", t.name,
                                   t.renamed_from, t.renamed_from))
            .help = "a renamed table keeps its rows under the new name; remove one of the two";
    }
    for (const auto& c : t.columns) {
      if (c.renamed_from.empty()) continue;
      if (c.renamed_from == c.name)
        cx.diags.error("E0906", c.span, fmt::format("column `{}` is renamed from itself", c.name));
      else if (t.has_column(c.renamed_from))
        cx.diags.error("E0906", c.span,
                       fmt::format("column `{}` is renamed from `{}`, but table `{}` also has a column `{}`", c.name,
                                   c.renamed_from, t.name, c.renamed_from));
    }
  }
}

}  // namespace

void resolve_evolution(Context& cx, const ast::File& spec) {
  check_renames(cx);
  for (const auto& a : spec.allows) {
    const bool wants_member = a.kind != ast::AllowKind::drop_table;
    if (wants_member && !a.member) {
      const char* what = a.kind == ast::AllowKind::drop_value ? "enum.value" : "table.column";
      cx.diags.error("E0907", a.object.span, fmt::format("`{}` names a {}", allow_words(a.kind), what))
          .help = fmt::format("write `{} {}.…`", allow_words(a.kind), a.object.name);
      continue;
    }
    if (!wants_member && a.member) {
      cx.diags.error("E0907", a.member->span, "`allow drop table` names a table, not a column")
          .help = fmt::format("write `allow drop column {}.{}` to drop a column", a.object.name, a.member->name);
      continue;
    }
    // Allowing the drop of something the spec still declares is a contradiction, not a no-op.
    if (a.kind == ast::AllowKind::drop_table && cx.model.table_index(a.object.name) >= 0) {
      cx.diags.error("E0907", a.object.span,
                     fmt::format("`allow drop table {}`, but the spec still declares table `{}`", a.object.name,
                                 a.object.name));
      continue;
    }
    if (a.kind == ast::AllowKind::drop_column) {
      int ti = cx.model.table_index(a.object.name);
      if (ti >= 0 && cx.model.tables[ti].has_column(a.member->name)) {
        cx.diags.error("E0907", a.member->span,
                       fmt::format("`allow drop column {}.{}`, but table `{}` still has column `{}`", a.object.name,
                                   a.member->name, a.object.name, a.member->name));
        continue;
      }
    }
    if (a.kind == ast::AllowKind::drop_value) {
      const model::Enum* e = cx.model.find_enum(a.object.name);
      if (e && std::find(e->values.begin(), e->values.end(), a.member->name) != e->values.end()) {
        cx.diags.error("E0907", a.member->span,
                       fmt::format("`allow drop value {}.{}`, but enum `{}` still has the value `{}`", a.object.name,
                                   a.member->name, a.object.name, a.member->name));
        continue;
      }
    }
    cx.model.allows.push_back({a.kind, a.object.name, a.member ? a.member->name : "", a.reason, a.span});
  }
}

}  // namespace packdb::check
