// What the secret registry (lib/secret-registry.nix) and the machine matrix (lib/machine-env-matrix.nix)
// say, read from the Nix a clan user writes: each entry's key, where it is written and its literal
// fields; each machine and the keys it reaches, each key where its literal is written. Also what the
// per-file caches promise: an edit is read as a fresh reading would read it, and nothing is kept for a
// text with syntax errors, for a file forgotten or for a reading without a file name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMatrix, forgetMatrixCache } from '../../server/src/facts/matrix';
import { extractRegistry, forgetRegistryCache } from '../../server/src/facts/registry';
import type { MatrixFacts, RegistryEntry, RegistryFacts } from '../../server/src/facts/types';
import type { Range } from '../../server/src/base/types';
import { withRoot } from '../helpers/parsedNix';
import { span } from '../helpers/textPlaces';

// without a file name: as the extractors are called for a text of no file (their defaults)
const registry = (nix: string, file = ''): Promise<RegistryFacts> => withRoot(nix, (root) => (file ? extractRegistry(root, file, nix) : extractRegistry(root)));
const matrix = (nix: string, file = ''): Promise<MatrixFacts> => withRoot(nix, (root) => (file ? extractMatrix(root, file, nix) : extractMatrix(root)));

const r = (line: number, from: number, toLine: number, to: number): Range => ({ start: { line, character: from }, end: { line: toLine, character: to } });

/** An entry's literal fields, as one readable line. */
function fields(e: RegistryEntry): string {
  const g = e.generator ? e.generator.name ?? `pattern ${e.generator.pattern}` : '-';
  return `gen=${g} env=${e.envVar ?? '-'} file=${e.fileAttr ?? '-'} secret=${e.secret ?? '-'} domain=${e.domain ?? '-'} kind=${e.kind ?? '-'}`;
}

// ---------------------------------------------------------------------------------------------------
// The registry

const helper = `let
  mk = { generator, envVar ? null, ... }@args: args;
  shared = { generator = "shared-gen"; envVar = "SHARED"; };
in
`;

/** [what the user writes as the value of entry `a`, the fields found]. */
const entryCases: [string, string][] = [
  ['{ generator = "g"; secret = true; }', 'gen=g env=- file=- secret=true domain=- kind=-'],
  ['{ generator = "g"; secret = false; fileAttr = "id"; domain = "infra"; kind = "setting"; }', 'gen=g env=- file=id secret=false domain=infra kind=setting'],
  // `secret` is a boolean only when written as one: other names are unknown values
  ['{ generator = "g"; secret = untrue; }', 'gen=g env=- file=- secret=- domain=- kind=-'],
  ['{ generator = "g"; secret = trueish; }', 'gen=g env=- file=- secret=- domain=- kind=-'],
  // a generator named by a variable is not known from the syntax
  ['{ generator = someName; envVar = "E"; }', 'gen=- env=E file=- secret=- domain=- kind=-'],
  ['{ generator = ("paren"); envVar = ("P"); }', 'gen=paren env=P file=- secret=- domain=- kind=-'],
  // a let-bound entry named by the binding
  ['shared', 'gen=shared-gen env=SHARED file=- secret=- domain=- kind=-'],
  ['(shared)', 'gen=shared-gen env=SHARED file=- secret=- domain=- kind=-'],
  ['rec { generator = "r"; kind = "password"; }', 'gen=r env=- file=- secret=- domain=- kind=password'],
  ['mk { generator = "m"; domain = "ai"; }', 'gen=m env=- file=- secret=- domain=ai kind=-'],
  ['mk rec { generator = "mr"; envVar = "MR"; }', 'gen=mr env=MR file=- secret=- domain=- kind=-'],
  // `//` merges: both sides count, the right one wins
  ['mk { generator = "g"; } // { envVar = "E"; kind = "k"; }', 'gen=g env=E file=- secret=- domain=- kind=k'],
  ['{ generator = "left"; secret = true; } // { generator = "right"; }', 'gen=right env=- file=- secret=true domain=- kind=-'],
  ['({ domain = "d"; }) // (mk { generator = "g"; })', 'gen=g env=- file=- secret=- domain=d kind=-'],
  // `a // b // c` is `a // (b // c)`: every part counts, the rightmost wins
  ['mk { generator = "g"; } // { envVar = "E"; } // { kind = "k"; }', 'gen=g env=E file=- secret=- domain=- kind=k'],
  ['{ kind = "a"; } // { kind = "b"; } // { kind = "c"; generator = "g"; }', 'gen=g env=- file=- secret=- domain=- kind=c'],
  // a let-bound entry or a rec set merged with more fields
  ['shared // { envVar = "E"; }', 'gen=shared-gen env=E file=- secret=- domain=- kind=-'],
  ['rec { generator = "r"; } // { kind = "k"; }', 'gen=r env=- file=- secret=- domain=- kind=k'],
  // other operators do not make an entry of their operands
  ['{ generator = "g"; } == { }', 'gen=- env=- file=- secret=- domain=- kind=-'],
];

