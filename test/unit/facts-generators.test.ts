// The generator reader (server/src/facts/generators.ts) read directly: which generators a module,
// a generator set file (clan-vars-helper's folder) and the evaluator's source ranges declare, where
// it gives up (opaque sources, with the file an `import` reads), and a pattern generator's set.
// Expected values are read off the Nix text by hand; `at`/`span` only find a piece of the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'node:path';
import { extractGenerators, extractGeneratorSetFile, readGeneratorSources, type GeneratorScan } from '../../server/src/facts/generators';
import type { Generator } from '../../server/src/facts/types';
import type { Range } from '../../server/src/base/types';
import { withRoot } from '../helpers/parsedNix';
import { at, span } from '../helpers/textPlaces';
import { MAX_DEPTH } from '../../server/src/syntax/syntax';

const FILE = '/clan/modules/m.nix';
const resolvePath = (rel: string) => path.resolve(path.dirname(FILE), rel);

/** Runs `read` on the flattened syntax of `nix`. */
const scan = (nix: string): Promise<GeneratorScan> => withRoot(nix, (root) => extractGenerators(root, FILE, resolvePath, nix));
const setFile = (nix: string): Promise<Generator[]> => withRoot(nix, (root) => extractGeneratorSetFile(root, FILE, resolvePath, nix));

const names = (gs: Generator[]) => gs.map((g) => g.name.name ?? g.name.pattern).sort();
const byName = (gs: Generator[], name: string) => {
  const g = gs.find((x) => (x.name.name ?? x.name.pattern) === name);
  assert.ok(g, `no generator ${name} in ${JSON.stringify(names(gs))}`);
  return g;
};

// ---------------------------------------------------------------------------------------------
// extractGeneratorSetFile: a file of clan-vars-helper's folder is a set of generators (or a list
// of such sets, through a function and `let`), `meta` at the top and inside each one removed.

const setFileCases: { name: string; nix: string; expect: string[] }[] = [
  { name: 'a set of generators', nix: `{ a = { files.k = { }; }; b = { script = "x"; }; }`, expect: ['a', 'b'] },
  { name: 'a function of { config, lib, pkgs } to a set', nix: `{ config, lib, pkgs, ... }: { a = { files.k = { }; }; }`, expect: ['a'] },
  { name: 'a let in front of the set', nix: `let k = { }; in { a = { files.k = k; }; }`, expect: ['a'] },
  { name: 'a list of sets, comments between them', nix: `# generators\n[\n  # the first\n  { a = { files.k = { }; }; }\n  ({ b = { prompts.p = { }; }; })\n]`, expect: ['a', 'b'] },
  // the helper evaluates the file: a rec set is a set like any other, at the top or as a generator
  { name: 'a rec set of generators', nix: `rec { a = { files.k = { }; }; b = { script = "x"; }; }`, expect: ['a', 'b'] },
  { name: 'a generator written as a rec set', nix: `{ a = rec { files.k = { }; script = "x"; }; }`, expect: ['a'] },
  { name: 'meta at the top is the helper’s tags, not a generator', nix: `{ meta.tags = [ "x" ]; a = { share = true; }; }`, expect: ['a'] },
  // each of a generator's own options alone makes a set a generator's declaration
  ...['files.k = { }', 'prompts.p = { }', 'script = "x"', 'dependencies = [ ]', 'runtimeInputs = [ ]', 'share = true', 'validation = 1', 'migrateFact = "f"'].map((body) => ({
    name: `a generator with only ${body.split(/[ .]/)[0]}`,
    nix: `{ g = { ${body}; }; }`,
    expect: ['g'],
  })),
  // not that shape: none of it is read
  { name: 'a list with an element that is not a set', nix: `[ { a = { files.k = { }; }; } ./other.nix ]`, expect: [] },
  { name: 'an inherit at the top', nix: `{ inherit (x) b; a = { files.k = { }; }; }`, expect: [] },
  { name: 'a dotted binding at the top', nix: `{ a.x = { files.k = { }; }; b = { files.k = { }; }; }`, expect: [] },
  { name: 'a list where one set holds only meta', nix: `[ { a = { files.k = { }; }; } { meta.tags = [ ]; } ]`, expect: [] },
  { name: 'a list where one set is not generators', nix: `[ { a = { files.k = { }; }; } { services.x.enable = true; } ]`, expect: [] },
  { name: 'a computed name at the top', nix: `{ "\${x}" = { files.k = { }; }; b = { files.k = { }; }; }`, expect: [] },
  { name: 'a binding whose value is not a set', nix: `{ a = import ./a.nix; b = { files.k = { }; }; }`, expect: [] },
  { name: 'a set with none of a generator’s options', nix: `{ a = { enable = true; }; b = { files.k = { }; }; }`, expect: [] },
  { name: 'a set whose only option is inherited', nix: `{ a = { inherit (x) files; }; }`, expect: [] },
  { name: 'meta alone', nix: `{ meta.tags = [ ]; }`, expect: [] },
  { name: 'an empty set', nix: `{ }`, expect: [] },
  { name: 'a string', nix: `"not generators"`, expect: [] },
];

