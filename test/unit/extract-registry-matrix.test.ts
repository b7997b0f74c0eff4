import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import { extractMatrix } from '../../server/src/facts/matrix';
import { makeEdit, NixParser, treeText } from '../../server/src/syntax/nixParser';

async function facts(nix: string, roles = { registry: true, matrix: true }) {
  const parser = await NixParser.load();
  const tree = parser.parse(nix);
  try {
    return extractFile('/clan/lib/x.nix', tree, roles);
  } finally {
    tree.delete();
  }
}

test('registry: helper calls, plain entries, quoted keys, inherit', async () => {
  const f = await facts(`{ pkgs ? null }:
let
  mk = { generator, envVar ? null, ... }: { inherit generator envVar; };
  shared = mk { generator = "shared-gen"; };
in
{
  openrouter = mk { generator = "openrouter-api-key"; envVar = "OPENROUTER_API_KEY"; };
  "cloudflare-account-id" = { generator = "cf-id"; secret = false; fileAttr = "id"; };
  computed = mk { generator = "x-\${pkgs.system}"; };
  inherit shared;
}`);
  assert.equal(f.registry?.understood, true);
  const rows = f.registry!.entries.map((e) => `${e.key}=${e.generator?.name ?? e.generator?.pattern ?? '-'}|${e.envVar ?? ''}|${e.secret ?? ''}|${e.fileAttr ?? ''}`);
  assert.deepEqual(rows.sort(), [
    'cloudflare-account-id=cf-id||false|id',
    'computed=x-*|||',
    'openrouter=openrouter-api-key|OPENROUTER_API_KEY||',
    'shared=shared-gen|||',
  ]);
  // registry generators count as declarations
  assert.deepEqual(f.generators.filter((g) => g.origin === 'registry').map((g) => g.name.name ?? g.name.pattern).sort(), ['cf-id', 'openrouter-api-key', 'shared-gen', 'x-*']);
});

test('registry: a shape we do not understand is marked as such', async () => {
  const f = await facts(`{ lib }: lib.genAttrs [ "a" ] (k: { generator = k; })`);
  assert.equal(f.registry?.understood, false);
});

test('matrix: plain lists, let-bound lists, ++, inherit, rec references', async () => {
  const f = await facts(`let
  sharedCore = [ "openrouter" "anthropic" ];
  zoe = [ "z" ];
in
{
  lea = [ "gmail" ];
  emily = sharedCore ++ [ "deepseek" ] ++ (lib.unique [ "u" ]);
  inherit zoe;
}`);
  assert.equal(f.matrix?.understood, true);
  assert.deepEqual(f.matrix!.machines.sort(), ['emily', 'lea', 'zoe']);
  const rows = f.matrix!.keys.map((k) => `${k.key}:${k.machines.sort().join('+')}`).sort();
  assert.deepEqual(rows, ['anthropic:emily', 'deepseek:emily', 'gmail:lea', 'openrouter:emily', 'u:emily', 'z:zoe']);
});

test('matrix: envMatrix attribute with a shared list used by two machines', async () => {
  const f = await facts(`rec {
  sharedCore = [ "a" ];
  envMatrix = { m1 = sharedCore ++ [ "b" ]; m2 = sharedCore; };
}`);
  assert.deepEqual(f.matrix!.machines.sort(), ['m1', 'm2']);
  const a = f.matrix!.keys.find((k) => k.key === 'a')!;
  assert.deepEqual(a.machines.sort(), ['m1', 'm2']);
  assert.equal(f.matrix!.keys.filter((k) => k.key === 'a').length, 1, 'one literal, one entry');
});

test('matrix: a rec helper list is not a machine', async () => {
  const f = await facts(`rec { base = [ "a" ]; web = base ++ [ "b" ]; }`);
  assert.deepEqual(f.matrix!.machines, ['web']);
});

