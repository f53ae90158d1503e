#!/usr/bin/env node
// Reads the dump written by vim_dump.vim (see vim_check.sh) and checks that
//   - every file opened without an error, as filetype packdb, with the packdb syntax loaded;
//   - in the annotated samples of tests/editors/, each token that an assertion gives a scope is
//     highlighted in Vim with the matching group (SCOPE_TO_GROUP), so the Vim file follows the
//     same expectations as the TextMate grammar;
//   - every keyword of grammar/packdb.hpp is highlighted by a packdbKw* group, and every built-in
//     type by packdbType, somewhere in the samples.
// Usage: node tests/editors/vim_check.js SOURCE_DIR DUMP
'use strict';
const fs = require('fs');
const path = require('path');
const lib = require('./lib');

const DECL = ['packdbDeclName'];
const SCOPE_TO_GROUP = {
  'keyword.declaration.packdb': ['packdbKwDecl'],
  'keyword.other.packdb': ['packdbKwOther'],
  'keyword.operator.word.packdb': ['packdbKwOperator'],
  'constant.language.boolean.packdb': ['packdbKwBoolean'],
  'constant.language.null.packdb': ['packdbKwNull'],
  'variable.language.me.packdb': ['packdbKwMe'],
  'keyword.other.access.packdb': ['packdbKwAccess'],
  'support.constant.index-method.packdb': ['packdbKwMethod'],
  'support.constant.metric.packdb': ['packdbKwMetric'],
  'support.constant.persistence.packdb': ['packdbKwPersistence'],
  'support.constant.policy-command.packdb': ['packdbKwCommand'],
  'support.type.builtin.packdb': ['packdbType'],
  'entity.name.type.packdb': ['packdbTypeName'],
  'variable.other.column.packdb': ['packdbColumnName', 'packdbSeedKey'],
  'variable.other.property.packdb': ['packdbSettingKey'],
  'variable.other.enummember.packdb': ['packdbEnumMember'],
  'entity.name.namespace.pack.packdb': DECL,
  'entity.name.namespace.profile.packdb': DECL,
  'entity.name.type.table.packdb': DECL,
  'entity.name.type.mixin.packdb': DECL,
  'entity.name.type.enum.packdb': DECL,
  'entity.name.other.need.packdb': DECL,
  'entity.name.other.flow.packdb': DECL,
  'entity.name.variable.state.packdb': DECL,
  'entity.name.function.query.packdb': DECL,
  'entity.name.function.search.packdb': DECL,
  'entity.name.function.view.packdb': DECL,
  'entity.name.policy.packdb': ['packdbPolicyName'],
  'entity.name.index.packdb': ['packdbIndexName'],
  'entity.name.check.packdb': ['packdbCheckName'],
  'support.type.opclass.packdb': ['packdbOpclass'],
  'comment.line.double-slash.packdb': ['packdbLineComment'],
  'comment.block.packdb': ['packdbBlockComment'],
  'string.quoted.double.packdb': ['packdbString'],
  'string.quoted.single.packdb': ['packdbString'],
  'constant.character.escape.packdb': ['packdbEscape', 'packdbQuoteEscape'],
  'constant.numeric.packdb': ['packdbNumber'],
  'variable.parameter.packdb': ['packdbParam'],
  'storage.modifier.array.packdb': ['packdbArray'],
  'storage.modifier.nullable.packdb': ['packdbNullable'],
  'keyword.operator.comparison.packdb': ['packdbOperator'],
  'keyword.operator.assignment.packdb': ['packdbOperator'],
  'keyword.operator.arrow.packdb': ['packdbOperator'],
};

function readDump(file) {
  const files = new Map();  // path -> {ft, syntax, err, lines: Map(lnum -> [group per byte])}
  let cur = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    if (f[0] === 'FILE') {
      cur = { ft: f[2], syntax: f[3], err: f.slice(4).join('\t'), lines: new Map() };
      files.set(path.resolve(f[1]), cur);
    } else {
      cur.lines.set(Number(f[0]), f[1] ? f[1].split(' ') : []);
    }
  }
  return files;
}

function main(src, dumpFile) {
  const dump = readDump(dumpFile);
  const problems = [];
  for (const [file, d] of dump) {
    const rel = path.relative(src, file);
    if (d.err) problems.push(`${rel}: error while opening: ${d.err}`);
    if (d.ft !== 'packdb') problems.push(`${rel}: filetype is '${d.ft}', not packdb (editors/vim/ftdetect)`);
    if (d.syntax !== 'packdb') problems.push(`${rel}: b:current_syntax is '${d.syntax}', not packdb`);
  }

  const p = lib.paths(src);
  const keywords = lib.pegtlKeywords(p.pegtl);
  const types = lib.builtinTypes(p.types);
  const seenKw = new Set();
  const seenType = new Set();
  let checked = 0;
  for (const s of lib.readSamples(p.samples)) {
    const d = dump.get(path.resolve(s.file));
    if (!d) { problems.push(`${s.name}: not in the Vim dump`); continue; }
    // every word of the sample: is it a keyword or a type highlighted as such?
    s.lines.forEach((text, i) => {
      const groups = d.lines.get(i + 1) || [];
      for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        const g = groups[m.index];
        if (keywords.has(m[0]) && g && g.startsWith('packdbKw')) seenKw.add(m[0]);
        if (types.has(m[0]) && g === 'packdbType') seenType.add(m[0]);
      }
    });
    for (const a of s.assertions) {
      const scope = [...a.scopes].reverse().find((x) => SCOPE_TO_GROUP[x]);
      if (!scope) continue;
      const want = SCOPE_TO_GROUP[scope];
      const groups = d.lines.get(a.line + 1) || [];
      checked++;
      for (let c = a.from; c < a.to; c++) {
        const got = groups[c] || '-';
        if (!want.includes(got)) {
          problems.push(`${s.name}:${a.line + 1}:${c + 1}: \`${a.text.substring(a.from, a.to)}\` is ${got} in Vim; ` +
                        `the assertion says ${scope}, so want ${want.join(' or ')}\n    ${a.text}`);
          break;
        }
      }
    }
  }
  const unseenKw = [...keywords].filter((w) => !seenKw.has(w)).sort();
  if (unseenKw.length) problems.push(`keywords never highlighted as packdbKw* in tests/editors/*.packdb: ${unseenKw.join(' ')}`);
  const unseenType = [...types].filter((w) => !seenType.has(w)).sort();
  if (unseenType.length) problems.push(`built-in types never highlighted as packdbType in tests/editors/*.packdb: ${unseenType.join(' ')}`);

  if (problems.length) {
    console.log('FAIL: Vim highlighting');
    const shown = 60;
    problems.slice(0, shown).forEach((l) => console.log(l));
    if (problems.length > shown) console.log(`... and ${problems.length - shown} more`);
    return 1;
  }
  console.log(`ok: ${dump.size} files open in Vim as packdb without errors; ${checked} assertions of tests/editors/*.packdb ` +
              `hold in Vim; all ${keywords.size} keywords and ${types.size} built-in types are highlighted`);
  return 0;
}

try {
  if (process.argv.length !== 4) { console.log('usage: vim_check.js SOURCE_DIR DUMP'); process.exit(2); }
  process.exit(main(path.resolve(process.argv[2]), process.argv[3]));
} catch (e) {
  if (!(e instanceof lib.ReadError) && e.code !== 'ENOENT') throw e;
  console.log(`FAIL: ${e.message}`);
  process.exit(1);
}
