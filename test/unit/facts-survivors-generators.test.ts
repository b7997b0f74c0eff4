// What the generator reader (server/src/facts/generators.ts) reads at the edges the mutation run
// found untested: `inherit (<set>) ...` on the way to the generators, the bounds of its walks (deep
// nesting, chains of wrappers, lambdas and lets), and values it must not read as a generator's.
// Each expected value is read off the Nix text: what Nix would declare, or the walk's documented bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'node:path';
import { extractGenerators, extractGeneratorSetFile, type GeneratorScan } from '../../server/src/facts/generators';
import type { Generator } from '../../server/src/facts/types';
import { withRoot } from '../helpers/parsedNix';
import { MAX_DEPTH } from '../../server/src/syntax/syntax';

const FILE = '/clan/modules/m.nix';
const resolvePath = (rel: string) => path.resolve(path.dirname(FILE), rel);
const scan = (nix: string): Promise<GeneratorScan> => withRoot(nix, (root) => extractGenerators(root, FILE, resolvePath, nix));
const setFile = (nix: string): Promise<Generator[]> => withRoot(nix, (root) => extractGeneratorSetFile(root, FILE, resolvePath, nix));
const names = (gs: Generator[]) => gs.map((g) => g.name.name ?? g.name.pattern).sort();
/** The one generator `nix` declares. */
async function only(nix: string): Promise<Generator> {
  const { generators } = await scan(nix);
  assert.equal(generators.length, 1, JSON.stringify(names(generators)));
  return generators[0];
}
const fileNames = (g: Generator) => g.files.map((f) => f.name);

const GEN = 'clan.core.vars.generators';
const lets = (n: number) => 'let v = 1; in '.repeat(n);

// ---------------------------------------------------------------------------------------------
// A file of clan-vars-helper's folder: what it evaluates to must be a set of generators.

test('generator set file: a list where one element is an old-style let { body } of one generator’s own set: no generators', async () => {
  // Nix: `let { body = { script = "x"; }; }` is `{ script = "x"; }`, whose `script` is no generator
  assert.deepEqual(names(await setFile(`[ { a = { files.k = { }; }; } (let { body = { script = "x"; }; }) ]`)), []);
});

test('generator set file: a generator whose value is a let ending in an empty set has none of a generator’s options: no generators', async () => {
  // Nix: a = { }; the let's own `script` is a local name, not an option of a
  assert.deepEqual(names(await setFile(`{ a = let script = "x"; in { }; b = { files.k = { }; }; }`)), []);
});

// ---------------------------------------------------------------------------------------------
// `inherit (<set>) a;` is `a = <set>.a;`: where the set is written in the file, what it binds to `a`
// is declared here (and nothing else of it).

const inheritCases: { name: string; nix: string; generators: string[] }[] = [
  { name: 'a let-bound set’s generators', nix: `let shared = { generators.a = { script = "x"; }; }; in { clan.core.vars = { inherit (shared) generators; }; }`, generators: ['a'] },
  { name: 'a literal set’s clan', nix: `{ inherit ({ ${GEN}.b = { files.k = { }; }; }) clan; }`, generators: ['b'] },
  { name: 'a rec set’s generators', nix: `{ clan.core.vars = { inherit (rec { generators.a = { script = "x"; }; }) generators; }; }`, generators: ['a'] },
  { name: 'a set with an inherit of its own beside the generators', nix: `{ x, ... }: { clan.core.vars = { inherit ({ inherit x; generators.a = { script = "x"; }; }) generators; }; }`, generators: ['a'] },
  // only the names inherited: the set's other bindings are not declared here
  { name: 'another name of a set that holds generators', nix: `{ clan.core.vars = { inherit ({ generators.a = { script = "x"; }; settings = { }; }) settings; }; }`, generators: [] },
  { name: 'another name at the top', nix: `{ inherit ({ ${GEN}.a = { script = "x"; }; imports = [ ]; }) imports; }`, generators: [] },
  // the set given is what the let ends in ({ generators = { }; }), not the let's own bindings
  { name: 'a let whose own binding holds a generator', nix: `{ clan.core.vars = { inherit (let generators.a = { script = "x"; }; in { generators = { }; }) generators; }; }`, generators: [] },
  // a set the syntax cannot read, and a plain inherit (no set): nothing, and the rest is read
  { name: 'a function argument’s generators', nix: `{ cfg, ... }: { clan.core.vars = { inherit (cfg) generators; }; }`, generators: [] },
  { name: 'a plain inherit beside a generator', nix: `{ x, ... }: { inherit x; ${GEN}.a = { script = "x"; }; }`, generators: ['a'] },
];

