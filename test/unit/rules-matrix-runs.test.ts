// The rules over every key of the machine matrix look again, on a keystroke, only at the names of
// the keys it changed (rules/matrixRuns.ts): after each kind of edit their findings must be those of
// a run over the same matrix from scratch (every key a new object, so nothing of the last run is kept).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Problem } from '../../server/src/base/types';
import type { MatrixKeyRef, RegistryFacts } from '../../server/src/facts/types';
import type { ClanModel } from '../../server/src/model/clanModel';
import { duplicateMatrixKey } from '../../server/src/rules/duplicateMatrixKey';
import { unknownRegistryKey } from '../../server/src/rules/unknownRegistryKey';

const ROOT = '/clan-matrix-runs';
const MATRIX = `${ROOT}/lib/machine-env-matrix.nix`;
const REGISTRY = `${ROOT}/lib/secret-registry.nix`;
const at = (line: number, character = 4) => ({ start: { line, character }, end: { line, character: character + 5 } });
/** A key written on `line`, reaching `machines`. */
const ref = (key: string, line: number, ...machines: string[]): MatrixKeyRef => ({ key, range: at(line), machines });
const registry = (...keys: string[]): RegistryFacts => ({ entries: keys.map((key, i) => ({ key, keyRange: at(100 + i, 2), generator: null })), understood: true }) as unknown as RegistryFacts;

function clan(keys: MatrixKeyRef[], reg: RegistryFacts, file = MATRIX): ClanModel {
  return { root: ROOT, matrix: { file, facts: { machines: ['m0', 'm1'], keys, understood: true } }, registry: { file: REGISTRY, facts: reg } } as unknown as ClanModel;
}
const shown = (ps: Problem[]) => ps.map((p) => `${p.range.start.line} ${p.code} ${p.message} ${JSON.stringify(p.related ?? [])}`);
/**
 * The rule's findings over `keys` (after its run over the version before), and those of a run from
 * scratch: every key a copy, in a matrix file of another name (whose last run is another).
 */
function both(rule: typeof duplicateMatrixKey, keys: MatrixKeyRef[], reg: RegistryFacts): [string[], string[]] {
  const got = shown(rule.check(clan(keys, reg)));
  const scratch = rule.check(clan(keys.map((k) => ({ ...k, machines: [...k.machines] })), reg, `${MATRIX}.scratch`));
  return [got, shown(scratch.map((p) => ({ ...p, related: p.related?.map((r) => ({ ...r, location: { ...r.location, file: r.location.file.replace('.scratch', '') } })) })))];
}

test('duplicate-matrix-key and unknown-registry-key: after each kind of edit of a few keys, the findings of a run from scratch', () => {
  const shared = ref('core', 1, 'm0', 'm1');
  const a = ref('api', 3, 'm0');
  const w = ref('wifi', 4, 'm0');
  const c = ref('core', 5, 'm0'); // a repeat of the shared list's key
  const b = ref('api', 7, 'm1');
  const x = ref('nope', 8, 'm1');
  const filler = Array.from({ length: 80 }, (_, i) => ref(`f${i}`, 10 + i, 'm1'));
  const reg = registry('core', 'api', 'wifi', 'vpn', ...filler.map((f) => f.key));
  const base = [shared, a, w, c, b, x, ...filler];
  // each version differs from the one before in a few keys; the others are the same objects
  const versions: [string, MatrixKeyRef[]][] = [
    ['the start', base],
    ["m0's repeat of core removed", [shared, a, w, b, x, ...filler]],
    ['it is back', base],
    ['the shared list no longer has core: the repeat is the first mention', [ref('vpn', 1, 'm0', 'm1'), a, w, c, b, x, ...filler]],
    ['and has it again', base],
    ["m0's api renamed to wifi: the wifi after it is a repeat", [shared, ref('wifi', 3, 'm0'), w, c, b, x, ...filler]],
    ['m1 gains a repeat of api and an unknown key', [shared, a, w, c, b, ref('api', 8, 'm1'), ref('nope2', 9, 'm1'), ...filler]],
    ['the unknown key fixed', [shared, a, w, c, b, ref('vpn', 8, 'm1'), ...filler]],
  ];
  for (const rule of [duplicateMatrixKey, unknownRegistryKey]) {
    for (const [label, keys] of versions) {
      const [got, scratch] = both(rule, keys, reg);
      assert.deepEqual(got, scratch, `${rule.code}: ${label}`);
    }
  }
  // findings that say what the versions are about
  assert.equal(both(duplicateMatrixKey, base, reg)[0].length, 1, "m0's second core");
  assert.equal(both(unknownRegistryKey, base, reg)[0].length, 1, 'nope');
  // another registry: every key looked up in it
  const [got, scratch] = both(unknownRegistryKey, base, registry('core'));
  assert.deepEqual(got, scratch);
  assert.equal(got.length, 4 + filler.length);
});

test('duplicate-matrix-key and unknown-registry-key: a finding the keystroke cannot change is the object the last run gave (what the editor was sent is not made again); the last runs of eight matrix files are kept', () => {
  const reg = registry('core', 'api', 'wifi', 'apx', 'apy', 'apz');
  // one finding each: core's repeat on line 2, the unknown key on line 3
  const first = [ref('core', 1, 'm0'), ref('core', 2, 'm0'), ref('nope', 3, 'm1'), ref('api', 10, 'm1'), ref('wifi', 90, 'm1')];
  for (const rule of [duplicateMatrixKey, unknownRegistryKey]) {
    const before = rule.check(clan(first, reg));
    assert.equal(before.length, 1, rule.code);
    // a key of another name typed: the finding on line 2 (or 3) is kept
    const edited = [...first.slice(0, -1), ref('apx', 90, 'm1')];
    const after = rule.check(clan(edited, reg));
    assert.equal(after.find((p) => p.range.start.line !== 90), before[0], `${rule.code}: the same object`);
    // runs over seven other matrix files: this one's last run is still kept
    for (let i = 0; i < 7; i++) rule.check(clan(edited, reg, `${MATRIX}.${i}`));
    const again = [...edited.slice(0, -1), ref('apy', 90, 'm1')];
    assert.equal(rule.check(clan(again, reg)).find((p) => p.range.start.line !== 90), before[0], `${rule.code}: kept after seven other files`);
    // an eighth: the oldest run (this file's) is dropped, every finding made again
    for (let i = 0; i < 8; i++) rule.check(clan(again, reg, `${MATRIX}.${i}`));
    const dropped = rule.check(clan([...again.slice(0, -1), ref('apz', 90, 'm1')], reg)).find((p) => p.range.start.line !== 90);
    assert.notEqual(dropped, before[0], `${rule.code}: made again`);
    assert.deepEqual(dropped, before[0]);
  }
  // another registry: unknown-registry-key looks every key up again
  const other = registry('core', 'api', 'wifi', 'apx', 'apy', 'apz');
  const u1 = unknownRegistryKey.check(clan(first, reg));
  const u2 = unknownRegistryKey.check(clan(first, other));
  assert.notEqual(u2[0], u1[0]);
  assert.deepEqual(u2, u1);
});
