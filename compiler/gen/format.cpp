#include "compiler/gen/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace packdb::gen {
namespace {

struct Comment {
  std::uint32_t begin, end;
  std::string text;
};

// Finds the comments of a source, skipping string literals.
std::vector<Comment> scan_comments(const std::string& s) {
  std::vector<Comment> out;
  for (std::size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      for (++i; i < s.size() && s[i] != c && s[i] != '\n'; ++i)
        if (c == '"' && s[i] == '\\') ++i;
      ++i;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
      std::size_t e = s.find('\n', i);
      if (e == std::string::npos) e = s.size();
      std::size_t te = e;
      while (te > i && (s[te - 1] == '\r' || s[te - 1] == ' ' || s[te - 1] == '\t')) --te;
      out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e), s.substr(i, te - i)});
      i = e;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      std::size_t e = s.find("*/", i + 2);
      e = e == std::string::npos ? s.size() : e + 2;
      out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e), s.substr(i, e - i)});
      i = e;
    } else {
      ++i;
    }
  }
  return out;
}

std::string dq(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + "\"";
}

std::string sq(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Binding strength, so that parentheses are printed only where they are needed.
int precedence(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::binary && e.text == "or") return 1;
  if (e.kind == ast::ExprKind::binary && e.text == "and") return 2;
  if (e.kind == ast::ExprKind::unary_not) return 3;
  if (e.kind == ast::ExprKind::binary || e.kind == ast::ExprKind::is_null || e.kind == ast::ExprKind::in_list) return 4;
  return 5;
}

std::string expr(const ast::Expr& e);

std::string operand(const ast::Expr& e, int min_prec) {
  std::string s = expr(e);
  return precedence(e) < min_prec ? "(" + s + ")" : s;
}

std::string expr(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::string_lit: return sq(e.text);
    case ast::ExprKind::number_lit:
    case ast::ExprKind::bool_lit:
    case ast::ExprKind::name: return e.text;
    case ast::ExprKind::null_lit: return "null";
    case ast::ExprKind::param: return "$" + e.text;
    case ast::ExprKind::me: return "me";
    case ast::ExprKind::call: {
      std::vector<std::string> args;
      for (const auto& a : e.args) args.push_back(expr(*a));
      return fmt::format("{}({})", e.text, fmt::join(args, ", "));
    }
    case ast::ExprKind::binary: {
      int p = precedence(e);
      // Left-associative: the right operand of a chain needs parentheses at equal strength.
      return fmt::format("{} {} {}", operand(*e.args[0], p), e.text, operand(*e.args[1], p + (p >= 4 ? 1 : 0)));
    }
    case ast::ExprKind::unary_not: return "not " + operand(*e.args[0], 3);
    case ast::ExprKind::is_null: return operand(*e.args[0], 5) + (e.negated ? " is not null" : " is null");
    case ast::ExprKind::in_list: {
      std::vector<std::string> items;
      for (std::size_t i = 1; i < e.args.size(); ++i) items.push_back(expr(*e.args[i]));
      return fmt::format("{} in ({})", operand(*e.args[0], 5), fmt::join(items, ", "));
    }
  }
  return e.text;
}

// Settings and seed values: strings in double quotes, everything else as written.
std::string value(const ast::Expr& e) { return e.kind == ast::ExprKind::string_lit ? dq(e.text) : expr(e); }

std::string type(const ast::TypeRef& t) {
  std::string s = t.name.name;
  if (!t.params.empty()) {
    s += "(";
    for (std::size_t i = 0; i < t.params.size(); ++i) s += (i ? ", " : "") + std::to_string(t.params[i]);
    s += ")";
  }
  for (int i = 0; i < t.array_dims; ++i) s += "[]";
  return s;
}

std::string column_ref(const ast::ColumnRef& r) {
  std::string s = r.name.name;
  if (r.descending) s += " desc";
  if (r.opclass) s += " ops " + r.opclass->name;
  return s;
}

std::string column_list(const std::vector<ast::ColumnRef>& refs) {
  std::vector<std::string> parts;
  for (const auto& r : refs) parts.push_back(column_ref(r));
  return fmt::format("({})", fmt::join(parts, ", "));
}

const char* on_delete(ast::OnDelete d) {
  switch (d) {
    case ast::OnDelete::cascade: return " on delete cascade";
    case ast::OnDelete::restrict: return " on delete restrict";
    case ast::OnDelete::set_null: return " on delete set null";
    case ast::OnDelete::set_default: return " on delete set default";
    case ast::OnDelete::no_action: return " on delete no action";
    case ast::OnDelete::unspecified: return "";
  }
  return "";
}

