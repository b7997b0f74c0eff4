// How deep the condition reader (facts/generatorConditions.ts) reads a test of a role's settings:
// `!`s and `&&`s nested up to 10 levels are read as written; deeper, the condition is a "maybe"
// (null), never a wrong answer or a throw. A test read wrongly makes a generator absent (or present)
// on a machine where it is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import type { SettingTest } from '../../server/src/facts/types';
import { withTree } from '../helpers/parsedNix';

/** What the reader makes of `clan.core.vars.generators.g = lib.mkIf (<cond>) { ... }` in a role's perInstance module: its one condition's tests. */
async function testsOf(cond: string): Promise<SettingTest[] | null> {
  const nix = `{\n  roles.default.perInstance = { settings, ... }: {\n    nixosModule = { config, lib, ... }: {\n      clan.core.vars.generators.g = lib.mkIf (${cond}) { files.k = { }; };\n    };\n  };\n}\n`;
  const generators = await withTree(nix, (tree) => extractFile('/clan/services/s/default.nix', tree, { registry: false, matrix: false }, nix).generators);
  assert.equal(generators.length, 1);
  const conditions = generators[0].conditions;
  assert.equal(conditions?.length, 1);
  return conditions![0].tests;
}

const names = (k: number) => Array.from({ length: k }, (_, i) => `settings.a${i + 1}`);
const allTrue = (k: number): SettingTest[] => names(k).map((n) => ({ setting: n.slice('settings.'.length), is: true }));

test('settings.a under 10 `!`s is read (Nix: settings.a itself); under 11 the condition is a maybe', async () => {
  assert.deepEqual(await testsOf(`${'!'.repeat(10)}settings.a`), [{ setting: 'a', is: true }]);
  assert.deepEqual(await testsOf(`${'!'.repeat(11)}settings.a`), null);
});

test('a && chain of 11 settings (its first one 10 levels down) is read whole; of 12, a maybe', async () => {
  // `a1 && a2 && a3` is `(a1 && a2) && a3`: the first setting is k - 1 levels down
  assert.deepEqual(await testsOf(names(11).join(' && ')), allTrue(11));
  assert.deepEqual(await testsOf(names(12).join(' && ')), null);
});

test('a && chain nested to the right, `a1 && (a2 && (...))`, of 11 settings is read whole; of 12, a maybe', async () => {
  const nested = (k: number) => names(k).reduceRight((inner, n) => `${n} && (${inner})`);
  assert.deepEqual(await testsOf(nested(11)), allTrue(11));
  assert.deepEqual(await testsOf(nested(12)), null);
});