test('matrix: key lists read again after an edit keep exact ranges, moved or not', async () => {
  const at = (text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
    const lines = text.split('\n');
    assert.equal(r.start.line, r.end.line);
    return lines[r.start.line].slice(r.start.character, r.end.character);
  };
  const first = `let
  base = [ "a" "b" ];
in
{
  one = base ++ [ "c" "d" ];
  two = [ "e"
    "f" ];
  three = [ "c" "d" ];
}`;
  // the same lists moved down a line, one of them also to the right on its first line, and one edited
  const second = `# a comment
let
  base = [ "a" "b" ];
in
{
  one   =   base ++ [ "c" "d" ];
  two =   [ "e"
    "f" ];
  three = [ "c" "x" ];
}`;
  for (const text of [first, second, first]) {
    const f = await facts(text, { registry: false, matrix: true });
    for (const k of f.matrix!.keys) assert.equal(at(text, k.range), JSON.stringify(k.key), `${k.key} at ${JSON.stringify(k.range)}`);
    const byMachine = (m: string) => f.matrix!.keys.filter((k) => k.machines.includes(m)).map((k) => k.key).sort().join(' ');
    assert.equal(byMachine('one'), 'a b c d');
    assert.equal(byMachine('two'), 'e f');
    assert.equal(byMachine('three'), text === second ? 'c x' : 'c d');
  }
});

test('matrix: the same list at two places is read once per place, not again on every extraction', async () => {
  const text = `{
  one = [ "c" "d" ];
  two = [ "c" "d" ];
}`;
  const ranges = async () => (await facts(text, { registry: false, matrix: true })).matrix!.keys.map((k) => k.range);
  const before = await ranges();
  assert.equal(before.length, 4, 'each place is its own key');
  const after = await ranges();
  // kept refs are the same objects: unchanged facts compare equal without walking them
  assert.ok(after.every((r, i) => r === before[i]));
});

test('matrix: after each kind of edit, the keys kept by binding equal a reading from scratch; an unchanged binding gives the same objects', async () => {
  const parser = await NixParser.load();
  const file = '/clan/lib/machine-env-matrix.nix';
  /** The matrix as the index reads it (kept bindings reused) and as read from scratch (nothing kept). */
  const read = (text: string) => {
    const tree = parser.parse(text);
    try {
      return { kept: extractMatrix(tree.rootNode as unknown as Parameters<typeof extractMatrix>[0], file), scratch: extractMatrix(tree.rootNode as unknown as Parameters<typeof extractMatrix>[0]) };
    } finally {
      tree.delete();
    }
  };
  const base = `let
  sharedCore = [ "core-a" "core-b" ];
  extra = [ "x-1" ];
in
{
  inherit sharedCore;
  m0 = sharedCore ++ [ "k-1" "k-2" ];
  m1 = sharedCore ++ extra ++ [ "k-3" ];
  m2 = [ "k-4" "k-4" ];
  m3 = let own = [ "k-5" ]; in own ++ own;
  inherit ({ m4 = [ "k-6" ]; m5 = [ "k-7" ]; }) m4 m5;
}`;
  const rec = base.replace('in\n{', 'in\nrec {').replace('m2 = [', 'm2 = m0 ++ [');
  // each sequence of texts is read in turn after the first text, then the first text again
  const edits: [string, string[]][] = [
    ['a key changed', [base.replace('"k-1"', '"k-9"')]],
    ['a machine added', [base.replace('  m2 =', '  m6 = sharedCore ++ [ "k-8" ];\n  m2 =')]],
    ['a machine removed', [base.replace('  m2 = [ "k-4" "k-4" ];\n', '')]],
    ['half-typed', [base.replace('"k-2" ];', '"k-2 ];')]],
    ['a line above everything', [`# the fleet\n${base}`]],
    ['a let-bound list changed', [base.replace('[ "x-1" ]', '[ "x-2" "core-a" ]')]],
    ['a machine named like a helper list', [base.replace('  m1 =', '  extra =')]],
    ['a machine named twice', [base.replace('  m3 =', '  m0 = [ "dup" ];\n  m3 =')]],
    ['a rec set, then a key of a binding another reads', [rec, rec.replace('"k-1"', '"k-9"')]],
    ['under envMatrix', [`{\n  envMatrix = ${base.replace(/\n/g, '\n  ')};\n  sharedCore = [ "s" ];\n}`]],
  ];
  for (const [label, texts] of edits) {
    let before = read(base);
    assert.deepEqual(before.kept, before.scratch);
    for (const text of texts) {
      assert.notEqual(text, base, label);
      const after = read(text);
      assert.deepEqual(after.kept, after.scratch, label);
    }
    before = read(base);
    assert.deepEqual(before.kept, before.scratch, `${label}, undone`);
  }
  // as a set's bindings are read: inherited names first; a machine named twice has its last binding's keys
  assert.deepEqual(read(base).kept.keys.map((k) => `${k.key}:${k.machines.join(',')}`), ['k-6:m4', 'k-7:m5', 'core-a:m0,m1', 'core-b:m0,m1', 'k-1:m0', 'k-2:m0', 'x-1:m1', 'k-3:m1', 'k-4:m2', 'k-4:m2', 'k-5:m3']);
  const twice = read(base.replace('  m3 =', '  m0 = [ "dup" ];\n  m3 =')).kept;
  assert.deepEqual(twice.keys.filter((k) => k.machines.includes('m0')).map((k) => k.key), ['dup']);
  // one key changed: every other key is the object the last reading gave
  const first = read(base).kept;
  const second = read(base.replace('"k-1"', '"k-9"')).kept;
  const changed = second.keys.filter((k) => !first.keys.includes(k)).map((k) => k.key);
  assert.deepEqual(changed, ['k-9'], 'only the edited key is made again: the others of its binding, where they were, are the objects the last reading gave');
  // a key that moved (its place is part of it) is made again
  const longer = read(base.replace('"k-1"', '"k-100"')).kept;
  assert.deepEqual(longer.keys.filter((k) => !second.keys.includes(k)).map((k) => k.key), ['k-100', 'k-2'], 'k-2 moved right: made again');
  // the machine renamed: its keys are another machine's, made again
  const renamed = read(base.replace('  m0 = sharedCore', '  m9 = sharedCore')).kept;
  assert.ok(['k-1', 'k-2'].every((key) => renamed.keys.some((k) => k.key === key && k.machines.join() === 'm9' && !first.keys.includes(k))), 'the keys of a renamed machine are new objects with its name');
  assert.equal(second.machines, first.machines, 'the same machines: the same list');
});