std::string column_tail(const ast::Column& c) {
  std::string s = type(c.type) + (c.nullable ? "?" : "");
  if (c.primary_key) s += " primary key";
  if (c.default_value) s += " = " + expr(*c.default_value);
  if (c.unique) s += c.unique_per_owner ? " unique per owner" : " unique";
  if (c.references) {
    s += " references " + c.references->table.name;
    if (c.references->column) s += "." + c.references->column->name;
    s += on_delete(c.references->on_delete);
  }
  if (c.check) s += " check (" + expr(*c.check) + ")";
  return s;
}

std::string index(const ast::Index& ix) {
  std::string s = ix.unique ? "unique index" : "index";
  if (ix.name) s += " " + ix.name->name;
  s += " " + column_list(ix.columns);
  static const char* methods[] = {"", "btree", "hash", "gin", "gist", "brin", "hnsw", "ivfflat"};
  static const char* metrics[] = {"", "cosine", "l2", "inner_product", "l1"};
  if (ix.method != ast::IndexMethod::unspecified) {
    s += std::string(" using ") + methods[static_cast<int>(ix.method)];
    if (ix.metric != ast::Metric::unspecified) s += std::string(" ") + metrics[static_cast<int>(ix.metric)];
  }
  if (ix.where) s += " where " + expr(*ix.where);
  return s;
}

std::string access(const ast::Access& a) {
  switch (a.kind) {
    case ast::AccessKind::owner: return "owner";
    case ast::AccessKind::inherited: return "inherited";
    case ast::AccessKind::public_read: return "public read";
    case ast::AccessKind::authenticated_read: return "authenticated read";
    case ast::AccessKind::service_only: return "service only";
  }
  return "";
}

std::string policy(const ast::Policy& p) {
  static const char* cmds[] = {"all", "select", "insert", "update", "delete"};
  std::string s = fmt::format("policy {} for {}", p.name.name, cmds[static_cast<int>(p.command)]);
  if (p.restrictive) s += " restrictive";
  if (!p.roles.empty()) {
    std::vector<std::string> r;
    for (const auto& x : p.roles) r.push_back(x.name);
    s += fmt::format(" to {}", fmt::join(r, ", "));
  }
  if (p.using_sql) s += " using " + dq(*p.using_sql);
  if (p.check_sql) s += " with check " + dq(*p.check_sql);
  return s;
}

std::string flow_target(const ast::FlowTarget& t) { return t.table.name + (t.column ? "." + t.column->name : ""); }

class Printer {
 public:
  Printer(const Source& src, FormatOptions opts)
      : text_(src.text()), opts_(opts), comments_(opts.keep_comments ? scan_comments(src.text()) : std::vector<Comment>{}) {}

  std::string run(const ast::File& f) {
    // Every top-level declaration, in source order.
    std::vector<std::pair<std::uint32_t, std::function<void()>>> decls;
    auto add = [&](Span sp, std::function<void()> fn) { decls.push_back({sp.begin, std::move(fn)}); };
    if (f.pack) add(f.pack->span, [&] { pack(*f.pack); });
    for (const auto& x : f.imports)
      add(x.span, [&] { line("import " + (x.path.empty() ? x.module.name : dq(x.path)), x.span); });
    for (const auto& x : f.profiles) add(x.span, [&] { settings_block("profile " + x.name.name, x.settings, x.span); });
    for (const auto& x : f.needs) add(x.span, [&] { line(fmt::format("need {} {}", x.kind.name, dq(x.reason)), x.span); });
    for (const auto& x : f.flows) add(x.span, [&] { flow(x); });
    for (const auto& x : f.states) add(x.span, [&] { state(x); });
    for (const auto& x : f.enums) add(x.span, [&] { enum_(x); });
    for (const auto& x : f.tables) add(x.span, [&] { table(x); });
    for (const auto& x : f.mixins) add(x.span, [&] { body("mixin " + x.name.name, x.body, x.span); });
    for (const auto& x : f.extends) add(x.span, [&] { extend(x); });
    for (const auto& x : f.queries) add(x.span, [&] { query(x); });
    for (const auto& x : f.searches) add(x.span, [&] { search(x); });
    for (const auto& x : f.views) add(x.span, [&] { view(x); });
    for (const auto& x : f.seeds) add(x.span, [&] { seed(x); });
    std::stable_sort(decls.begin(), decls.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [pos, fn] : decls) {
      gap(pos, "");
      fn();
    }
    gap(static_cast<std::uint32_t>(text_.size()), "", true);
    return out_;
  }

