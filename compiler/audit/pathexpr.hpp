// Reading a path out of a line of code: string literals with their templating (Python
// f-strings, JavaScript template literals, shell `$VAR`, Handlebars `{{x}}`) turned into
// `{name}` placeholders, and small path expressions (`os.path.join(OUT, slug, "kb")`,
// `Path(ROOT) / "state.json"`, `"outputs/" + slug`, `path.join(__dirname, 'data')`)
// evaluated with the file's own constants. Hand-written scanning: no regex, so it is fast.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packdb::audit {

enum class Lang { python, js, shell, other };

// Constants of one file: `OUT_DIR = "outputs/minds"` (and what it evaluates to).
using Consts = std::map<std::string, std::string>;

// A string literal's body (without quotes) with its templating as `{name}` placeholders.
// `templated`: an f-string or a JavaScript template literal.
std::string normalize_literal(std::string_view body, Lang lang, bool templated);

// Evaluates a path expression; nothing when it holds no string literal or an unknown call.
// A script's own folder (`__dirname`, `Path(__file__).parent`, `os.getcwd()`) is taken to be
// the pack's root, and an unknown name becomes a placeholder: `slug` → `{slug}`.
std::optional<std::string> eval_path(std::string_view expr, const Consts& consts, Lang lang);

// `text` starts just after a '(': the arguments up to the matching ')', or nothing when the
// parentheses do not close within `text`.
std::optional<std::string_view> call_arguments(std::string_view text);
// Splits arguments at top-level commas.
std::vector<std::string_view> split_arguments(std::string_view args);

// The string literals of a line, normalized, with where each starts.
struct Literal {
  std::string value;
  std::size_t pos = 0;
};
std::vector<Literal> string_literals(std::string_view line, Lang lang);

// A shell word (`"$OUT/minds/${SLUG}/kb.json"`) as a path with placeholders.
std::string shell_word(std::string_view word, const Consts& consts);

// Cleans a path for the report: no leading `./`, no doubled '/', `{x}` kept.
std::string clean_path(std::string p);

// Does this look like a path to data (has a '/' or a file extension, no spaces, no URL)?
bool looks_like_path(const std::string& s);

}  // namespace packdb::audit
