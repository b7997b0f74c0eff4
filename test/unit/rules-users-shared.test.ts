// Issue 53, the mutants that survived in rules/usersSecretOwner.ts and rules/sharedDependsOnMachine.ts,
// killed from what a clan user sees:
// - users-secret-owner: a neededFor = "users" file is deployed before users and groups exist, so
//   its owner and group must be root; the warning sits on the value, with an (unsafe) fix to "root".
//   neededFor may come from another declaration of the same generator.
// - shared-depends-on-machine: clan stops with "Shared generators must not depend on machine
//   specific generators"; the error sits on the dependency and points at each declaration of it.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { NixParser } from '../../server/src/syntax/nixParser';
import { logRuleRuns, scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
logRuleRuns();

/** The findings of rule `code` on the clan `files` (with an empty flake.nix), and the clan's root. */
async function findings(code: string, files: Record<string, string>): Promise<{ root: string; found: Problem[] }> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return { root, found: [...index.allProblems().values()].flat().filter((p) => p.code === code) };
}

/** The range from (line, character) to (line, character), 0-based. */
const range = (l: number, c: number, l2: number, c2: number) => ({ start: { line: l, character: c }, end: { line: l2, character: c2 } });

// ---------------------------------------------------------------- users-secret-owner

test('users-secret-owner: a non-root owner and a non-root group of a neededFor = "users" file are each warned on their value, with a fix to "root"', async () => {
  const line = '  clan.core.vars.generators.g.files.hash = { neededFor = "users"; owner = "alice"; group = "wheel"; };';
  const { root, found } = await findings('users-secret-owner', {
    'm.nix': `{\n${line}\n  clan.core.vars.generators.g.files.other = { neededFor = "services"; owner = "bob"; group = "root"; };\n  clan.core.vars.generators.g.files.ok = { neededFor = "users"; owner = "root"; group = "root"; };\n}\n`,
  });
  const file = path.join(root, 'm.nix');
  const owner = line.indexOf('"alice"');
  const group = line.indexOf('"wheel"');
  assert.deepEqual(found.map((p) => ({ ...p })).sort((a, b) => a.range.start.character - b.range.start.character), [
    {
      file,
      range: range(1, owner, 1, owner + 7),
      severity: 'warning',
      code: 'users-secret-owner',
      message: `File 'hash' of generator 'g' has neededFor = "users": it is deployed before users and groups are created (to /run/secrets-for-users), so its owner must be root, not "alice".`,
      fixes: [{ title: 'Set owner to "root"', edits: [{ file, range: range(1, owner, 1, owner + 7), newText: '"root"' }], safe: false }],
    },
    {
      file,
      range: range(1, group, 1, group + 7),
      severity: 'warning',
      code: 'users-secret-owner',
      message: `File 'hash' of generator 'g' has neededFor = "users": it is deployed before users and groups are created (to /run/secrets-for-users), so its group must be root, not "wheel".`,
      fixes: [{ title: 'Set group to "root"', edits: [{ file, range: range(1, group, 1, group + 7), newText: '"root"' }], safe: false }],
    },
  ]);
});

test('users-secret-owner: neededFor = "users" said by another declaration of the generator still makes the owner set elsewhere wrong', async () => {
  const { root, found } = await findings('users-secret-owner', {
    'a.nix': '{\n  clan.core.vars.generators.g.files.hash.neededFor = "users";\n}\n',
    'b.nix': '{\n  clan.core.vars.generators.g.files.hash.owner = "alice";\n  clan.core.vars.generators.g.files.hash.mode = "0400";\n}\n',
  });
  assert.deepEqual(found.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`), [
    `b.nix:2 File 'hash' of generator 'g' has neededFor = "users": it is deployed before users and groups are created (to /run/secrets-for-users), so its owner must be root, not "alice".`,
  ]);
});

test('users-secret-owner: a generator whose name is computed is checked on what it says itself', async () => {
  const { root, found } = await findings('users-secret-owner', {
    'm.nix': '{ name, ... }:\n{\n  clan.core.vars.generators."pw-${name}" = { files.hash = { neededFor = "users"; owner = "alice"; }; script = "touch $out/hash"; };\n}\n',
  });
  assert.deepEqual(found.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1}`), ['m.nix:3']);
});