for (const [value, expected] of entryCases) {
  test(`registry: an entry written \`a = ${value};\` is read as ${expected}`, async () => {
    const f = await registry(`${helper}{\n  a = ${value};\n}`);
    assert.equal(f.understood, true);
    assert.deepEqual(f.entries.map((e) => `${e.key}: ${fields(e)}`), [`a: ${expected}`]);
  });
}

test('registry: a generator name with an interpolation is a pattern, ranged over its string', async () => {
  const text = `{\n  a = { generator = "x-\${system}"; };\n}`;
  const [e] = (await registry(text)).entries;
  assert.deepEqual(e.generator, { name: null, pattern: 'x-*', range: span(text, '"x-${system}"') });
});

test('registry: which bindings are entries, each keyed where its name is written; inherit (x) names are not the let-bound ones', async () => {
  const text = `let
  fromOther = { generator = "let-gen"; };
  other = { };
in
{
  plain = { generator = "p"; };
  "quoted-key" = { generator = "q"; };
  plain.envVar = "X";
  "\${dyn}" = { generator = "d"; };
  inherit (other) fromOther;
  inherit "\${dyn}" missing;
}`;
  const f = await registry(text);
  // `plain.envVar` refines an entry (no entry of its own); a computed key is no entry; `inherit (other) x`
  // is other.x, whose generator the syntax does not tell; an inherited name not in scope has no fields
  assert.deepEqual(
    f.entries.map((e) => ({ key: e.key, keyRange: e.keyRange, generator: e.generator })),
    [
      { key: 'plain', keyRange: r(5, 2, 5, 7), generator: { name: 'p', pattern: null, range: r(5, 24, 5, 27) } },
      { key: 'quoted-key', keyRange: r(6, 2, 6, 14), generator: { name: 'q', pattern: null, range: r(6, 31, 6, 34) } },
      { key: 'fromOther', keyRange: r(9, 18, 9, 27), generator: null },
      { key: 'missing', keyRange: r(10, 19, 10, 26), generator: null },
    ],
  );
  assert.equal(fields(f.entries[3]), 'gen=- env=- file=- secret=- domain=- kind=-');
});

test('registry: a file that is not an attrset of entries has no entries and is not understood', async () => {
  assert.deepEqual(await registry(`{ lib }: lib.genAttrs [ "a" ] (k: { generator = k; })`), { entries: [], understood: false });
});

test('registry: after an edit of the let block an entry refers to, the entry is read again', async () => {
  const file = '/clan/h3/let-edit/secret-registry.nix';
  const v = (gen: string) => `let\n  shared = { generator = "${gen}"; };\nin\n{\n  a = shared;\n}`;
  assert.equal((await registry(v('one'), file)).entries[0].generator?.name, 'one');
  assert.equal((await registry(v('two'), file)).entries[0].generator?.name, 'two');
  forgetRegistryCache(file);
});

