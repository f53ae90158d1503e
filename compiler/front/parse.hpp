// Text → owned AST. Runs the PEGTL grammar (grammar/packdb.hpp), keeps only the parse
// tree nodes the AST needs, and converts them at once so nothing points into the input.
#pragma once
#include <optional>

#include "compiler/front/ast.hpp"
#include "compiler/front/diagnostics.hpp"

namespace packdb {

// Larger specs are refused before parsing: a hostile input cannot exhaust memory. A caller may
// allow more (`--max-spec-mib`): memory grows with the spec, about 70 bytes for each byte.
inline constexpr std::size_t max_spec_bytes = 16u * 1024u * 1024u;
// Syntax errors reported per file before giving up on it (each after a resynchronisation).
inline constexpr std::size_t max_syntax_errors = 20;
// PostgreSQL truncates identifiers at NAMEDATALEN-1 bytes.
inline constexpr std::size_t max_identifier_bytes = 63;

// Files at least this large are parsed in two halves at once (the AST is the same).
inline constexpr std::size_t parallel_parse_bytes = 256u * 1024u;

// Parses file `file_id` of `sources`. On a syntax error, reports it (with what was
// expected, in words) and returns nothing.
std::optional<ast::File> parse_file(const SourceSet& sources, std::uint32_t file_id, Diagnostics& diags,
                                    std::size_t parallel_from_bytes = parallel_parse_bytes,
                                    std::size_t max_bytes = max_spec_bytes);

}  // namespace packdb
