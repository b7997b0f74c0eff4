// The registry's and the matrix's readings at their edges, each checked against what Nix evaluates:
// an envMatrix whose name is written with escapes, `inherit (x)` from a `let ... in`, a rec set or
// something that is no set, and how deep the readers follow `//`, `++`, nested lists, names, lets and
// list functions (past the limit nothing more is read, and pathological text ends quickly).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMatrix } from '../../server/src/facts/matrix';
import { extractRegistry } from '../../server/src/facts/registry';
import type { MatrixFacts, RegistryEntry } from '../../server/src/facts/types';
import { MAX_DEPTH } from '../../server/src/syntax/syntax';
import { withRoot } from '../helpers/parsedNix';

const registry = (nix: string) => withRoot(nix, (root) => extractRegistry(root));
const matrix = (nix: string) => withRoot(nix, (root) => extractMatrix(root));

/** The machines and, in the order they are written, each key with the machines it reaches. */
async function machinesAndKeys(nix: string): Promise<[string[], string[]]> {
  const f: MatrixFacts = await matrix(nix);
  assert.equal(f.understood, true, nix);
  const keys = [...f.keys].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return [f.machines, keys.map((k) => `${k.key} -> ${k.machines.join(',')}`)];
}

const fieldsOf = (e: RegistryEntry) => `gen=${e.generator?.name ?? '-'} env=${e.envVar ?? '-'} kind=${e.kind ?? '-'}`;

// ---------------------------------------------------------------------------------------------------
// The registry

test('registry: a helper called with a let whose body is an empty set gives no fields (the let\'s own bindings are not the entry\'s)', async () => {
  // Nix: `mk (let kind = "k"; in { })` is `mk { }`, here `{ }`
  const f = await registry(`let mk = args: args; in {\n  a = mk (let kind = "k"; envVar = "E"; in { });\n}`);
  assert.deepEqual(f.entries.map((e) => `${e.key}: ${fieldsOf(e)}`), ['a: gen=- env=- kind=-']);
});

/** Entry `a` merged from `ops + 1` sets: the first gives the generator, the last the kind. */
const merged = (ops: number) => `{\n  a = { generator = "g"; }${' // { }'.repeat(ops - 1)} // { kind = "last"; };\n}`;

test(`registry: a chain of ${MAX_DEPTH} \`//\` is read to its last set; one more, and the sets past the limit are not read`, async () => {
  assert.deepEqual((await registry(merged(MAX_DEPTH))).entries.map(fieldsOf), ['gen=g env=- kind=last']);
  assert.deepEqual((await registry(merged(MAX_DEPTH + 1))).entries.map(fieldsOf), ['gen=g env=- kind=-']);
  // far past the limit: read to an end, without a stack overflow
  assert.deepEqual((await registry(merged(10 * MAX_DEPTH))).entries.map(fieldsOf), ['gen=g env=- kind=-']);
});

// ---------------------------------------------------------------------------------------------------
// The matrix: envMatrix written with escapes

test('matrix: an envMatrix named with escapes Nix reads as its letters holds the machines ("envM\\atrix" is envMatrix)', async () => {
  for (const name of ['"envM\\atrix"', '"\\en\\v\\Matr\\i\\x"']) {
    const nix = `{\n  ${name} = { lea = core ++ [ "a" ]; };\n  core = [ "c" ];\n}`;
    assert.deepEqual(await machinesAndKeys(nix), [['lea'], ['a -> lea', 'c -> lea']], nix);
  }
});

test('matrix: a name with `\\t` is not envMatrix (Nix reads a tab there): its set is a machine of the flat matrix', async () => {
  const nix = `{\n  "envMa\\trix" = { lea = [ "a" ]; };\n  zoe = [ "z" ];\n}`;
  assert.deepEqual(await machinesAndKeys(nix), [['envMa\trix', 'zoe'], ['z -> zoe']]);
});

// ---------------------------------------------------------------------------------------------------
// The matrix: inherit (x)

test('matrix: inherit (let ... in set) reads the set, its values and `inherit name;` in the let\'s scope', async () => {
  const nix = `let core = [ "outer" ]; m = [ "outer-m" ]; in {\n  inherit (let core = [ "c" ]; m = core ++ [ "m" ]; in { lea = core ++ [ "a" ]; inherit core m; }) lea m;\n}`;
  // Nix: { lea = [ "c" "a" ]; m = [ "c" "m" ]; }
  assert.deepEqual(await machinesAndKeys(nix), [['lea', 'm'], ['c -> lea,m', 'm -> m', 'a -> lea']]);
});

test('matrix: inherit (x) through a let to a name, and from a rec set whose values read its own bindings', async () => {
  // Nix: { lea = [ "a" ]; zoe = [ "b" "z" ]; }
  const nix = `{\n  inherit (let hosts = { lea = [ "a" ]; }; in hosts) lea;\n  inherit (rec { base = [ "b" ]; zoe = base ++ [ "z" ]; }) zoe;\n}`;
  assert.deepEqual(await machinesAndKeys(nix), [['lea', 'zoe'], ['a -> lea', 'b -> zoe', 'z -> zoe']]);
  // a set that is not rec: its values read the names around it, not its own bindings (Nix: { lea = [ "outer" "a" ]; })
  const plain = `{\n  inherit (let base = [ "outer" ]; in { base = [ "b" ]; lea = base ++ [ "a" ]; }) lea;\n}`;
  assert.deepEqual(await machinesAndKeys(plain), [['lea'], ['outer -> lea', 'a -> lea']]);
});