for (const c of setFileCases) {
  test(`generator set file: ${c.name} -> ${JSON.stringify(c.expect)}`, async () => {
    assert.deepEqual(names(await setFile(c.nix)), c.expect);
  });
}

test('generator set file: meta inside a generator is not one of its options; the rest are', async () => {
  const nix = `{\n  a = {\n    meta.tags = [ "db" ];\n    files.k.secret = false;\n    runtimeInputs = [ ];\n  };\n}`;
  const [a] = await setFile(nix);
  assert.deepEqual(a.options.map((o) => o.path.join('.')).sort(), ['files.k.secret', 'runtimeInputs']);
  assert.deepEqual(a.files.map((f) => f.name), ['k']);
  // the generator's own set starts at line 1 and closes at line 5, on a line of its own
  assert.deepEqual(a.insertAt, { position: { line: 5, character: 0 }, indent: '    ' });
});

test('generator set file: nested deeper than eight functions, lets and lists is not read (the bound of its walk)', async () => {
  const set = `{ a = { files.k = { }; }; }`;
  const wrap = {
    functions: (n: number) => 'x: '.repeat(n) + set,
    lets: (n: number) => 'let v = 1; in '.repeat(n) + set,
    lists: (n: number) => '[ '.repeat(n) + set + ' ]'.repeat(n),
  };
  for (const [kind, nest] of Object.entries(wrap)) {
    // the file is depth 0, each wrapper one more: the set at depth 8 is read, at depth 9 not
    assert.deepEqual(names(await setFile(nest(7))), ['a'], `7 ${kind}`);
    assert.deepEqual(names(await setFile(nest(8))), [], `8 ${kind}`);
  }
});

// ---------------------------------------------------------------------------------------------
// readGeneratorSources: the evaluator names attrsets a generator was merged from; each is read as
// a literal generator's body. A range that is not exactly an attrset gives null.

