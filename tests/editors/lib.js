// What the editor tests read: the keywords of the PEGTL grammar, the compiler's built-in types,
// the keyword and type lists of the TextMate grammar and of the Vim syntax file, and the
// assertions of the vscode-tmgrammar-test sample files. Each reader fails loudly when its
// source is not in the form it understands, so a changed source can't pass by reading nothing.
'use strict';
const fs = require('fs');
const path = require('path');

class ReadError extends Error {}
const fail = (msg) => { throw new ReadError(msg); };

const paths = (src) => ({
  pegtl: path.join(src, 'grammar/packdb.hpp'),
  types: path.join(src, 'compiler/check/types.cpp'),
  tm: path.join(src, 'editors/vscode/syntaxes/packdb.tmLanguage.json'),
  vim: path.join(src, 'editors/vim/syntax/packdb.vim'),
  vscode: path.join(src, 'editors/vscode'),
  samples: path.join(src, 'tests/editors'),
});

// Every keyword of grammar/packdb.hpp: `PACKDB_KW(name, "text")` and `TAO_PEGTL_KEYWORD("text")`.
function pegtlKeywords(file) {
  const text = fs.readFileSync(file, 'utf8');
  const words = new Set();
  const seen = { PACKDB_KW: 0, TAO_PEGTL_KEYWORD: 0 };
  const forms = [
    [/PACKDB_KW\(\s*\w+\s*,\s*"([^"\\]+)"\s*\)/g, 'PACKDB_KW'],
    [/TAO_PEGTL_KEYWORD\(\s*"([^"\\]+)"\s*\)/g, 'TAO_PEGTL_KEYWORD'],
  ];
  for (const [re, form] of forms)
    for (const m of text.matchAll(re)) { words.add(m[1]); seen[form]++; }
  // Every use of either macro must have been read; the only others are the macro's own definition.
  const uses = (name) => [...text.matchAll(new RegExp(name + '\\(', 'g'))].length;
  const definitions = (text.match(/#define PACKDB_KW\(name, text\)/g) || []).length;
  const inDefinition = (text.match(/TAO_PEGTL_KEYWORD\(text\)/g) || []).length;
  if (uses('PACKDB_KW') - definitions !== seen.PACKDB_KW)
    fail(`${file}: ${uses('PACKDB_KW') - definitions} uses of PACKDB_KW(...), but only ${seen.PACKDB_KW} read as PACKDB_KW(name, "text")`);
  if (uses('TAO_PEGTL_KEYWORD') - inDefinition !== seen.TAO_PEGTL_KEYWORD)
    fail(`${file}: ${uses('TAO_PEGTL_KEYWORD') - inDefinition} uses of TAO_PEGTL_KEYWORD(...), but only ${seen.TAO_PEGTL_KEYWORD} read as TAO_PEGTL_KEYWORD("text")`);
  // Another way of writing a keyword would escape this test: refuse to guess.
  for (const other of ['pegtl::keyword<', ' keyword<', 'TAO_PEGTL_ISTRING(', 'istring<'])
    if (text.includes(other)) fail(`${file}: uses \`${other}\`, which tests/editors/lib.js does not read; teach it to`);
  if (words.size < 50) fail(`${file}: read only ${words.size} keywords; has the grammar changed form?`);
  return words;
}

// The spellings of compiler/check/types.cpp's `builtin_types[] = { {"text", "text", 0}, ... };`.
function builtinTypes(file) {
  const text = fs.readFileSync(file, 'utf8');
  const block = /builtin_types\[\]\s*=\s*\{([\s\S]*?)\n\};/.exec(text);
  if (!block) fail(`${file}: no \`builtin_types[] = { ... };\` table found`);
  const types = new Set();
  for (const m of block[1].matchAll(/\{\s*"([^"]+)"\s*,\s*"[^"]*"\s*,\s*\d+\s*\}/g)) types.add(m[1]);
  const entries = (block[1].match(/\{/g) || []).length;
  if (entries !== types.size) fail(`${file}: ${entries} entries in builtin_types, but ${types.size} read as {"spelling", "canonical", N}`);
  if (types.size < 10) fail(`${file}: read only ${types.size} built-in types`);
  return types;
}

// A rule of the form `\b(?:w1|w2|...)\b` and nothing else.
function wordsOfRule(rule, where) {
  const m = /^\\b\(\?:([A-Za-z0-9_|]+)\)\\b$/.exec(rule.match || '');
  if (!m) fail(`${where}: expected a rule \`\\b(?:word|word|...)\\b\`, found ${JSON.stringify(rule.match)}`);
  return m[1].split('|');
}

// The TextMate grammar's keywords (repository.keywords: one rule per scope) and built-in types.
function tmLists(file) {
  const g = JSON.parse(fs.readFileSync(file, 'utf8'));
  const repo = g.repository || {};
  if (!repo.keywords || !Array.isArray(repo.keywords.patterns)) fail(`${file}: no repository.keywords.patterns`);
  const keywords = new Map();  // word -> scope
  const dup = [];
  repo.keywords.patterns.forEach((rule, i) => {
    for (const w of wordsOfRule(rule, `${file}: repository.keywords.patterns[${i}]`)) {
      if (keywords.has(w)) dup.push(w);
      keywords.set(w, rule.name);
    }
  });
  if (dup.length) fail(`${file}: keywords listed twice in repository.keywords: ${dup.join(' ')}`);
  if (!repo['builtin-type']) fail(`${file}: no repository["builtin-type"]`);
  const types = new Set(wordsOfRule(repo['builtin-type'], `${file}: repository["builtin-type"]`));
  return { grammar: g, keywords, types };
}

// Every scope name the TextMate grammar can give (rule and capture names), meta.* aside.
function tmScopes(g) {
  const scopes = new Set();
  (function walk(x) {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === 'object') {
      if (typeof x.name === 'string' && x.name.includes('.')) scopes.add(x.name);
      Object.values(x).forEach(walk);
    }
  })(g.repository);
  (g.patterns || []).forEach((p) => p.name && scopes.add(p.name));
  for (const s of [...scopes]) if (s.startsWith('meta.') || s.split(/\s+/).length > 1) scopes.delete(s);
  return scopes;
}

// The Vim syntax file's `syn keyword` lists: group -> words (options such as `contained` and
// `nextgroup=...` left out). `display`, `fold` and `extend` are keywords there, as Vim reads them
// (:help :syn-keyword).
const VIM_FLAGS = new Set(['contained', 'transparent', 'skipwhite', 'skipnl', 'skipempty', 'conceal']);
function vimKeywordGroups(file) {
  const groups = new Map();
  fs.readFileSync(file, 'utf8').split('\n').forEach((line) => {
    const m = /^\s*syn(?:tax)?\s+keyword\s+(\w+)\s+(.*)$/.exec(line);
    if (!m) return;
    const words = m[2].split(/\s+/).filter((w) => w && !w.includes('=') && !VIM_FLAGS.has(w));
    if (!groups.has(m[1])) groups.set(m[1], new Set());
    words.forEach((w) => groups.get(m[1]).add(w));
  });
  if (groups.size === 0) fail(`${file}: no \`syn keyword\` lines`);
  return groups;
}

// A vscode-tmgrammar-test file, read as the tool reads it: the first line names the comment
// token; an assertion line is the comment token, then `^^^` (under columns) or `<~~---` (from
// the line's start), then the scopes required and, after ` - `, those forbidden.
function readSamples(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.packdb')).sort();
  if (files.length === 0) fail(`${dir}: no *.packdb sample files`);
  return files.map((name) => {
    const lines = fs.readFileSync(path.join(dir, name), 'utf8').split(/\r\n|\n/);
    const header = /^(\S+)\s+SYNTAX\s+TEST\s+"([^"]+)"/.exec(lines[0]);
    if (!header) fail(`${name}: the first line is not \`// SYNTAX TEST "source.packdb" ...\``);
    const token = header[1];
    const assertions = [];  // {line (0-based in the file), text, from, to, scopes, exclude}
    let source = null;       // the last source line: {index, text}
    lines.slice(1).forEach((text, i) => {
      const rest = text.substring(token.length);
      if (text.startsWith(token) && /^\s*(\^|<[~]*[-]+)/.test(rest)) {
        if (!source) fail(`${name}:${i + 2}: an assertion before any source line`);
        const split = (s) => {
          const [req, exc = ''] = s.split(/\s+-\s+/);
          return [req.split(/\s+/).filter(Boolean), exc.split(/\s+/).filter(Boolean)];
        };
        let m;
        if ((m = /^(\s*)<(~*)(-+)\s*(.*)$/.exec(rest))) {
          const [scopes, exclude] = split(m[4]);
          assertions.push({ line: source.index, text: source.text, from: m[2].length, to: m[2].length + m[3].length, scopes, exclude });
        } else {
          const m2 = /^([\s^]*\^)\s*(.*)$/.exec(rest);
          const [scopes, exclude] = split(m2[2]);
          const carets = m2[1];
          for (const run of carets.matchAll(/\^+/g)) {
            const from = token.length + run.index;
            assertions.push({ line: source.index, text: source.text, from, to: from + run[0].length, scopes, exclude });
          }
        }
      } else {
        source = { index: i + 1, text };
      }
    });
    return { name, file: path.join(dir, name), lines, assertions };
  });
}

// Compare two sets; return lines describing the difference (empty when equal).
function differences(expected, actual, expectedName, actualName) {
  const missing = [...expected].filter((w) => !actual.has(w)).sort();
  const extra = [...actual].filter((w) => !expected.has(w)).sort();
  const out = [];
  if (missing.length) out.push(`  in ${expectedName} but not in ${actualName}: ${missing.join(' ')}`);
  if (extra.length) out.push(`  in ${actualName} but not in ${expectedName}: ${extra.join(' ')}`);
  return out;
}

module.exports = { ReadError, paths, pegtlKeywords, builtinTypes, tmLists, tmScopes, vimKeywordGroups, readSamples, differences };