test('registry: entries moved by an edit above them (the set unchanged around them) have their new ranges', async () => {
  const file = '/clan/h3/moved/secret-registry.nix';
  const v1 = `{\n  a = { generator = "g"; };\n  b = { envVar = "E"; };\n}`;
  // a line inserted inside the set: the text before the set is the same, both bindings moved a line down
  const v2 = `{\n  # the AI keys\n  a = { generator = "g"; };\n  b = { envVar = "E"; };\n}`;
  // and one moved right on its own line
  const v3 = `{\n  # the AI keys\n  a = { generator = "g"; };\n     b = { envVar = "E"; };\n}`;
  // [text, line of a, line of b, character of b]
  const versions: [string, number, number, number][] = [[v1, 1, 2, 2], [v2, 2, 3, 2], [v3, 2, 3, 5], [v1, 1, 2, 2]];
  for (const [text, aLine, bLine, bChar] of versions) {
    const f = await registry(text, file);
    assert.deepEqual(
      f.entries.map((e) => ({ key: e.key, keyRange: e.keyRange, generator: e.generator, envVar: e.envVar })),
      [
        { key: 'a', keyRange: r(aLine, 2, aLine, 3), generator: { name: 'g', pattern: null, range: r(aLine, 20, aLine, 23) }, envVar: null },
        { key: 'b', keyRange: r(bLine, bChar, bLine, bChar + 1), generator: null, envVar: 'E' },
      ],
    );
  }
  forgetRegistryCache(file);
});

test('registry: entries are kept for a file read cleanly, and not across a version with a syntax error, a forgotten file or a reading without a file name', async () => {
  const file = '/clan/h3/kept/secret-registry.nix';
  const text = `{\n  a = { generator = "g"; };\n}`;
  const first = (await registry(text, file)).entries[0];
  // unchanged: the same object
  assert.equal((await registry(text, file)).entries[0], first);
  // a version with a syntax error drops what was kept
  await registry(`{\n  a = { generator = "g"; };\n  b = \n}`, file);
  const afterError = (await registry(text, file)).entries[0];
  assert.notEqual(afterError, first);
  assert.deepEqual(afterError, first);
  forgetRegistryCache(file);
  assert.notEqual((await registry(text, file)).entries[0], afterError);
  forgetRegistryCache(file);
  // without a file name nothing is kept
  const anonymous = (await registry(text)).entries[0];
  assert.notEqual((await registry(text)).entries[0], anonymous);
});

// A registry whose attrset is a let-bound name written before the value its entries refer to: an edit
// of that value, after the set, is read again (the cache is kept only while the text outside the sets
// is the same).
test('registry: an entry that refers to a let binding written after the set is read again when that binding changes', async () => {
  const file = '/clan/lib/secret-registry.nix';
  const version = (gen: string) => `let\n  reg = { a = shared; };\n  shared = { generator = "${gen}"; };\nin\nreg\n`;
  try {
    assert.equal((await registry(version('one'), file)).entries[0].generator?.name, 'one');
    const edited = (await registry(version('two'), file)).entries;
    assert.equal(edited[0].generator?.name, 'two');
    assert.deepEqual(edited, (await registry(version('two'))).entries, 'as a fresh reading');
  } finally {
    forgetRegistryCache(file);
  }
});

// ---------------------------------------------------------------------------------------------------
// The machine matrix

/**
 * The keys a matrix is expected to have, each written `key -> machine,machine` (no machine: a key of
 * a helper list no machine reads); `key#n` is the n-th (from 0) place its literal is written.
 * Compared with the facts' keys in the order of their places in the text.
 */
function expectedKeys(text: string, rows: string[]) {
  return rows.map((row) => {
    const [spec, machines] = row.split(' -> ');
    // `key@literal`: a key written otherwise than as a double-quoted string
    const [name, literal] = spec.split('@');
    const [key, nth] = name.split('#');
    return { key, range: span(text, literal ?? JSON.stringify(key), Number(nth ?? 0)), machines: machines ? machines.split(',') : [] };
  });
}