for (const c of inheritCases) {
  test(`module walk: inherit from ${c.name} -> ${JSON.stringify(c.generators)}`, async () => {
    assert.deepEqual(names((await scan(c.nix)).generators), c.generators);
  });
}

test('module walk: a set that inherits from itself ends at the depth bound, its generator read once', async () => {
  // Nix: s.x is { x = s.x; ... } without end (lazily fine); the walk stops at MAX_DEPTH
  const nix = `let s = { x = { inherit (s) x; ${GEN}.a = { files.k = { }; }; }; }; in { inherit (s) x; }`;
  const { generators } = await scan(nix);
  assert.deepEqual(names(generators), ['a']);
  assert.deepEqual(fileNames(generators[0]), ['k']);
});

test('module walk: machines.<m>.clan.core... in a module is the module’s own machines option, not a clan machine', async () => {
  // a NixOS module declaring its own `machines`: only clan's `clan.machines.<m>` (or the clan function's `machines`) holds machines
  const nix = `{ lib, ... }: {\n  options.machines = lib.mkOption { type = lib.types.attrsOf lib.types.anything; };\n  config.machines.m1.${GEN}.a = { script = "x"; };\n}`;
  assert.deepEqual(names((await scan(nix)).generators), []);
});

// ---------------------------------------------------------------------------------------------
// The walk's bound (MAX_DEPTH nested values): a generator nested within it is read, one nested one
// past it is not. The file is depth 0, each wrapper one level more (facts-generators.test.ts counts
// the other wrappers).

const MOD = `{ ${GEN}.a = { script = "x"; }; }`;
const moduleNests: Record<string, (n: number) => string> = {
  'let bindings': (n) => 'let v = '.repeat(n) + MOD + '; in { }'.repeat(n),
  'else branches': (n) => 'if c then { } else '.repeat(n) + MOD,
  'left operands of //': (n) => '('.repeat(n) + MOD + ' // { })'.repeat(n),
};

test(`depth bound: a module nested in ${MAX_DEPTH - 1} let bindings, else branches or left operands is read, in ${MAX_DEPTH} not`, async () => {
  for (const [kind, nest] of Object.entries(moduleNests)) {
    assert.deepEqual(names((await scan(nest(MAX_DEPTH - 1))).generators), ['a'], kind);
    assert.deepEqual(names((await scan(nest(MAX_DEPTH))).generators), [], kind);
  }
});

test('depth bound: the rest of clan.core nested behind lets under `clan = ...` counts from that binding', async () => {
  // the module is depth 1, `clan`'s value 2, each let one more
  const nest = (n: number) => `{ clan = ${lets(n)}{ core.vars.generators.a = { script = "x"; }; }; }`;
  assert.deepEqual(names((await scan(nest(MAX_DEPTH - 2))).generators), ['a']);
  assert.deepEqual(names((await scan(nest(MAX_DEPTH - 1))).generators), []);
});