 private:
  // Emits the comments and blank lines between the last thing printed and `pos`.
  void gap(std::uint32_t pos, const std::string& indent, bool final = false) {
    while (next_ < comments_.size() && comments_[next_].begin < pos) {
      const Comment& c = comments_[next_++];
      if (!same_line(cursor_, c.begin) || out_.empty()) {
        blank_if_gap(cursor_, c.begin);
        out_ += indent + c.text + "\n";
      } else {
        // A comment after code on the same line stays there.
        if (!out_.empty() && out_.back() == '\n') out_.pop_back();
        out_ += " " + c.text + "\n";
      }
      cursor_ = c.end;
    }
    if (!final) blank_if_gap(cursor_, pos);
    cursor_ = std::max(cursor_, pos);
  }

  bool same_line(std::uint32_t a, std::uint32_t b) const {
    if (a >= b) return true;
    return text_.find('\n', a) >= b;
  }

  void blank_if_gap(std::uint32_t a, std::uint32_t b) {
    if (!opts_.keep_comments || out_.empty() || at_block_start_) {
      at_block_start_ = false;
      return;
    }
    if (b > text_.size()) b = static_cast<std::uint32_t>(text_.size());
    int newlines = 0;
    for (std::uint32_t i = a; i < b; ++i) newlines += text_[i] == '\n';
    if (newlines >= 2 && !(out_.size() >= 2 && out_.compare(out_.size() - 2, 2, "\n\n") == 0)) out_ += "\n";
  }

  void line(const std::string& s, Span sp, const std::string& indent = "") {
    out_ += indent + s + "\n";
    cursor_ = std::max(cursor_, sp.end);
  }

  void open(const std::string& head) {
    out_ += head + " {\n";
    at_block_start_ = true;
  }

  void close(Span sp, const std::string& indent = "") {
    // Comments inside the block, before its closing brace.
    gap(sp.end > 0 ? sp.end - 1 : 0, indent + "  ", true);
    at_block_start_ = false;
    out_ += indent + "}\n";
    cursor_ = std::max(cursor_, sp.end);
  }

  void pack(const ast::PackHeader& p) {
    std::string head = "pack " + p.name.name;
    if (p.version) head += " version " + dq(*p.version);
    if (p.settings.empty()) return line(head, p.span);
    settings_block(head, p.settings, p.span);
  }

  void settings_block(const std::string& head, const std::vector<ast::Setting>& settings, Span sp) {
    open(head);
    std::size_t width = 0;
    for (const auto& s : settings) width = std::max(width, s.key.name.size());
    for (const auto& s : settings) {
      gap(s.span.begin, "  ");
      line(fmt::format("{:<{}} {}", s.key.name, width, value(*s.value)), s.span, "  ");
    }
    close(sp);
  }

  // The map block, its arrows aligned like a table's column types.
  void flow_map(const ast::FlowMap& m) {
    gap(m.span.begin, "  ");  // comments above the map (the flow's other clauses keep theirs at the end)
    out_ += m.each ? fmt::format("  map each {} {{\n", dq(*m.each)) : std::string("  map {\n");
    std::size_t w = 0;
    for (const auto& it : m.items) w = std::max(w, it.column.name.size());
    static const char* words[] = {"file", "document", "", "item", "index", "path", "source"};
    for (const auto& it : m.items) {
      std::string src = it.source == ast::MapSource::field ? "field " + dq(it.field) : words[static_cast<int>(it.source)];
      if (it.type) src += " as " + type(*it.type);
      gap(it.span.begin, "    ");  // a comment above an item stays above it, one after it beside it
      line(fmt::format("{:<{}} <- {}", it.column.name, w, src), it.span, "    ");
    }
    gap(m.span.end > 0 ? m.span.end - 1 : 0, "    ", true);
    cursor_ = std::max(cursor_, m.span.end);
    out_ += "  }\n";
  }