const byPlace = (keys: MatrixFacts['keys']) =>
  [...keys].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);

interface MatrixCase {
  name: string;
  nix: string;
  machines: string[];
  keys: string[];
}

const matrixCases: MatrixCase[] = [
  {
    name: 'the machines under envMatrix, in a let that binds a shared list',
    nix: `{\n  envMatrix = let base = [ "a" ]; in { m = base ++ [ "b" ]; };\n}`,
    machines: ['m'],
    keys: ['a -> m', 'b -> m'],
  },
  {
    name: 'the machines under envMatrix written as a rec set',
    nix: `{\n  envMatrix = rec { base = [ "a" ]; m = base ++ [ "b" ]; };\n}`,
    machines: ['m'],
    keys: ['a -> m', 'b -> m'],
  },
  {
    name: 'envMatrix followed by the shared list it reads and other attributes',
    nix: `{\n  envMatrix = { m0 = core; m1 = core ++ [ "own" ]; };\n  core = [ "c" ];\n  meta.note = "x";\n}`,
    machines: ['m0', 'm1'],
    keys: ['own -> m1', 'c -> m0,m1'],
  },
  {
    name: 'a flat matrix whose comment names envMatrix',
    nix: `# like envMatrix, but flat\n{\n  lea = [ "a" ];\n}`,
    machines: ['lea'],
    keys: ['a -> lea'],
  },
  {
    name: 'a let-bound list read by two machines on the line of the let',
    nix: `let core = [ "c" ]; in { m0 = core; m1 = core ++ [ "d" ]; }`,
    machines: ['m0', 'm1'],
    keys: ['c -> m0,m1', 'd -> m1'],
  },
  {
    // in a set that is not rec, `base` is not the sibling binding: web does not reach "a"
    name: 'a set that is not rec: a sibling binding is a machine, not a list the others read',
    nix: `{\n  base = [ "a" ];\n  web = base ++ [ "b" ];\n}`,
    machines: ['base', 'web'],
    keys: ['a -> base', 'b -> web'],
  },
  {
    name: 'a rec set: a binding another reads is a helper list, its keys reached by the reader',
    nix: `rec {\n  base = [ "a" ];\n  web = base ++ [ "b" ];\n}`,
    machines: ['web'],
    keys: ['a -> web', 'b -> web'],
  },
  {
    name: 'inherit (set) from a let-bound set, an alias of one and a rec set; names not in it are machines without keys',
    nix: `let
  hosts = { lea = [ "a" ]; };
  alias = hosts;
  recHosts = rec { zoe = [ "z" ]; };
in
{
  inherit (alias) lea missing "\${computed}";
  inherit (recHosts) zoe;
  inherit "\${computed}";
}`,
    machines: ['lea', 'missing', 'zoe'],
    keys: ['a -> lea', 'z -> zoe'],
  },
  {
    name: 'lib.flatten, builtins.concatLists and lib.unique of lists and let-bound lists',
    nix: `let base = [ "s" ]; in {\n  m1 = lib.flatten [ base [ "f" ] ];\n  m2 = builtins.concatLists [ [ "c" ] ];\n  m3 = lib.unique (base ++ [ "u" ]);\n}`,
    machines: ['m1', 'm2', 'm3'],
    keys: ['s -> m1,m3', 'f -> m1', 'c -> m2', 'u -> m3'],
  },
  {
    // a key with an interpolation is not a literal key
    name: 'keys with an escape are read unescaped; keys with an interpolation are no keys',
    nix: `{\n  m = [ "plain" "with\\"quote" "k-\${x}" "\${x}" ];\n}`,
    machines: ['m'],
    keys: ['plain -> m', 'with"quote -> m'],
  },
  {
    name: "a key written as an indented string is its value, indentation stripped",
    nix: `{\n  m = [ ''  ind'' "a" ];\n}`,
    machines: ['m'],
    keys: ["ind@''  ind'' -> m", 'a -> m'],
  },
  {
    name: 'the same literal twice in one list: one key per place',
    nix: `{\n  m = [ "k" "k" ];\n  n = let own = [ "o" ]; in own ++ own;\n}`,
    machines: ['m', 'n'],
    keys: ['k -> m', 'k#1 -> m', 'o -> n'],
  },
];

