// removed-option as a clan user meets it: the whole finding (message, range, severity, explanation,
// fixes) on each option clan-core removed or renamed (migrateFact dated by the clan-core flake.lock
// pins, prompts.<p>.createFile, files.<f>.neededForUsers, files.<f>.sops.owner and .group), the
// options it leaves alone (valid ones, and paths that only look like a removed one), the hover on
// a removed option, and the finding following edits of a module and of flake.lock.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Problem } from '../../server/src/base/types';
import { hoverFor } from '../../server/src/ide/hoverText';
import { lineRange } from '../helpers/ruleCases';
import { logRuleRuns, relativeFindings, scannedClan } from '../helpers/ruleRuns';
import { clanCorePinnedAt } from '../helpers/tempClan';

const CODE = 'removed-option';
logRuleRuns();

/** A module of one generator `g`, its body given line by line (the first body line is line 3, 0-based). */
const module = (...body: string[]) => `{ cfg, ... }:\n{\n  clan.core.vars.generators.g = {\n${body.map((l) => `    ${l}\n`).join('')}  };\n}\n`;
/** A flake.lock pinning clan-core at this lastModified. */
const lock = clanCorePinnedAt;
/** clan-core b32a0d4c3 ("facts: remove residue"): from this lastModified on, migrateFact is an unknown option. */
const UNKNOWN_SINCE = 1780068256;

const findings = (files: Record<string, string>) => relativeFindings(CODE, { 'flake.nix': '{ }', ...files });
/** The finding without the fields every one has the same (file, code). */
const shown = (p: Problem) => ({ range: p.range, severity: p.severity, message: p.message, explanation: p.explanation, fixes: p.fixes });

const GUIDE = ' Migration guide: https://docs.clan.lol/guides/migrations/migration-facts-vars/';
const MARKER = '# moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)';
const MIGRATE_FACT = {
  none: {
    severity: 'warning',
    message: "migrateFact of generator 'g': delete this line once the facts are moved to vars: it does nothing since the facts system was removed.",
    explanation: `With clan-core from 2026-05-29 on, evaluation fails with "The option ... migrateFact' does not exist".${GUIDE}`,
  },
  before: {
    severity: 'warning',
    message: "migrateFact of generator 'g': delete this line once the facts are moved to vars: it does nothing since the facts system was removed.",
    explanation: `The clan-core this flake pins ignores it, but evaluation breaks when you update clan-core past 2026-05-29 ("The option ... migrateFact' does not exist").${GUIDE}`,
  },
  after: {
    severity: 'error',
    message: "migrateFact of generator 'g': delete this line once the facts are moved to vars: it no longer exists in the clan-core this flake pins.",
    explanation: `Evaluation fails with "The option ... migrateFact' does not exist".${GUIDE}`,
  },
};
const REMOVE_MIGRATE_FACT = { title: 'Remove migrateFact', edits: [{ file: 'm.nix', range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, newText: `    ${MARKER}\n` }], safe: false };
const MIGRATE_FACT_MODULE = module('migrateFact = "g";', 'files.k = { };', 'script = "touch $out/k";');

test('removed-option: migrateFact with no clan-core pin known: a warning that says from when evaluation fails, and the fix that removes it', async () => {
  const found = await findings({ 'm.nix': MIGRATE_FACT_MODULE });
  assert.deepEqual(found.map(shown), [{ range: lineRange(3, 4, 15), ...MIGRATE_FACT.none, fixes: [REMOVE_MIGRATE_FACT] }]);
});

for (const [pin, lastModified, expected] of [
  ['well before the removal', 1780056185, MIGRATE_FACT.before],
  ['one second before the removal', UNKNOWN_SINCE - 1, MIGRATE_FACT.before],
  ['at the removal', UNKNOWN_SINCE, MIGRATE_FACT.after],
  ['after the removal', 1785873814, MIGRATE_FACT.after],
] as const) {
  test(`removed-option: migrateFact with clan-core pinned ${pin}`, async () => {
    const found = await findings({ 'flake.lock': lock(lastModified), 'm.nix': MIGRATE_FACT_MODULE });
    assert.deepEqual(found.map(shown), [{ range: lineRange(3, 4, 15), ...expected, fixes: [REMOVE_MIGRATE_FACT] }]);
  });
}