test("registry and matrix: a keystroke after a fresh parse reads only the binding it changed, where nixfmt's trailing commas in formals were blanked for the parse", async () => {
  const parser = await NixParser.load();
  // the helper's formals end with a comma (nixfmt's style), which tree-sitter-nix rejects: a parse from
  // scratch blanks it (syntax/trailingComma.ts), an incremental one reuses the formals and keeps the text
  const registry = `let
  mk =
    {
      generator,
      secret ? true,
    }:
    { inherit generator secret; };
  sizes = [ 1 2 ];
in
{
  a = mk { generator = "gen-a"; };
  b = mk { generator = "gen-b"; };
  c = mk { generator = "gen-c"; secret = false; };
}`;
  const matrix = registry.replace(/\{\n  a = [\s\S]*$/, '{\n  m0 = [ "a" "b" ];\n  m1 = [ "c" ];\n}');
  const cases: [string, string, string, { registry: boolean; matrix: boolean }][] = [
    ['/clan/lib/secret-registry.nix', registry, '"gen-b"', { registry: true, matrix: false }],
    ['/clan/lib/machine-env-matrix.nix', matrix, '"b" ]', { registry: false, matrix: true }],
  ];
  for (const [file, text, needle, roles] of cases) {
    const fresh = parser.parse(text);
    const first = extractFile(file, fresh, roles, text);
    // one character of one binding changed, parsed from the fresh tree
    const at = text.indexOf(needle) + 1;
    const edited = text.slice(0, at) + 'x' + text.slice(at + 1);
    fresh.edit(makeEdit(text, at, at + 1, 'x'));
    const incremental = parser.parse(edited, fresh);
    try {
      assert.equal(treeText(incremental)[text.indexOf('true,') + 4], ',', 'the incremental tree keeps the comma as written (else this test tests nothing)');
      const second = extractFile(file, incremental, roles, edited);
      if (roles.registry) {
        // unchanged bindings: their entries kept, the same objects
        assert.equal(second.registry!.entries[0], first.registry!.entries[0]);
        assert.equal(second.registry!.entries[2], first.registry!.entries[2]);
        assert.notEqual(second.registry!.entries[1], first.registry!.entries[1]);
        assert.equal(second.registry!.entries[1].generator?.name, 'xen-b');
      } else {
        assert.equal(second.matrix!.keys.find((k) => k.key === 'c'), first.matrix!.keys.find((k) => k.key === 'c'));
        assert.deepEqual(second.matrix!.keys.map((k) => k.key), ['a', 'x', 'c']);
      }
    } finally {
      fresh.delete();
      incremental.delete();
    }
  }
});