for (const [i, c] of matrixCases.entries()) {
  test(`matrix: ${c.name}`, async () => {
    // read without a file name (nothing kept) and as a file (its bindings kept): the same facts
    for (const file of ['', `/clan/h3/case-${i}/machine-env-matrix.nix`]) {
      const f = await matrix(c.nix, file);
      assert.equal(f.understood, true);
      assert.deepEqual(f.machines, c.machines, file || 'no file');
      assert.deepEqual(byPlace(f.keys), expectedKeys(c.nix, c.keys), file || 'no file');
      if (file) forgetMatrixCache(file);
    }
  });
}

// Texts Nix refuses or cannot finish must still be read to an end, without a crash: an entry merged
// with itself, a list joined with `+` or `//` (not a list), `inherit (x)` from a name nothing binds.
test('registry: an entry that merges itself (infinite recursion in Nix) is read to an end, its fields unknown', async () => {
  const [e] = (await registry('let e = e // { }; in { k = e; }')).entries;
  assert.equal(`${e.key}: ${fields(e)}`, 'k: gen=- env=- file=- secret=- domain=- kind=-');
});

test('matrix: keys joined with + or // are no list; inherit (x) from an unbound x gives machines without keys', async () => {
  for (const nix of ['{ m = [ "a" ] + [ "b" ]; }', 'let core = [ "z" ]; in { m = core // [ "y" ]; }']) {
    const f = await matrix(nix);
    assert.deepEqual([f.machines, f.keys], [['m'], []], nix);
  }
  const f = await matrix('{ inherit (pkgs) d; e = [ "k" ]; }');
  assert.deepEqual([f.machines, f.keys.map((k) => `${k.key} -> ${k.machines.join(',')}`)], [['d', 'e'], ['k -> e']]);
});

test('matrix: quoted machine names are read unquoted; dotted and computed names are no machines', async () => {
  const text = `{\n  "lea-2" = [ "a" ];\n  hosts.zoe = [ "b" ];\n  "\${host}" = [ "c" ];\n}`;
  const f = await matrix(text);
  assert.deepEqual(f.machines, ['lea-2']);
  assert.deepEqual(f.keys.find((k) => k.key === 'a'), expectedKeys(text, ['a -> lea-2'])[0]);
});

test('matrix: a key removed by lib.subtractLists does not reach the machine; a function the syntax cannot name is read without failing', async () => {
  const f = await matrix(`let base = [ "s" ]; in {\n  m1 = base;\n  m2 = lib.subtractLists [ "gone" ] base;\n  m3 = (ks: ks) [ "x" ];\n}`);
  assert.deepEqual(f.machines, ['m1', 'm2', 'm3']);
  assert.ok(!f.keys.some((k) => k.key === 'gone' && k.machines.includes('m2')), JSON.stringify(f.keys));
});

test('matrix: let-bound aliases that refer to each other in a cycle are read without hanging', async () => {
  const f = await matrix(`let\n  a = b;\n  b = a;\nin\n{\n  inherit (a) lea;\n  emily = [ "e" ];\n}`);
  assert.deepEqual(f.machines, ['lea', 'emily']);
  assert.deepEqual(f.keys.map((k) => `${k.key}:${k.machines.join(',')}`), ['e:emily']);
});

test('matrix: a file that is not a set of machines, or an envMatrix that is not a set, is not understood', async () => {
  for (const nix of [`{ lib }: lib.genAttrs [ "lea" ] (m: [ "a" ])`, `{ lib }: {\n  envMatrix = lib.genAttrs [ "lea" ] (m: [ "a" ]);\n}`]) {
    assert.deepEqual(await matrix(nix), { machines: [], keys: [], understood: false }, nix);
  }
});