test('depth bound: a set of generators nested in else branches or left operands of //', async () => {
  // the set of generators is at depth 2, each wrapper one more
  const setNests: Record<string, (n: number) => string> = {
    'else branches': (n) => `{ ${GEN} = ${'if c then { } else '.repeat(n)}{ a = { }; }; }`,
    'left operands of //': (n) => `{ ${GEN} = ${'('.repeat(n)}{ a = { }; }${' // { })'.repeat(n)}; }`,
  };
  for (const [kind, nest] of Object.entries(setNests)) {
    assert.deepEqual(names((await scan(nest(MAX_DEPTH - 2))).generators), ['a'], kind);
    assert.deepEqual(names((await scan(nest(MAX_DEPTH - 1))).generators), [], kind);
  }
});

// A generator's body: its file k is read where `files.k` is at most MAX_DEPTH deep.
const bodyNests: Record<string, { nix: (n: number) => string; read: number }> = {
  // module 1, set of generators 2, a's value 3, each function one more, files.k one past the body
  'a generator in a set of generators, behind functions': { nix: (n) => `{ ${GEN} = { a = ${'x: '.repeat(n)}{ files.k = { }; }; }; }`, read: MAX_DEPTH - 4 },
  // module 1, set of generators 2, the pair's value 3
  'a pattern generator’s value, behind functions': { nix: (n) => `{ ${GEN} = lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-x" (${'x: '.repeat(n)}{ files.k = { }; })) cfg.users; }`, read: MAX_DEPTH - 4 },
  // a's value 2, each let or with one more
  'a generator behind lets': { nix: (n) => `{ ${GEN}.a = ${lets(n)}{ files.k = { }; }; }`, read: MAX_DEPTH - 3 },
  'a generator behind withs': { nix: (n) => `{ ${GEN}.a = ${'with v; '.repeat(n)}{ files.k = { }; }; }`, read: MAX_DEPTH - 3 },
  // the let 1, its body 2, a's value 3, the inherited files 4
  'inherited files behind lets': { nix: (n) => `let files = ${lets(n)}{ k = { }; }; in { ${GEN}.a = { inherit files; }; }`, read: MAX_DEPTH - 5 },
  // a's value 2, each config one more
  'a generator’s config in config': { nix: (n) => `{ ${GEN}.a = ${'{ config = '.repeat(n)}{ files.k = { }; }${'; }'.repeat(n)}; }`, read: MAX_DEPTH - 3 },
};

for (const [kind, c] of Object.entries(bodyNests)) {
  test(`depth bound: ${kind}: files.k read within the bound, not one past it`, async () => {
    assert.deepEqual(fileNames(await only(c.nix(c.read))), ['k']);
    assert.deepEqual(fileNames(await only(c.nix(c.read + 1))), []);
  });
}

test('depth bound: a generator whose config is itself ends, its file read', async () => {
  // Nix: s.config is s, without end; the walk stops at MAX_DEPTH
  const g = await only(`let s = { config = s; files.k = { }; }; in { ${GEN}.a = s; }`);
  assert.deepEqual(fileNames(g), ['k']);
});

// ---------------------------------------------------------------------------------------------
// Chains the reader follows at most ten links of: wrappers of a generator's value, a pattern
// lambda's parameters and lets, a script's lets.

test('wrapper chain: the conditions of ten nested lib.mkIf are read, of an eleventh not', async () => {
  // a clan service role's perInstance module, so that each condition is a test of the settings
  const service = (n: number) => {
    const chain = Array.from({ length: n }, (_, i) => `lib.mkIf settings.s${i + 1} (`).join('') + '{ files.k = { }; }' + ')'.repeat(n);
    return `{\n  roles.default.perInstance = { settings, ... }: {\n    nixosModule = { lib, ... }: {\n      ${GEN}.g = ${chain};\n    };\n  };\n}\n`;
  };
  const tested = async (n: number) => (await only(service(n))).conditions?.map((c) => c.tests?.map((t) => t.setting));
  const first = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);
  assert.deepEqual(await tested(10), [first(10)]);
  assert.deepEqual(await tested(11), [first(10)]);
});

