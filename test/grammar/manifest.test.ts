// The package.json contributions and language-configuration.json, checked the way VS Code reads
// them: every grammar file exists and declares the scope it is registered under, the injections
// reach both our grammar and any other `source.nix`, and the editor configuration is complete.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { grammarContributions } from './tokenize';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('grammar contributions', () => {
  const grammars = grammarContributions();

  test('each grammar file exists and declares its registered scope name', () => {
    assert.ok(grammars.length >= 2);
    for (const g of grammars) {
      const file = join(root, g.path);
      assert.ok(existsSync(file), g.path);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).scopeName, g.scopeName, g.path);
    }
  });

  test('the nix language gets our own scope name, never source.nix', () => {
    const forNix = grammars.filter((g) => g.language === 'nix');
    assert.deepEqual(forNix.map((g) => g.scopeName), ['source.nix.clan-vars']);
    assert.ok(!grammars.some((g) => g.scopeName === 'source.nix'), 'we must not overwrite another source.nix');
  });

  test('every injection targets both source.nix and source.nix.clan-vars', () => {
    const injections = grammars.filter((g) => g.injectTo);
    assert.equal(injections.length, 3);
    for (const g of injections) assert.deepEqual([...g.injectTo!].sort(), ['source.nix', 'source.nix.clan-vars']);
    const region = injections.find((g) => g.embeddedLanguages);
    assert.equal(region?.embeddedLanguages?.['meta.embedded.block.shellscript'], 'shellscript');
  });

  test('the nix language points at language-configuration.json', () => {
    const nix = pkg.contributes.languages.find((l: { id: string }) => l.id === 'nix');
    assert.equal(nix.configuration, './language-configuration.json');
    assert.deepEqual(nix.extensions, ['.nix']);
  });
});

describe('language-configuration.json', () => {
  const config = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8'));

  test('comments and brackets', () => {
    assert.deepEqual(config.comments, { lineComment: '#', blockComment: ['/*', '*/'] });
    for (const pair of [['{', '}'], ['[', ']'], ['(', ')']]) assert.ok(config.brackets.some((b: string[]) => b.join() === pair.join()), pair.join(''));
  });

  test("auto-closing pairs include '' for indented strings", () => {
    const opens = config.autoClosingPairs.map((p: { open: string }) => p.open);
    for (const open of ['{', '[', '(', '"', "''"]) assert.ok(opens.includes(open), open);
    const indented = config.autoClosingPairs.find((p: { open: string }) => p.open === "''");
    assert.equal(indented.close, "''");
  });

  test('folding markers and patterns compile as JavaScript regular expressions', () => {
    const start = new RegExp(config.folding.markers.start);
    assert.ok(start.test('  # region secrets') && !start.test('  # regional'));
    assert.ok(new RegExp(config.folding.markers.end).test('# endregion'));
    const word = new RegExp(config.wordPattern);
    assert.equal('x ssh-keygen y'.match(new RegExp(config.wordPattern, 'g'))?.[1], 'ssh-keygen');
    assert.ok(word.test("mapAttrs'"));
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    assert.ok(increase.test("  script = ''") && increase.test('  x = {') && !increase.test('  x = { };'));
    assert.ok(new RegExp(config.indentationRules.decreaseIndentPattern).test("  '';"));
  });
});
