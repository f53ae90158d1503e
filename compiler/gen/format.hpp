// The formatter behind `packdbc fmt`: prints a parsed spec in the canonical layout.
// Comments are kept (each where it stood relative to the declarations and table items),
// one blank line is kept where the author left blank lines, columns are aligned.
#pragma once
#include <string>

#include "compiler/front/ast.hpp"
#include "compiler/front/source.hpp"

namespace packdb::gen {

struct FormatOptions {
  // false: no comments and no blank lines — a dump of the AST alone, used by tests to
  // prove that formatting never changes what a spec means.
  bool keep_comments = true;
};

std::string format_spec(const ast::File& file, const Source& source, FormatOptions opts = {});

}  // namespace packdb::gen