test('matrix: a list that reads a let-bound list is read again when that list changes (same text, same place)', async () => {
  const v = (key: string) => `let base = [ "${key}" ]; in {\n  m = lib.flatten [ "a" base ];\n}`;
  for (const key of ['x-h3', 'y-h3', 'x-h3']) {
    const text = v(key);
    assert.deepEqual(byPlace((await matrix(text)).keys), expectedKeys(text, [`${key} -> m`, 'a -> m']));
  }
});

test('matrix: a machine added on the line of another, the set unchanged around it, is read with its keys', async () => {
  const file = '/clan/h3/added/machine-env-matrix.nix';
  const v1 = `{\n  m0 = [ "a" ];\n  m2 = [ "c" ];\n}`;
  const v2 = `{\n  m0 = [ "a" ];  m1 = [ "b" ];\n  m2 = [ "c" ];\n}`;
  const v3 = `{\n  m0 = [ "a" ];  m1 = [ "b" "b2" ];\n  m2 = [ "c" ];\n}`;
  const cases: [string, string[], string[]][] = [
    [v1, ['m0', 'm2'], ['a -> m0', 'c -> m2']],
    [v2, ['m0', 'm1', 'm2'], ['a -> m0', 'b -> m1', 'c -> m2']],
    [v3, ['m0', 'm1', 'm2'], ['a -> m0', 'b -> m1', 'b2 -> m1', 'c -> m2']],
    [v1, ['m0', 'm2'], ['a -> m0', 'c -> m2']],
    // the two lines swapped: each binding's text is the same, at another place
    [`{\n  m2 = [ "c" ];\n  m0 = [ "a" ];\n}`, ['m2', 'm0'], ['c -> m2', 'a -> m0']],
  ];
  for (const [text, machines, keys] of cases) {
    const f = await matrix(text, file);
    assert.deepEqual(f.machines, machines);
    assert.deepEqual(byPlace(f.keys), expectedKeys(text, keys));
  }
  forgetMatrixCache(file);
});

test('matrix: lists of plain strings read again where they were give the same key ranges (the facts compare equal cheaply)', async () => {
  // a list with a comment between its keys, as in a real matrix, is still a list of plain strings
  const text = `{\n  one = [ "h3-c" "h3-d" ];\n  two = [ "h3-c" "h3-d" ];\n  three = [ "h3-e" ]; # a note\n  four = [\n    "h3-f" # typo?\n  ];\n}`;
  const first = (await matrix(text)).keys;
  const second = (await matrix(text)).keys;
  assert.deepEqual(byPlace(second), expectedKeys(text, ['h3-c -> one', 'h3-d -> one', 'h3-c#1 -> two', 'h3-d#1 -> two', 'h3-e -> three', 'h3-f -> four']));
  assert.equal(second.length, first.length);
  for (const [i, k] of second.entries()) assert.equal(k.range, first[i].range, `${k.key} at ${JSON.stringify(k.range)}`);
});

test('matrix: the keys of a file read again unchanged are the same objects; not once the file is forgotten, nor for a text read without a file name', async () => {
  const file = '/clan/h3/identity/machine-env-matrix.nix';
  const text = `let core = [ "h3-core" ]; in {\n  m0 = core ++ [ "h3-k" ];\n  m1 = core;\n}`;
  const first = (await matrix(text, file)).keys;
  const again = (await matrix(text, file)).keys;
  assert.deepEqual(byPlace(again), expectedKeys(text, ['h3-core -> m0,m1', 'h3-k -> m0']));
  assert.ok(again.every((k, i) => k === first[i]), 'unchanged: the same objects');
  forgetMatrixCache(file);
  const forgotten = (await matrix(text, file)).keys;
  assert.deepEqual(forgotten, first);
  assert.ok(forgotten.every((k, i) => k !== first[i]), 'forgotten: made again');
  forgetMatrixCache(file);
  const anonymous = (await matrix(text)).keys;
  assert.ok((await matrix(text)).keys.every((k, i) => k !== anonymous[i]), 'no file: nothing kept');
});