test('removed-option: migrateFact beside a facts script: the fix that rewrites the script for vars comes first, then the one that only removes it', async () => {
  const found = await findings({ 'm.nix': module('migrateFact = "g";', 'files.k = { };', 'script = "touch $secrets/k";') });
  assert.deepEqual(
    found.map((p) => p.fixes?.map((f) => [f.title, f.safe, f.edits.map((e) => e.newText)])),
    [[['Rewrite for vars: $secrets and $facts become $out, migrateFact removed', false, ['"touch $out/k"', `    ${MARKER}\n`]], ['Remove migrateFact', false, [`    ${MARKER}\n`]]]],
  );
});

test('removed-option: migrateFact taken from a let binding (inherit): the finding, but no fix that removes a binding it does not have', async () => {
  const found = await findings({ 'm.nix': '{ ... }:\nlet\n  migrateFact = "g";\nin\n{\n  clan.core.vars.generators.g = {\n    inherit migrateFact;\n    files.k = { };\n    script = "touch $out/k";\n  };\n}\n' });
  assert.deepEqual(found.map(shown), [{ range: lineRange(6, 12, 23), ...MIGRATE_FACT.none, fixes: [] }]);
});

test('removed-option: prompts.<p>.createFile is an error with the rename to persist', async () => {
  const found = await findings({ 'm.nix': module('prompts.p.createFile = true;', 'prompts.q = { createFile = false; type = "hidden"; };') });
  const rename = (line: number, start: number) => ({ title: 'Rename createFile to persist', edits: [{ file: 'm.nix', range: lineRange(line, start, start + 10), newText: 'persist' }], safe: true });
  const message = (p: string) => `prompts.${p}.createFile of generator 'g': prompts.<name>.createFile was renamed to persist (January 2025) and the old name no longer exists. Write persist instead.`;
  assert.deepEqual(found.map(shown), [
    { range: lineRange(3, 14, 24), severity: 'error', message: message('p'), explanation: undefined, fixes: [rename(3, 14)] },
    { range: lineRange(4, 18, 28), severity: 'error', message: message('q'), explanation: undefined, fixes: [rename(4, 18)] },
  ]);
});

test('removed-option: files.<f>.neededForUsers is an error: true becomes neededFor = "users", false (the default) is removed, another value gets no fix', async () => {
  const found = await findings({
    'm.nix': module('files.a.neededForUsers = true;', 'files.b.neededForUsers = false;', 'files.c.neededForUsers = cfg.forUsers;', 'files.d = { neededForUsers = lib.mkDefault true; };'),
  });
  const head = (f: string) => `files.${f}.neededForUsers of generator 'g': files.<name>.neededForUsers was replaced by neededFor (December 2024) and no longer exists.`;
  const toUsers = (line: number, key: number, value: number, length: number) => ({
    title: 'Replace with neededFor = "users"',
    edits: [
      { file: 'm.nix', range: lineRange(line, key, key + 14), newText: 'neededFor' },
      { file: 'm.nix', range: lineRange(line, value, value + length), newText: '"users"' },
    ],
    safe: true,
  });
  assert.deepEqual(found.map(shown), [
    { range: lineRange(3, 12, 26), severity: 'error', message: `${head('a')} Write neededFor = "users".`, explanation: undefined, fixes: [toUsers(3, 12, 29, 4)] },
    {
      range: lineRange(4, 12, 26),
      severity: 'error',
      message: `${head('b')} false is the default: delete the line.`,
      explanation: undefined,
      fixes: [{ title: 'Remove neededForUsers', edits: [{ file: 'm.nix', range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, newText: '' }], safe: true }],
    },
    { range: lineRange(5, 12, 26), severity: 'error', message: `${head('c')} Use neededFor = "users" or "services".`, explanation: undefined, fixes: [] },
    { range: lineRange(6, 16, 30), severity: 'error', message: `${head('d')} Write neededFor = "users".`, explanation: undefined, fixes: [toUsers(6, 16, 47, 4)] },
  ]);
});

