#!/usr/bin/env node
// editors.keywords_agree — one source of truth for what the editors highlight:
//   1. the TextMate grammar's keywords (repository.keywords) and the Vim syntax file's packdbKw*
//      groups are exactly the keywords of grammar/packdb.hpp (PACKDB_KW and TAO_PEGTL_KEYWORD);
//   2. their built-in types (repository["builtin-type"], Vim's packdbType) are exactly the
//      spellings of compiler/check/types.cpp's builtin_types;
//   3. the annotated samples in tests/editors/ assert every keyword with its scope, every
//      built-in type, and every scope the TextMate grammar can give (meta.* aside) at least once,
//      so that editors.tmgrammar covers the whole grammar.
// Usage: node tests/editors/keywords_agree.js SOURCE_DIR
'use strict';
const lib = require('./lib');

function main(src) {
  const p = lib.paths(src);
  const pegtl = lib.pegtlKeywords(p.pegtl);
  const types = lib.builtinTypes(p.types);
  const tm = lib.tmLists(p.tm);
  const vimGroups = lib.vimKeywordGroups(p.vim);
  const problems = [];
  const check = (title, lines) => { if (lines.length) problems.push(title, ...lines); };

  // 1. keywords
  const vimKeywords = new Set();
  for (const [group, words] of vimGroups) if (group.startsWith('packdbKw')) words.forEach((w) => vimKeywords.add(w));
  check('TextMate keywords differ from grammar/packdb.hpp:',
        lib.differences(pegtl, new Set(tm.keywords.keys()), 'grammar/packdb.hpp', 'packdb.tmLanguage.json repository.keywords'));
  check('Vim keywords differ from grammar/packdb.hpp:',
        lib.differences(pegtl, vimKeywords, 'grammar/packdb.hpp', 'packdb.vim packdbKw* groups'));
  // A keyword in a Vim group that is not a packdbKw* group would be highlighted as something else.
  for (const [group, words] of vimGroups) {
    if (group.startsWith('packdbKw')) continue;
    const stray = [...words].filter((w) => pegtl.has(w));
    if (stray.length) problems.push(`packdb.vim: keywords of grammar/packdb.hpp in the non-keyword group ${group}: ${stray.join(' ')}`);
  }

  // 2. built-in types
  check('TextMate built-in types differ from compiler/check/types.cpp:',
        lib.differences(types, tm.types, 'compiler/check/types.cpp', 'packdb.tmLanguage.json repository["builtin-type"]'));
  check('Vim built-in types differ from compiler/check/types.cpp:',
        lib.differences(types, vimGroups.get('packdbType') || new Set(), 'compiler/check/types.cpp', 'packdb.vim packdbType'));
  const clash = [...types].filter((t) => pegtl.has(t));
  if (clash.length) problems.push(`built-in types that are also keywords (the highlighters can't tell them apart): ${clash.join(' ')}`);

  // 3. the samples cover the grammar
  const samples = lib.readSamples(p.samples);
  const asserted = new Map();  // word -> set of required scopes it was asserted with
  const scopesAsserted = new Set();
  for (const s of samples) {
    for (const a of s.assertions) {
      a.scopes.forEach((x) => scopesAsserted.add(x));
      const word = a.text.substring(a.from, a.to);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) continue;
      if (!asserted.has(word)) asserted.set(word, new Set());
      a.scopes.forEach((x) => asserted.get(word).add(x));
    }
  }
  const uncovered = [...pegtl].filter((w) => !(asserted.get(w) || new Set()).has(tm.keywords.get(w))).sort();
  if (uncovered.length)
    problems.push('keywords that no sample in tests/editors/ asserts with their TextMate scope:',
                  ...uncovered.map((w) => `  ${w} (${tm.keywords.get(w) || "not in the TextMate grammar"})`));
  const untyped = [...types].filter((t) => !(asserted.get(t) || new Set()).has('support.type.builtin.packdb')).sort();
  if (untyped.length)
    problems.push(`built-in types that no sample asserts as support.type.builtin.packdb: ${untyped.join(' ')}`);
  const unscoped = [...lib.tmScopes(tm.grammar)].filter((x) => !scopesAsserted.has(x)).sort();
  if (unscoped.length)
    problems.push('scopes of the TextMate grammar that no sample asserts:', ...unscoped.map((x) => `  ${x}`));

  if (problems.length) {
    console.log('FAIL: the editors do not agree with the grammar');
    problems.forEach((l) => console.log(l));
    return 1;
  }
  console.log(`ok: ${pegtl.size} keywords and ${types.size} built-in types agree between grammar/packdb.hpp, ` +
              `compiler/check/types.cpp, the TextMate grammar and the Vim syntax file; ` +
              `${samples.length} sample files assert all of them and all ${lib.tmScopes(tm.grammar).size} scopes`);
  return 0;
}

try {
  if (process.argv.length !== 3) { console.log('usage: keywords_agree.js SOURCE_DIR'); process.exit(2); }
  process.exit(main(process.argv[2]));
} catch (e) {
  if (!(e instanceof lib.ReadError) && e.code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
  console.log(`FAIL: ${e.message}`);
  process.exit(1);
}