test('users-secret-owner: an edit of one generator re-runs the rule over that generator alone, and its result is current', async () => {
  const mod = (name: string, owner: string) => `{\n  clan.core.vars.generators.${name} = { files.hash = { neededFor = "users"; owner = "${owner}"; }; script = "touch $out/hash"; };\n}\n`;
  const { root, index, lines } = await scannedClan({ 'a.nix': mod('a', 'root'), 'b.nix': mod('b', 'root'), 'c.nix': mod('c', 'root') });
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'users-secret-owner').map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1}`);
  assert.deepEqual(found(), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), mod('a', 'alice'));
  assert.deepEqual(found(), ['a.nix:2']);
  assert.deepEqual(lines.filter((l) => l.startsWith('rule users-secret-owner ')).map((l) => l.replace(/ in [\d.]+ ms$/, '')), ['rule users-secret-owner ran over 1 generators']);
  index.updateFromText(path.join(root, 'a.nix'), mod('a', 'root'));
  assert.deepEqual(found(), []);
});

// ---------------------------------------------------------------- shared-depends-on-machine

const GEN = 'files.k = { }; script = "touch $out/k";';

test('shared-depends-on-machine: the error is on the dependency, says what to do, and points at every declaration of the per-machine generator', async () => {
  const line = `  clan.core.vars.generators.ca = { share = true; dependencies = [ "nope" "host-key" ]; ${GEN} };`;
  const { root, found } = await findings('shared-depends-on-machine', {
    'm.nix': `{\n${line}\n  clan.core.vars.generators.host-key = { ${GEN} };\n}\n`,
    'n.nix': `{\n  clan.core.vars.generators.host-key.files.k.secret = true;\n}\n`,
  });
  const m = path.join(root, 'm.nix');
  const n = path.join(root, 'n.nix');
  const at = line.indexOf('"host-key"');
  const nameAt = '  clan.core.vars.generators.'.length;
  assert.deepEqual(found.map((p) => ({ ...p, related: p.related?.slice().sort((a, b) => a.location.file.localeCompare(b.location.file)) })), [
    {
      file: m,
      range: range(1, at, 1, at + 10),
      severity: 'error',
      code: 'shared-depends-on-machine',
      message: "Generator 'ca' is shared but depends on 'host-key', which is per-machine: make 'host-key' shared too, or 'ca' per-machine.",
      explanation: `clan vars generate stops with "Shared generators must not depend on machine specific generators. Generator 'ca' (shared) depends on 'host-key' (machine-specific)".`,
      related: [
        { location: { file: m, range: range(2, nameAt, 2, nameAt + 8) }, message: "'host-key' is declared here without share = true" },
        { location: { file: n, range: range(1, nameAt, 1, nameAt + 8) }, message: "'host-key' is declared here without share = true" },
      ],
    },
  ]);
});

test('shared-depends-on-machine: share = true said by another declaration of the generator makes its dependencies shared ones', async () => {
  const { root, found } = await findings('shared-depends-on-machine', {
    'a.nix': `{\n  clan.core.vars.generators.ca.share = true;\n}\n`,
    'b.nix': `{\n  clan.core.vars.generators.ca = { dependencies = [ "host-key" ]; ${GEN} };\n  clan.core.vars.generators.host-key = { ${GEN} };\n}\n`,
  });
  assert.deepEqual(found.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1}`), ['b.nix:2']);
});

test('shared-depends-on-machine: an edit of one generator re-runs the rule over the generators it reaches, and its result is current', async () => {
  const before = `{\n  clan.core.vars.generators.a = { share = true; dependencies = [ "ka" ]; ${GEN} };\n  clan.core.vars.generators.ka = { share = true; ${GEN} };\n}\n`;
  const after = `{\n  clan.core.vars.generators.a = { share = true; dependencies = [ "ka" ]; ${GEN} };\n  clan.core.vars.generators.ka = { ${GEN} };\n}\n`;
  const other = (n: string) => `{\n  clan.core.vars.generators.${n} = { share = true; dependencies = [ "k${n}" ]; ${GEN} };\n  clan.core.vars.generators.k${n} = { share = true; ${GEN} };\n}\n`;
  const { root, index, lines } = await scannedClan({ 'a.nix': before, 'b.nix': other('b'), 'c.nix': other('c') });
  const found = () => [...index.allProblems().values()].flat().filter((p) => p.code === 'shared-depends-on-machine').map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1}`);
  assert.deepEqual(found(), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), after);
  assert.deepEqual(found(), ['a.nix:2']);
  assert.deepEqual(lines.filter((l) => l.startsWith('rule shared-depends-on-machine ')).map((l) => l.replace(/ in [\d.]+ ms$/, '')), ['rule shared-depends-on-machine ran over 2 generators']);
  index.updateFromText(path.join(root, 'a.nix'), before);
  assert.deepEqual(found(), []);
});

test('shared-depends-on-machine: a shared generator with a computed name (zerotier-identity-<machine>) depending on a per-machine one is reported too', async () => {
  const { root, found } = await findings('shared-depends-on-machine', {
    'm.nix': `{ name, ... }:\n{\n  clan.core.vars.generators."zerotier-identity-\${name}" = { share = true; dependencies = [ "zerotier" ]; ${GEN} };\n  clan.core.vars.generators.zerotier = { ${GEN} };\n}\n`,
  });
  assert.deepEqual(found.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`), [
    "m.nix:3 Generator 'zerotier-identity-*' is shared but depends on 'zerotier', which is per-machine: make 'zerotier' shared too, or 'zerotier-identity-*' per-machine.",
  ]);
});

test('shared-depends-on-machine: a computed name that says nothing of share, or a dependency the clan does not declare, is not reported', async () => {
  const { found } = await findings('shared-depends-on-machine', {
    'm.nix': `{ name, ... }:\n{\n  clan.core.vars.generators."id-\${name}" = { dependencies = [ "zerotier" ]; ${GEN} };\n  clan.core.vars.generators."shared-\${name}" = { share = true; dependencies = [ "elsewhere" ]; ${GEN} };\n  clan.core.vars.generators.zerotier = { ${GEN} };\n}\n`,
  });
  assert.deepEqual(found, []);
});