  void flow(const ast::DataFlow& f) {
    std::string head = fmt::format("{} {} {} at {}", f.kind == ast::FlowKind::input ? "input" : "output", f.name.name,
                                   f.format.name, dq(f.location));
    std::vector<std::string> clauses;
    if (f.description) clauses.push_back("description " + dq(*f.description));
    if (f.volume) clauses.push_back("volume " + dq(*f.volume));
    if (!f.fields.empty()) {
      std::vector<std::string> names;
      for (const auto& x : f.fields) names.push_back(x.name);
      clauses.push_back(fmt::format("fields {}", fmt::join(names, ", ")));
    }
    static const char* levels[] = {"", "low", "medium", "high"};
    if (f.persistence != ast::Persistence::unspecified)
      clauses.push_back(std::string("persist ") + levels[static_cast<int>(f.persistence)]);
    if (f.into) clauses.push_back("into " + flow_target(*f.into));
    if (f.keep_files) clauses.push_back("keep files");
    bool block = f.description || f.volume || !f.fields.empty() || clauses.size() > 2 || f.map;
    if (!block) return line(clauses.empty() ? head : fmt::format("{} {}", head, fmt::join(clauses, " ")), f.span);
    open(head);
    for (const auto& c : clauses) out_ += "  " + c + "\n";
    if (f.map) flow_map(*f.map);
    close(f.span);
  }

  void state(const ast::State& s) {
    std::string out = "state " + s.name.name;
    if (!s.values.empty()) {
      std::vector<std::string> v;
      for (const auto& x : s.values) v.push_back(x.name);
      out += fmt::format(" [{}]", fmt::join(v, ", "));
    }
    if (s.type) out += ": " + type(*s.type);
    out += s.target ? " -> " + flow_target(*s.target) : " keep files";
    line(out, s.span);
  }

  void enum_(const ast::Enum& e) {
    std::vector<std::string> v;
    for (const auto& x : e.values) v.push_back(x.name);
    std::string one = fmt::format("enum {} {{ {} }}", e.name.name, fmt::join(v, " "));
    if (one.size() <= 100) return line(one, e.span);
    open("enum " + e.name.name);
    for (const auto& x : e.values) {
      gap(x.span.begin, "  ");
      line(x.name, x.span, "  ");
    }
    close(e.span);
  }

  void table(const ast::Table& t) {
    std::string head = "table " + t.name.name;
    if (t.purpose) head += " " + dq(*t.purpose);
    if (t.owned_by_user) head += " owned by user";
    if (t.parent) head += " in " + t.parent->name;
    if (t.links.size() == 2) head += fmt::format(" links {} and {}", t.links[0].name, t.links[1].name);
    if (!t.mixins.empty()) {
      std::vector<std::string> m;
      for (const auto& x : t.mixins) m.push_back(x.name);
      head += fmt::format(" uses {}", fmt::join(m, ", "));
    }
    body(head, t.body, t.span);
  }