test('removed-option: neededForUsers = false taken from a let binding (inherit): the finding, but no fix that removes a binding it does not have', async () => {
  const found = await findings({ 'm.nix': '{ ... }:\nlet\n  neededForUsers = false;\nin\n{\n  clan.core.vars.generators.g = {\n    files.k = { inherit neededForUsers; };\n  };\n}\n' });
  assert.deepEqual(found.map(shown), [
    {
      range: lineRange(6, 24, 38),
      severity: 'error',
      message: "files.k.neededForUsers of generator 'g': files.<name>.neededForUsers was replaced by neededFor (December 2024) and no longer exists. false is the default: delete the line.",
      explanation: undefined,
      fixes: [],
    },
  ]);
});

test('removed-option: files.<f>.sops.owner and .group are a warning (NixOS still takes them) with no fix', async () => {
  const found = await findings({ 'm.nix': module('files.a.sops.owner = "alice";', 'files.b.sops.group = "wheel";') });
  const message = (f: string, attr: string) => `files.${f}.sops.${attr} of generator 'g': files.<name>.sops.${attr} was renamed to files.<name>.${attr}; NixOS still accepts it with a warning.`;
  assert.deepEqual(found.map(shown), [
    { range: lineRange(3, 17, 22), severity: 'warning', message: message('a', 'owner'), explanation: undefined, fixes: [] },
    { range: lineRange(4, 17, 22), severity: 'warning', message: message('b', 'group'), explanation: undefined, fixes: [] },
  ]);
});

test('removed-option: valid options and paths that only look like a removed option (never an option of that name in any clan-core) are no removed option', async () => {
  const found = await findings({
    'm.nix': module(
      // valid options
      'prompts.p.persist = true;',
      'prompts.p.display.group = "Network";',
      'files.a.neededFor = "users";',
      'files.a.owner = "alice";',
      'files.a.group = "wheel";',
      // the removed names elsewhere than where clan-core declared them
      'files.b.createFile = true;',
      'prompts.q.neededForUsers = true;',
      'prompts.q.sops.owner = "alice";',
      'files.c.settings.owner = "alice";',
      'files.c.sops.mode = "0400";',
      // below a removed option (a boolean, a string): a type error in every clan-core, not the removed option
      'migrateFact.name = "g";',
      'prompts.r.createFile.enable = true;',
      'files.d.neededForUsers.enable = true;',
      'files.e.sops.owner.name = "alice";',
    ),
  });
  assert.deepEqual(found.map(shown), []);
});

test('removed-option: the hover on migrateFact says what the finding explains; on an option that is no removed one only its documentation', async () => {
  const { root, index } = await scannedClan({ 'flake.lock': lock(1780056185), 'm.nix': module('migrateFact = "g";', 'prompts.p.createFile = true;', 'share = true;', 'files.k = { };', 'script = "touch $out/k";') });
  const clan = index.clan(root);
  const g = clan.byName.get('g')![0];
  const hover = (name: string) => {
    const o = g.options.find((x) => x.path[x.path.length - 1] === name)!;
    return hoverFor(clan, { kind: 'option', path: o.path, range: o.keyRange, generator: g });
  };
  const finding = [...index.allProblems().values()].flat().find((p) => p.code === CODE && p.message.startsWith('migrateFact'));
  assert.equal(finding?.explanation, MIGRATE_FACT.before.explanation);
  assert.ok(hover('migrateFact')?.endsWith(`\n\n**In this clan:** ${MIGRATE_FACT.before.explanation}`), String(hover('migrateFact')));
  // share is no removed option; createFile has no documentation and its finding nothing more to explain
  assert.equal(typeof hover('share'), 'string', 'share has its documentation');
  assert.doesNotMatch(hover('share')!, /In this clan/);
  assert.equal(hover('createFile'), null);
});

