// The quick fixes of the legacy migration (rules/legacyMigration.ts), from what a clan user sees: the
// fix of facts-leftover and sops-nix-secret rewrites the declaration and the readers on the machines
// of the declaring module (or in modules no machine imports), and its preview counts them; a
// per-machine sops-nix secret of a secret fact names the fact's one generator (a facts service, a
// service read from clan-core, a generator moved from clan facts) or is a plain secret; the facts
// script rewrite and the migrateFact removal of removed-option and missing-output.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** A flake with these machines, each importing its modules. */
const flake = (machines: Record<string, string[]>) =>
  `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { ${Object.entries(machines).map(([m, mods]) => `machines.${m}.imports = [ ${mods.map((x) => `./${x}`).join(' ')} ];`).join(' ')} }; }; }\n`;

/** The findings of `code` on this clan, files relative to its root (in every edit too), in file and position order. */
async function findings(code: string, files: Record<string, string>): Promise<Problem[]> {
  const root = writeTree(files);
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  const rel = (f: string) => path.relative(root, f);
  return report.problems
    .filter((p) => p.code === code)
    .map((p) => ({ ...p, file: rel(p.file), fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: rel(e.file) })) })) }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
}

const STORED =
  " The stored value is not moved here: the migration script (Clan Vars: Write Migration Script, or clan-vars-lint --migration-script) carries it over, written before or after this rewrite, since the generator's '# moved from' comment keeps where the value is.";
const edited = (p: Problem) => p.fixes?.[0]?.edits.map((e) => `${e.file}:${e.range.start.line}`);

test('sops-nix-secret fix: the readers on the machines of the declaring module and in modules no machine imports are rewritten, not those of other machines or of other secrets; the preview counts them', async () => {
  const found = await findings('sops-nix-secret', {
    'flake.nix': flake({ a: ['a.nix', 'r.nix'], b: ['b.nix'] }),
    'a.nix':
      '{ config, ... }:\n{\n  sops.secrets.token = { };\n  sops.secrets.lone = { };\n  sops.secrets.one = { };\n  sops.secrets.two = { };\n' +
      '  x.token = config.sops.secrets.token.path;\n  x.one = config.sops.secrets.one.path;\n  x.two1 = config.sops.secrets.two.path;\n  x.two2 = config.sops.secrets.two.path;\n}\n',
    // on machine a too
    'r.nix': '{ config, ... }:\n{\n  y.token = config.sops.secrets.token.path;\n  y.other = config.sops.secrets.other.path;\n}\n',
    // only on machine b: its own secret of that name
    'b.nix': '{ config, ... }:\n{\n  z.token = config.sops.secrets.token.path;\n}\n',
    // imported by no machine (a default of an option, a flake's nixosModule): may be on machine a
    'c.nix': '{ config, ... }:\n{\n  w.token = config.sops.secrets.token.path;\n  w.fact = config.clan.core.facts.services.token.secret.token.path;\n}\n',
  });
  const byName = Object.fromEntries(found.map((p) => [p.message.split("'")[1], p]));
  assert.deepEqual(Object.keys(byName).sort(), ['lone', 'one', 'token', 'two']);
  assert.deepEqual(edited(byName.token), ['a.nix:2', 'a.nix:6', 'c.nix:2', 'r.nix:2']);
  assert.deepEqual(byName.token.fixes?.map((f) => [f.title, f.safe, f.preview]), [["Move sops-nix secret 'token' to a vars generator", false, `Rewrites the declaration and 3 readers in 3 files.${STORED}`]]);
  assert.deepEqual(byName.token.fixes?.[0].edits.slice(1).map((e) => e.newText), Array(3).fill('config.clan.core.vars.generators.token.files.value.path'));
  assert.deepEqual(edited(byName.lone), ['a.nix:3']);
  assert.equal(byName.lone.fixes?.[0].preview, `Rewrites the declaration.${STORED}`);
  assert.deepEqual(edited(byName.one), ['a.nix:4', 'a.nix:7']);
  assert.equal(byName.one.fixes?.[0].preview, `Rewrites the declaration and 1 reader.${STORED}`);
  assert.deepEqual(edited(byName.two), ['a.nix:5', 'a.nix:8', 'a.nix:9']);
  assert.equal(byName.two.fixes?.[0].preview, `Rewrites the declaration and 2 readers.${STORED}`);
});