async function sources(nix: string, ranges: Range[]): Promise<Generator | null> {
  // the name as the evaluator reports it: where it is written does not matter here
  const name = { name: 'g', pattern: null, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  return withRoot(nix, (root) => readGeneratorSources(root, FILE, resolvePath, nix, name, ranges));
}

test('generator sources: the attrsets the evaluator names (a plain and a rec set) are read as the generator’s body', async () => {
  const nix = `{ lib, ... }: let\n  base = { files.k = { }; };\n  more = rec { script = "echo"; files.p.secret = false; };\nin { g = lib.mkMerge [ base more ]; }`;
  const baseSet = span(nix, '{ files.k = { }; }');
  const moreSet = span(nix, 'rec { script = "echo"; files.p.secret = false; }');
  const g = await sources(nix, [baseSet, moreSet]);
  assert.ok(g);
  assert.deepEqual(g.files.map((f) => f.name), ['k', 'p']);
  assert.deepEqual(g.script, { raw: '"echo"', range: span(nix, '"echo"'), kind: 'string_expression' });
  assert.deepEqual(g.options.map((o) => o.path.join('.')), ['script', 'files.p.secret']);
});

test('generator sources: a range that is not exactly an attrset of the file gives null', async () => {
  const nix = `let\n  base = { files.k = { }; script = "x"; };\n  l = [ 1 ];\nin base`;
  const set = span(nix, '{ files.k = { }; script = "x"; }');
  assert.ok(await sources(nix, [set]), 'the set itself');
  // the set's start, but its end cut short after `files.k = { };`
  assert.equal(await sources(nix, [{ start: set.start, end: { line: 1, character: 25 } }]), null);
  // its end, from a start inside it
  assert.equal(await sources(nix, [{ start: at(nix, 'files.k'), end: set.end }]), null);
  // a list, not a set
  assert.equal(await sources(nix, [span(nix, '[ 1 ]')]), null);
  // one good range and one bad: null
  assert.equal(await sources(nix, [set, span(nix, '[ 1 ]')]), null);
});

// ---------------------------------------------------------------------------------------------
// extractGenerators: where a module declares generators, and the generator sets it cannot list
// (opaque: the text of the value as written and the file an `import` of a literal path reads).

/** The text a range covers (ranges here are on one line or span whole lines). */
function textOf(nix: string, r: Range): string {
  const lines = nix.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
}

/** `name` with `?` when its files are unknown, and each opaque source as `text -> importTarget`. */
function summary(nix: string, s: GeneratorScan): { generators: string[]; opaque: string[] } {
  return {
    generators: s.generators.map((g) => `${g.name.name ?? g.name.pattern}${g.filesUnknown ? '?' : ''}`).sort(),
    opaque: s.opaque.map((o) => `${textOf(nix, o.range)} -> ${o.importTarget}`),
  };
}

const GEN = 'clan.core.vars.generators';
const walkCases: { name: string; nix: string; generators: string[]; opaque?: string[] }[] = [
  // the module's own value: every form a module can be written in
  { name: 'an if at the top: both branches', nix: `{ config, ... }: if config.x then { ${GEN}.a = { script = "x"; }; } else { ${GEN}.b = { script = "y"; }; }`, generators: ['a', 'b'] },
  { name: 'two modules merged with //', nix: `{ ${GEN}.a = { script = "x"; }; } // { ${GEN}.b = { script = "y"; }; }`, generators: ['a', 'b'] },
  { name: 'with and assert in front', nix: `{ pkgs, ... }: with pkgs; assert true; { ${GEN}.a = { script = "x"; }; }`, generators: ['a'] },
  { name: 'a rec module', nix: `rec { ${GEN}.a = { script = "x"; }; }`, generators: ['a'] },
  { name: 'an old-style let { body }', nix: `let { ${GEN}.a = { script = "x"; }; body = { }; }`, generators: ['a'] },
  { name: 'imports: a list with a comment and a module', nix: `{ imports = [\n  # inline\n  { ${GEN}.a = { script = "x"; }; }\n]; }`, generators: ['a'] },
  { name: 'a module bound in a let and imported', nix: `let m = { ${GEN}.a = { script = "x"; }; }; in { imports = [ m ]; }`, generators: ['a'] },
  { name: 'the arguments of a function call', nix: `{ lib, ... }: lib.recursiveUpdate base { ${GEN}.a = { script = "x"; }; }`, generators: ['a'] },
  { name: 'clan.core under lib.mkIf keeps its path', nix: `{ lib, ... }: { clan.core = lib.mkIf true { vars.generators.a = { script = "x"; }; }; }`, generators: ['a'] },
  { name: 'clan.core as a call of another function: what it returns is unknown', nix: `{ clan.core = f { vars.generators.a = { script = "x"; }; }; }`, generators: [] },
  { name: 'config. written in the same binding', nix: `{ config.${GEN}.a = { script = "x"; }; }`, generators: ['a'] },
  { name: 'a machine’s generator written inline', nix: `{ clan.machines.m1.${GEN}.a = { script = "x"; }; }`, generators: ['a'] },
  { name: 'a flake module’s generator written inline', nix: `{ flake.modules.nixos.base.${GEN}.a = { script = "x"; }; }`, generators: ['a'] },
  { name: 'flake = { <x>Modules.base.clan.core... }', nix: `{ flake = { wrapperModules.base.${GEN}.a = { script = "x"; }; }; }`, generators: ['a'] },
  // the value of clan.core.vars.generators
  { name: 'a rec set of generators', nix: `{ ${GEN} = rec { a = { script = "x"; }; }; }`, generators: ['a'] },
  { name: 'inherited generators: their files unknown', nix: `{ cfg, ... }: let a = { files.k = { }; }; in { ${GEN} = { inherit a; inherit (cfg) b; }; }`, generators: ['a?', 'b?'] },
  { name: 'mkMerge with a comment in its list', nix: `{ lib, ... }: { ${GEN} = lib.mkMerge [\n  # the first\n  { a = { script = "x"; }; }\n]; }`, generators: ['a'] },
  { name: 'mkMerge of a value that is not a list', nix: `{ lib, gens, ... }: { ${GEN} = lib.mkMerge gens; }`, generators: [], opaque: ['lib.mkMerge gens -> null'] },
  { name: 'a let in the value', nix: `{ ${GEN} = let s = { files.k = { }; }; in { a = s; }; }`, generators: ['a'] },
  { name: 'an if in the value', nix: `{ c, ... }: { ${GEN} = if c then { a = { script = "x"; }; } else { b = { script = "y"; }; }; }`, generators: ['a', 'b'] },
  { name: 'an import of a literal path, through a let: opaque as written, with its file', nix: `let gens = import ./gens.nix { }; in { ${GEN} = gens; }`, generators: [], opaque: ['gens -> /clan/modules/gens.nix'] },
  { name: 'an import in parentheses', nix: `{ ${GEN} = (import ../lib/g.nix); }`, generators: [], opaque: ['(import ../lib/g.nix) -> /clan/lib/g.nix'] },
  { name: 'an import of an interpolated path: its file unknown', nix: `{ name, ... }: { ${GEN} = import ./gens/\${name}.nix; }`, generators: [], opaque: ['import ./gens/${name}.nix -> null'] },
  { name: 'an import of a computed value', nix: `{ cfg, ... }: { ${GEN} = import cfg.file; }`, generators: [], opaque: ['import cfg.file -> null'] },
  { name: 'another function of a path', nix: `{ mkGens, ... }: { ${GEN} = mkGens ./x.nix; }`, generators: [], opaque: ['mkGens ./x.nix -> null'] },
  // sets computed by a function: one generator named by the pattern, or opaque
  { name: "mapAttrs' to one fixed name", nix: `{ lib, cfg, ... }: { ${GEN} = lib.mapAttrs' (u: _: lib.nameValuePair "fixed" { files.k = { }; }) cfg.users; }`, generators: ['fixed'] },
  { name: 'mapAttrs (no prime) keeps the names it maps over', nix: `{ lib, cfg, ... }: { ${GEN} = lib.mapAttrs (u: _: lib.nameValuePair "\${u}-x" { }) cfg.users; }`, generators: [], opaque: ['lib.mapAttrs (u: _: lib.nameValuePair "${u}-x" { }) cfg.users -> null'] },
  { name: "mapAttrs' partly applied", nix: `{ lib, ... }: { ${GEN} = lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-x" { }); }`, generators: [], opaque: [`lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-x" { }) -> null`] },
  { name: "mapAttrs' whose function returns no pair", nix: `{ lib, cfg, ... }: { ${GEN} = lib.mapAttrs' (n: v: v) cfg.x; }`, generators: [], opaque: [`lib.mapAttrs' (n: v: v) cfg.x -> null`] },
  { name: 'a name of nothing but computed parts', nix: `{ lib, cfg, ... }: { ${GEN} = lib.mapAttrs' (a: b: lib.nameValuePair "\${a}\${b}" { }) cfg.x; }`, generators: [], opaque: [`lib.mapAttrs' (a: b: lib.nameValuePair "\${a}\${b}" { }) cfg.x -> null`] },
  { name: 'listToAttrs of a value that is not a map', nix: `{ cfg, ... }: { ${GEN} = builtins.listToAttrs cfg.pairs; }`, generators: [], opaque: ['builtins.listToAttrs cfg.pairs -> null'] },
  { name: 'another function than listToAttrs over a map', nix: `{ cfg, xs, ... }: { ${GEN} = cfg.mkGens (map (x: { name = "n-\${x}"; value = { }; }) xs); }`, generators: [], opaque: ['cfg.mkGens (map (x: { name = "n-${x}"; value = { }; }) xs) -> null'] },
];

for (const c of walkCases) {
  test(`module walk: ${c.name} -> ${JSON.stringify(c.generators)}`, async () => {
    const nix = c.nix;
    assert.deepEqual(summary(nix, await scan(nix)), { generators: c.generators, opaque: c.opaque ?? [] });
  });
}

test('module walk: a generator named by a pattern keeps the computed set’s range; a fixed name has none', async () => {
  const nix = `{ lib, cfg, ... }: {\n  ${GEN} = lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-pw" { files.k = { }; }) cfg.users\n    // lib.mapAttrs' (u: _: lib.nameValuePair "fixed" { }) cfg.x;\n}`;
  const s = await scan(nix);
  assert.deepEqual(names(s.generators), ['*-pw', 'fixed']);
  const pw = byName(s.generators, '*-pw');
  assert.deepEqual(pw.files.map((f) => f.name), ['k']);
  assert.deepEqual(s.patternSets, [{ generator: pw, range: span(nix, `lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-pw" { files.k = { }; }) cfg.users`) }]);
  const fixedOnly = `{ lib, cfg, ... }: { ${GEN} = lib.mapAttrs' (u: _: lib.nameValuePair "fixed" { }) cfg.x; }`;
  assert.equal('patternSets' in (await scan(fixedOnly)), false);
});

test('module walk: a name written at several places is one generator with the later places as aliases, each once', async () => {
  // `s` is read in both branches of the if: its place is the same, so it is one alias
  const nix = `{ lib, c, ... }: let s = { x = { files.k = { }; }; }; in {\n  ${GEN} = lib.mkMerge [ { x.script = "s"; } (if c then s else s) ];\n}`;
  const s = await scan(nix);
  assert.equal(s.generators.length, 1);
  const [x] = s.generators;
  // first read at `x.script` in the list, then at `x` in the let-bound set
  assert.deepEqual(x.name.range, span(nix, 'x', 1));
  assert.deepEqual(x.aliases, [{ name: 'x', pattern: null, range: span(nix, 'x', 0) }]);
});

// ---------------------------------------------------------------------------------------------
// The walk's bound (MAX_DEPTH nested values), which keeps a hostile file from exhausting the stack:
// a generator nested within it is read, one nested past it is not. The module's file is depth 0
// and each wrapper one level more, so the module inside n wrappers is at depth n (plus the
// `imports` binding for lists); set values and a generator's body count from their binding on.

const MOD = `{ ${GEN}.a = { script = "x"; }; }`;
const moduleNests: Record<string, (n: number) => string> = {
  lets: (n) => 'let v = 1; in '.repeat(n) + MOD,
  functions: (n) => 'x: '.repeat(n) + MOD,
  withs: (n) => 'with v; '.repeat(n) + MOD,
  asserts: (n) => 'assert c; '.repeat(n) + MOD,
  ifs: (n) => 'if c then '.repeat(n) + MOD + ' else { }'.repeat(n),
  merges: (n) => '{ } // ('.repeat(n) + MOD + ')'.repeat(n),
  mkIfs: (n) => 'lib.mkIf c ('.repeat(n) + MOD + ')'.repeat(n),
  calls: (n) => 'f ('.repeat(n) + MOD + ')'.repeat(n),
  lists: (n) => `{ imports = ${'[ '.repeat(n - 1)}${MOD}${' ]'.repeat(n - 1)}; }`,
};

test(`depth bound: a module nested in ${MAX_DEPTH - 1} values is read, in ${MAX_DEPTH} not`, async () => {
  for (const [kind, nest] of Object.entries(moduleNests)) {
    assert.deepEqual(names((await scan(nest(MAX_DEPTH - 1))).generators), ['a'], kind);
    assert.deepEqual(names((await scan(nest(MAX_DEPTH))).generators), [], kind);
  }
});

test('depth bound: a generator set and a generator’s body nested past the bound are not read', async () => {
  // the set of generators is at depth 2 (module 1, its binding's value 2), each wrapper one more
  const setNests: Record<string, (n: number) => string> = {
    merges: (n) => `{ ${GEN} = ${'{ } // ('.repeat(n)}{ a = { }; }${')'.repeat(n)}; }`,
    ifs: (n) => `{ ${GEN} = ${'if c then '.repeat(n)}{ a = { }; }${' else { }'.repeat(n)}; }`,
    lets: (n) => `{ ${GEN} = ${'let v = 1; in '.repeat(n)}{ a = { }; }; }`,
    mkIfs: (n) => `{ ${GEN} = ${'lib.mkIf c ('.repeat(n)}{ a = { }; }${')'.repeat(n)}; }`,
    mkMerges: (n) => `{ ${GEN} = ${'lib.mkMerge [ ('.repeat(n)}{ a = { }; }${') ]'.repeat(n)}; }`,
  };
  for (const [kind, nest] of Object.entries(setNests)) {
    assert.deepEqual(names((await scan(nest(MAX_DEPTH - 2))).generators), ['a'], kind);
    assert.deepEqual(names((await scan(nest(MAX_DEPTH - 1))).generators), [], kind);
  }
  // the generator's body is at depth 3; a submodule function each one more
  const body = (n: number) => `{ ${GEN}.a = ${'x: '.repeat(n)}{ files.k = { }; }; }`;
  assert.deepEqual((await scan(body(MAX_DEPTH - 3))).generators[0].files.map((f) => f.name), ['k']);
  assert.deepEqual((await scan(body(MAX_DEPTH - 2))).generators[0].files, []);
});