test('removed-option follows edits: a removed option typed into a module (re-checked over the edited name only) and flake.lock moving clan-core past the removal of migrateFact', async () => {
  const { root, index, lines } = await scannedClan({
    'm.nix': MIGRATE_FACT_MODULE,
    'o.nix': '{\n  clan.core.vars.generators.other = { files.k = { }; script = "touch $out/k"; };\n}\n',
    'p.nix': '{\n  clan.core.vars.generators.third = { files.k = { }; script = "touch $out/k"; };\n}\n',
  });
  const summary = () => [...index.allProblems().values()].flat().filter((p) => p.code === CODE).map((p) => `${path.relative(root, p.file)}:${p.range.start.line} ${p.severity} ${p.message.split(':')[0]}`).sort();
  assert.deepEqual(summary(), ["m.nix:3 warning migrateFact of generator 'g'"]);
  lines.length = 0;
  index.updateFromText(path.join(root, 'o.nix'), '{\n  clan.core.vars.generators.other = { files.k = { }; prompts.p.createFile = true; script = "touch $out/k"; };\n}\n');
  assert.deepEqual(summary(), ["m.nix:3 warning migrateFact of generator 'g'", "o.nix:1 error prompts.p.createFile of generator 'other'"]);
  // its reach is the name: the edit re-ran it over the edited file's generator only
  assert.deepEqual(lines.filter((l) => l.startsWith(`rule ${CODE} `)).map((l) => l.replace(/ in [\d.]+ ms$/, '')), [`rule ${CODE} ran over 1 generators`]);
  fs.writeFileSync(path.join(root, 'flake.lock'), lock(UNKNOWN_SINCE));
  index.structureFileChanged(path.join(root, 'flake.lock'));
  assert.deepEqual(summary(), ["m.nix:3 error migrateFact of generator 'g'", "o.nix:1 error prompts.p.createFile of generator 'other'"]);
  fs.writeFileSync(path.join(root, 'flake.lock'), lock(UNKNOWN_SINCE - 1));
  index.structureFileChanged(path.join(root, 'flake.lock'));
  assert.deepEqual(summary(), ["m.nix:3 warning migrateFact of generator 'g'", "o.nix:1 error prompts.p.createFile of generator 'other'"]);
});

test('removed-option: no rename of an option that is no binding of its own (inherit) or whose value is bound elsewhere: the edit would read another name or change the other readers of the value', async () => {
  const found = await findings({
    'm.nix':
      '{ cfg, ... }:\nlet\n  createFile = true;\n  neededForUsers = true;\n  t = true;\nin\n{\n  clan.core.vars.generators.g = {\n' +
      '    prompts.p = { inherit createFile; };\n    prompts.q = { inherit (cfg) createFile; };\n    files.a = { inherit neededForUsers; };\n    files.b.neededForUsers = t;\n    share = t;\n' +
      // the value bound elsewhere does not matter to a rename of the key alone
      '    prompts.r.createFile = t;\n  };\n}\n',
  });
  assert.deepEqual(
    found.map((p) => [p.range.start.line, p.message.split(':')[0], p.fixes?.map((f) => f.edits.map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`))]),
    [
      [8, "prompts.p.createFile of generator 'g'", []],
      [9, "prompts.q.createFile of generator 'g'", []],
      [10, "files.a.neededForUsers of generator 'g'", []],
      [11, "files.b.neededForUsers of generator 'g'", []],
      [13, "prompts.r.createFile of generator 'g'", [['13:14 persist']]],
    ],
  );
});