test('matrix: inherit (x) of a name x does not have gives a machine without keys, whatever the let around x binds', async () => {
  // Nix: attribute 'lea' missing (the let's lea is no attribute of the body `{ }`)
  assert.deepEqual(await machinesAndKeys(`{\n  inherit (let lea = [ "x" ]; in { }) lea;\n}`), [['lea'], []]);
  // Nix: attribute 'm' missing (the set inherits another name)
  assert.deepEqual(await machinesAndKeys(`let m = [ "m" ]; other = [ "o" ]; in {\n  inherit (let in { inherit other; }) m;\n}`), [['m'], []]);
  // Nix: `1` is an integer, not the set the let binds under the name "1"
  assert.deepEqual(await machinesAndKeys(`let "1" = { lea = [ "a" ]; }; in {\n  inherit (1) lea;\n}`), [['lea'], []]);
});

/** inherit (a<n>) lea, where a0 is `value` and each a<i> names a<i-1>: n + 1 names followed. */
const aliases = (n: number, value = '{ lea = [ "a" ]; }') => `let\n  a0 = ${value};\n${Array.from({ length: n }, (_, i) => `  a${i + 1} = a${i};\n`).join('')}in {\n  inherit (a${n}) lea;\n}`;

test('matrix: inherit (x) takes 20 steps (names followed, lets entered) to its set, not 21', async () => {
  assert.deepEqual(await machinesAndKeys(aliases(19)), [['lea'], ['a -> lea']]);
  assert.deepEqual(await machinesAndKeys(aliases(20)), [['lea'], []]);
  // a let is a step too; the one that would be the 21st is not entered, nor read as the set (its lea is no attribute)
  const inLet = 'let lea = [ "x" ]; in { lea = [ "a" ]; }';
  assert.deepEqual(await machinesAndKeys(aliases(18, inLet)), [['lea'], ['a -> lea']]);
  assert.deepEqual(await machinesAndKeys(aliases(19, inLet)), [['lea'], []]);
});

// ---------------------------------------------------------------------------------------------------
// The matrix: how deep a machine's list is read

/** Each shape of nesting: the value of machine m whose key "k" is `depth` steps deep. */
const nestings: [string, (depth: number) => string][] = [
  ['lists in lists', (d) => `${'[ '.repeat(d + 1)}"k"${' ]'.repeat(d + 1)}`],
  ['lets', (d) => `${'let in '.repeat(d)}[ "k" ]`],
  ['lib.flatten calls', (d) => `${'lib.flatten ('.repeat(d)}[ "k" ]${')'.repeat(d)}`],
];

for (const [shape, nest] of nestings) {
  test(`matrix: a key ${MAX_DEPTH} ${shape} deep is read, one deeper (or far deeper) is not`, async () => {
    assert.deepEqual(await machinesAndKeys(`{\n  m = ${nest(MAX_DEPTH)};\n}`), [['m'], ['k -> m']]);
    assert.deepEqual(await machinesAndKeys(`{\n  m = ${nest(MAX_DEPTH + 1)};\n}`), [['m'], []]);
    assert.deepEqual(await machinesAndKeys(`{\n  m = ${nest(10 * MAX_DEPTH)};\n}`), [['m'], []]);
  });
}

/** m reads a<n>, each a<i> reads a<i-1>, a0 is the list: n + 1 names followed, the key n + 1 steps deep. */
const names = (n: number) => `let\n  a0 = [ "k" ];\n${Array.from({ length: n }, (_, i) => `  a${i + 1} = a${i};\n`).join('')}in {\n  m = a${n};\n}`;

test(`matrix: a key reached through ${MAX_DEPTH} let-bound names is read, through one more (or far more) it is not`, async () => {
  assert.deepEqual(await machinesAndKeys(names(MAX_DEPTH - 1)), [['m'], ['k -> m']]);
  assert.deepEqual(await machinesAndKeys(names(MAX_DEPTH)), [['m'], []]);
  assert.deepEqual(await machinesAndKeys(names(10 * MAX_DEPTH)), [['m'], []]);
});

/** `[ "k0" ] ++ [ "k1" ] ++ ... ++ [ "k<ops>" ]`: `++` groups to the right, so key i is i + 1 steps deep, the last one ops steps. */
const joined = (ops: number) => `{\n  m = ${Array.from({ length: ops + 1 }, (_, i) => `[ "k${i}" ]`).join(' ++ ')};\n}`;
const keysUpTo = (last: number) => Array.from({ length: last + 1 }, (_, i) => `k${i} -> m`);

test(`matrix: a chain of ${MAX_DEPTH} \`++\` is read to its last list; in a longer one the lists past the limit are not read`, async () => {
  assert.deepEqual(await machinesAndKeys(joined(MAX_DEPTH)), [['m'], keysUpTo(MAX_DEPTH)]);
  assert.deepEqual(await machinesAndKeys(joined(MAX_DEPTH + 1)), [['m'], keysUpTo(MAX_DEPTH - 1)]);
  assert.deepEqual(await machinesAndKeys(joined(10 * MAX_DEPTH)), [['m'], keysUpTo(MAX_DEPTH - 1)]);
});