test('pattern set: listToAttrs of a function of the file’s own over a lambda is opaque (what it does with the lambda is unknown)', async () => {
  // Nix: `keep` ignores its lambda, so the names are cfg.pairs' own, none of them k-*
  const nix = `let keep = xs: f: xs; in { ${GEN} = builtins.listToAttrs (keep cfg.pairs (x: { name = "k-\${x}"; value = { files.k = { }; }; })); }`;
  const s = await scan(nix);
  assert.deepEqual(names(s.generators), []);
  assert.equal(s.opaque.length, 1);
});

test('pattern set: a lambda of ten parameters is read, of eleven not (the bound of the walk through them)', async () => {
  const nix = (n: number) => `{ ${GEN} = lib.mapAttrs' (u: ${'_: '.repeat(n - 1)}lib.nameValuePair "\${u}-x" { files.k = { }; }) cfg.users; }`;
  assert.deepEqual(names((await scan(nix(10))).generators), ['*-x']);
  const past = await scan(nix(11));
  assert.deepEqual([names(past.generators), past.opaque.length], [[], 1]);
});

test('pattern set: a pair behind ten lets is read, behind eleven not (the bound of the walk through them)', async () => {
  const nix = (n: number) => `{ ${GEN} = lib.mapAttrs' (u: _: ${lets(n)}lib.nameValuePair "\${u}-x" { files.k = { }; }) cfg.users; }`;
  assert.deepEqual(names((await scan(nix(10))).generators), ['*-x']);
  const past = await scan(nix(11));
  assert.deepEqual([names(past.generators), past.opaque.length], [[], 1]);
});

test('script: the value of ten lets is the script, of eleven the let as written (the bound of the walk through them)', async () => {
  const script = async (n: number) => (await only(`{ ${GEN}.a = { script = ${lets(n)}"echo"; }; }`)).script;
  assert.deepEqual([(await script(10))?.raw, (await script(10))?.kind], ['"echo"', 'string_expression']);
  assert.equal((await script(11))?.kind, 'let_expression');
});

// ---------------------------------------------------------------------------------------------
// Values below `share`, `dependencies`, `script` and `files.<f>.deploy` are not those options' values.
// Nix: such a set is a type error, or a property written by hand (`_type = "if"` is lib.mkIf), here
// one whose condition is false, so Nix defines nothing there.

test('dependencies: a hand-written mkIf whose condition is false declares no dependency', async () => {
  const a = await only(`{ ${GEN}.a = { dependencies = { _type = "if"; condition = false; content = [ "other" ]; }; }; }`);
  assert.deepEqual(a.dependencies, []);
  const b = await only(`{ cfg, ... }: { ${GEN}.b = { dependencies = { _type = "if"; condition = false; inherit (cfg) content; }; }; }`);
  assert.deepEqual(b.dependencies, []);
});

test('deploy: a hand-written mkIf whose condition is false, written dotted, is not deploy = false', async () => {
  // Nix: files.k.deploy is its default, true
  const g = await only(`{ ${GEN}.a = { files.k = { deploy.content = false; deploy._type = "if"; deploy.condition = false; }; }; }`);
  assert.notEqual(g.files.find((f) => f.name === 'k')?.deploy, false);
});

test('script: a path-like set (outPath) is the script as written, though another of its attributes is inherited', async () => {
  // Nix: the script is the path ./gen.sh (`either str path` takes a set with outPath); cfg's name changes nothing of it
  const nix = `{ cfg, ... }: { ${GEN}.a = { script = { outPath = ./gen.sh; inherit (cfg) name; }; }; }`;
  assert.equal((await only(nix)).script?.raw, '{ outPath = ./gen.sh; inherit (cfg) name; }');
});

test('an inherit of a computed name (Nix refuses it: dynamic attributes not allowed in inherit) declares nothing', async () => {
  const g = await only(`{ x, ... }: { ${GEN}.a = { inherit "\${x}"; script = "s"; }; }`);
  assert.deepEqual(g.options.map((o) => o.path.join('.')), ['script']);
});