  // The items of a table body in source order; consecutive columns are aligned.
  void body(const std::string& head, const ast::TableBody& b, Span sp, const char* column_prefix = "") {
    open(head);
    struct Item {
      std::uint32_t pos;
      Span span;
      std::string text;
      const ast::Column* column;
    };
    std::vector<Item> items;
    for (const auto& c : b.columns) items.push_back({c.span.begin, c.span, "", &c});
    for (const auto& u : b.uniques)
      items.push_back({u.span.begin, u.span, "unique " + column_list(u.columns) + (u.per_owner ? " per owner" : ""), nullptr});
    for (const auto& ix : b.indexes) items.push_back({ix.span.begin, ix.span, index(ix), nullptr});
    for (const auto& ck : b.checks)
      items.push_back({ck.span.begin, ck.span, "check " + (ck.name ? ck.name->name + " " : "") + "(" + expr(*ck.expr) + ")", nullptr});
    // Adjacent access rules were written as one `access a, b` line: keep them together.
    for (std::size_t i = 0; i < b.access.size();) {
      std::size_t j = i + 1;
      std::string text = "access " + access(b.access[i]);
      while (j < b.access.size() && same_line(b.access[j - 1].span.end, b.access[j].span.begin) &&
             !has_other_between(b, b.access[j - 1].span.end, b.access[j].span.begin))
        text += ", " + access(b.access[j++]);
      items.push_back({b.access[i].span.begin, {b.access[i].span.file, b.access[i].span.begin, b.access[j - 1].span.end}, text, nullptr});
      i = j;
    }
    for (const auto& p : b.policies) items.push_back({p.span.begin, p.span, policy(p), nullptr});
    if (b.no_timestamps) items.push_back({b.no_timestamps_span.begin, b.no_timestamps_span, "no timestamps", nullptr});
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& c) { return a.pos < c.pos; });
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].column) {
        gap(items[i].pos, "  ");
        line(items[i].text, items[i].span, "  ");
        continue;
      }
      // A run of columns: names padded to the longest.
      std::size_t j = i;
      std::size_t width = 0;
      while (j < items.size() && items[j].column) width = std::max(width, items[j++].column->name.name.size());
      for (; i < j; ++i) {
        const ast::Column& c = *items[i].column;
        gap(items[i].pos, "  ");
        line(fmt::format("{}{:<{}} {}", column_prefix, c.name.name, width, column_tail(c)), c.span, "  ");
      }
      --i;
    }
    close(sp);
  }

  bool has_other_between(const ast::TableBody& b, std::uint32_t a, std::uint32_t c) const {
    (void)b;
    return text_.find(',', a) >= c;  // not joined by a comma: separate `access` lines
  }

  void extend(const ast::ExtendTable& x) {
    // `add column`/`add index`/… are printed with their `add`; `enable rls` last.
    open("extend table " + x.name.name);
    struct Item {
      std::uint32_t pos;
      Span span;
      std::string text;
    };
    std::vector<Item> items;
    for (const auto& c : x.added.columns) items.push_back({c.span.begin, c.span, "add column " + c.name.name + " " + column_tail(c)});
    for (const auto& u : x.added.uniques)
      items.push_back({u.span.begin, u.span, "add unique " + column_list(u.columns) + (u.per_owner ? " per owner" : "")});
    for (const auto& ix : x.added.indexes) items.push_back({ix.span.begin, ix.span, "add " + index(ix)});
    for (const auto& ck : x.added.checks)
      items.push_back({ck.span.begin, ck.span, "add check " + (ck.name ? ck.name->name + " " : "") + "(" + expr(*ck.expr) + ")"});
    for (const auto& a : x.added.access) items.push_back({a.span.begin, a.span, "add access " + access(a)});
    for (const auto& p : x.added.policies) items.push_back({p.span.begin, p.span, policy(p)});
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.pos < b.pos; });
    for (const auto& it : items) {
      gap(it.pos, "  ");
      line(it.text, it.span, "  ");
    }
    if (x.enable_rls) out_ += "  enable rls\n";
    close(x.span);
  }

  void query(const ast::Query& q) {
    std::string s = fmt::format("query {} = {}", q.name.name, q.table.name);
    if (q.where) s += " where " + expr(*q.where);
    if (!q.order_by.empty()) {
      std::vector<std::string> o;
      for (const auto& r : q.order_by) o.push_back(column_ref(r));
      s += fmt::format(" order by {}", fmt::join(o, ", "));
    }
    if (q.limit) s += fmt::format(" limit {}", *q.limit);
    line(s, q.span);
  }

  void search(const ast::Search& s) {
    std::string out = fmt::format("search {} = {}.{} nearest ${}", s.name.name, s.table.name, s.column.name, s.param.name);
    if (s.where) out += " where " + expr(*s.where);
    if (s.limit) out += fmt::format(" limit {}", *s.limit);
    line(out, s.span);
  }

  void view(const ast::View& v) {
    std::string out = fmt::format("view {} = {}", v.name.name, v.table.name);
    if (v.where) out += " where " + expr(*v.where);
    if (!v.columns.empty()) {
      std::vector<std::string> c;
      for (const auto& x : v.columns) c.push_back(x.name);
      out += fmt::format(" select {}", fmt::join(c, ", "));
    }
    line(out, v.span);
  }

  void seed(const ast::Seed& s) {
    std::vector<std::string> pairs;
    for (const auto& v : s.values) pairs.push_back(v.column.name + " " + value(*v.value));
    std::string one = fmt::format("seed {} {{ {} }}", s.table.name, fmt::join(pairs, "  "));
    if (one.size() <= 100) return line(one, s.span);
    open("seed " + s.table.name);
    std::size_t width = 0;
    for (const auto& v : s.values) width = std::max(width, v.column.name.size());
    for (const auto& v : s.values) out_ += fmt::format("  {:<{}} {}\n", v.column.name, width, value(*v.value));
    close(s.span);
  }

  const std::string& text_;
  FormatOptions opts_;
  std::vector<Comment> comments_;
  std::size_t next_ = 0;
  std::uint32_t cursor_ = 0;
  bool at_block_start_ = false;
  std::string out_;
};

}  // namespace

std::string format_spec(const ast::File& file, const Source& source, FormatOptions opts) {
  return Printer(source, opts).run(file);
}

}  // namespace packdb::gen
