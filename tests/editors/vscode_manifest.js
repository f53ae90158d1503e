#!/usr/bin/env node
// editors.vscode_manifest — the VS Code extension in editors/vscode/ is wired together: the
// package.json contributes the packdb language for `.packdb` files with its language
// configuration, and the grammar at the path it names, with the scope name the grammar declares;
// the language configuration has packdb's comments, brackets and auto-closing pairs.
// Usage: node tests/editors/vscode_manifest.js SOURCE_DIR
'use strict';
const fs = require('fs');
const path = require('path');

function main(src) {
  const dir = path.join(src, 'editors/vscode');
  const problems = [];
  const need = (ok, what) => { if (!ok) problems.push(what); return ok; };
  const readJson = (file) => {
    try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { problems.push(`${path.relative(src, file)}: ${e.message}`); return null; }
  };
  const pkg = readJson(path.join(dir, 'package.json'));
  if (!pkg) return problems;
  need(pkg.engines && pkg.engines.vscode, 'package.json: no engines.vscode');
  need((pkg.categories || []).includes('Programming Languages'), 'package.json: categories lacks "Programming Languages"');
  const langs = (pkg.contributes && pkg.contributes.languages) || [];
  const lang = langs.find((l) => l.id === 'packdb');
  if (need(lang, 'package.json: contributes.languages has no language "packdb"')) {
    need(JSON.stringify(lang.extensions) === JSON.stringify(['.packdb']), `package.json: packdb's extensions are ${JSON.stringify(lang.extensions)}, want [".packdb"]`);
    const conf = lang.configuration && readJson(path.join(dir, lang.configuration));
    need(lang.configuration, 'package.json: packdb has no configuration');
    if (conf) {
      need(conf.comments && conf.comments.lineComment === '//', 'language-configuration.json: lineComment is not "//"');
      need(conf.comments && JSON.stringify(conf.comments.blockComment) === '["/*","*/"]', 'language-configuration.json: blockComment is not ["/*", "*/"]');
      const pairs = (xs) => (xs || []).map((x) => (Array.isArray(x) ? x.join('') : `${x.open}${x.close}`));
      for (const b of ['{}', '[]', '()'])
        need(pairs(conf.brackets).includes(b), `language-configuration.json: brackets lack ${b}`);
      for (const b of ['{}', '[]', '()', '""', "''"]) {
        need(pairs(conf.autoClosingPairs).includes(b), `language-configuration.json: autoClosingPairs lack ${b}`);
        need(pairs(conf.surroundingPairs).includes(b), `language-configuration.json: surroundingPairs lack ${b}`);
      }
    }
  }
  const grammars = (pkg.contributes && pkg.contributes.grammars) || [];
  const g = grammars.find((x) => x.language === 'packdb');
  if (need(g, 'package.json: contributes.grammars has no grammar for "packdb"')) {
    const tm = readJson(path.join(dir, g.path));
    if (tm) {
      need(tm.scopeName === g.scopeName, `package.json says scopeName ${g.scopeName}, the grammar says ${tm.scopeName}`);
      need(g.scopeName === 'source.packdb', `scopeName is ${g.scopeName}, the samples in tests/editors/ test source.packdb`);
    }
  }
  return problems;
}

if (process.argv.length !== 3) { console.log('usage: vscode_manifest.js SOURCE_DIR'); process.exit(2); }
const problems = main(process.argv[2]);
if (problems.length) {
  console.log('FAIL: the VS Code extension in editors/vscode/');
  problems.forEach((p) => console.log(`  ${p}`));
  process.exit(1);
}
console.log('ok: editors/vscode/package.json, language-configuration.json and the grammar fit together');
