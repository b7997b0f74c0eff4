// Where the generator reader's value reading (facts/generatorValues.ts) stops: chains of let-bound
// names, wrappers, `with`s, parentheses and function layers are read up to their limits and one
// step past gives the "unknown" answer (files unknown, no elements, a `*` pattern), never a throw or
// a guess; and a `listToAttrs` pair written as a `rec` set is read as Nix reads it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import { MAX_DEPTH } from '../../server/src/syntax/syntax';
import type { FileFacts, OptionValue } from '../../server/src/facts/types';
import { generatorLines } from '../helpers/generatorCases';
import { withTree } from '../helpers/parsedNix';

const factsOf = (nix: string): Promise<FileFacts> => withTree(nix, (tree) => extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, nix));

/** A module with the let bindings `lets` and the bindings `body` at its top. */
function moduleOf(lets: string, body: string): string {
  return `{ config, lib, pkgs, ... }:\nlet\n  z = 0;\n  ${lets}\nin {\n  ${body}\n}\n`;
}

/**
 * The same module with its set behind `asserts` times `assert true;`: the reader walks its set at
 * depth 3 + asserts (the file, the function, the let, each assert), and reads the value of a
 * binding written there `clan.core.vars.generators.g.<...> = v` at depth 4 + asserts.
 */
function deepModule(lets: string, asserts: number, body: string): string {
  return `{ config, lib, pkgs, ... }:\nlet\n  z = 0;\n  ${lets}\nin\n${'assert true;\n'.repeat(asserts)}{\n  ${body}\n}\n`;
}

/** `a0 = a1; a1 = a2; ... a<k-1> = <end>;`: a0 names `end` through k let-bound names. */
function chain(k: number, end: string): string {
  return Array.from({ length: k }, (_, i) => `a${i} = ${i === k - 1 ? end : `a${i + 1}`};`).join(' ');
}

const lines = async (nix: string): Promise<string[]> => generatorLines(await factsOf(nix));
const names = async (nix: string): Promise<string[]> => (await factsOf(nix)).generators.map((g) => g.name.name ?? `pattern ${g.name.pattern}`);

async function option(nix: string, path: string): Promise<OptionValue> {
  const [g] = (await factsOf(nix)).generators;
  const o = g?.options.find((x) => x.path.join('.') === path);
  assert.ok(o, `no option ${path}`);
  return o;
}

test("a generator's set reached through 20 let-bound names is read; through 21 its files are unknown (the chain is cut, nothing guessed)", async () => {
  const g = 'clan.core.vars.generators.g = a0;';
  assert.deepEqual(await lines(moduleOf(chain(20, '{ files.k = { }; }'), g)), ['g [] {k}']);
  assert.deepEqual(await lines(moduleOf(chain(21, '{ files.k = { }; }'), g)), ['g [] {?}']);
});

test('near the depth limit a let-bound chain is followed only as far as the limit: read at depth 395 through 5 names, not through 6', async () => {
  // the generator's value is read at depth 4 + asserts = MAX_DEPTH - 5
  const asserts = MAX_DEPTH - 5 - 4;
  const g = 'clan.core.vars.generators.g = a0;';
  assert.deepEqual(await lines(deepModule(chain(5, '{ files.k = { }; }'), asserts, g)), ['g [] {k}']);
  assert.deepEqual(await lines(deepModule(chain(6, '{ files.k = { }; }'), asserts, g)), ['g [] {?}']);
});

test('a value under 10 wrappers (lib.mkForce ...) is the value inside them; under 11 the value read is the innermost wrapper call', async () => {
  const wrapped = (k: number) => `runtimeInputs = ${'lib.mkForce ('.repeat(k)}[ pkgs.jq ]${')'.repeat(k)};`;
  const read = async (k: number) => {
    const o = await option(moduleOf('', `clan.core.vars.generators.g = { ${wrapped(k)} };`), 'runtimeInputs');
    return { kind: o.kind, text: o.text };
  };
  assert.deepEqual(await read(10), { kind: 'list_expression', text: '[ pkgs.jq ]' });
  assert.deepEqual(await read(11), { kind: 'apply_expression', text: 'lib.mkForce ([ pkgs.jq ])' });
});

test("a wrapper's let-bound argument near the depth limit: followed while the depth allows (at 397), cut one level deeper (at 398)", async () => {
  const lets = 'a = b; b = [ pkgs.jq ];';
  const body = 'clan.core.vars.generators.g.runtimeInputs = lib.mkForce (lib.mkForce a);';
  const read = async (depth: number) => {
    const o = await option(deepModule(lets, depth - 4, body), 'runtimeInputs');
    return { kind: o.kind, text: o.text };
  };
  // at 397 the inner wrapper's argument `a` is read at 398: two names followed, to the list
  assert.deepEqual(await read(MAX_DEPTH - 3), { kind: 'list_expression', text: '[ pkgs.jq ]' });
  // at 398 it is read at 399: one name followed, `b` left unread
  assert.deepEqual(await read(MAX_DEPTH - 2), { kind: 'variable_expression', text: 'b' });
});

/** `with pkgs;` k times before `value`. */
const withs = (k: number, value: string) => `${'with pkgs; '.repeat(k)}${value}`;

test('a list behind `with pkgs;` up to the depth limit is a list with its elements; one `with` more, neither is claimed', async () => {
  // the option's value is read at depth 5 (the file, the function, the let, the set, the generator): the list after k `with`s at 5 + k
  const read = async (k: number) => {
    const o = await option(moduleOf('', `clan.core.vars.generators.g = { runtimeInputs = ${withs(k, '[ pkgs.jq ]')}; };`), 'runtimeInputs');
    return { list: o.list === true, elements: o.elements?.map((e) => e.text) ?? null };
  };
  assert.deepEqual(await read(MAX_DEPTH - 5), { list: true, elements: ['pkgs.jq'] });
  assert.deepEqual(await read(MAX_DEPTH - 4), { list: false, elements: null });
});

test('dependencies behind `with pkgs;` up to the depth limit are read; one `with` more, none are claimed and the reading does not throw', async () => {
  const deps = async (k: number) => (await factsOf(moduleOf('', `clan.core.vars.generators.g = { dependencies = ${withs(k, '[ "a" ]')}; };`))).generators[0].dependencies.map((d) => d.name ?? `pattern ${d.pattern}`);
  // read at depth 5 as the option above
  assert.deepEqual(await deps(MAX_DEPTH - 5), ['a']);
  assert.deepEqual(await deps(MAX_DEPTH - 4), []);
});

test('a dependency in 400 parentheses is read; in 401 it is a value the reader does not look into (a dependency of unknown name)', async () => {
  const deps = async (k: number) => (await factsOf(moduleOf('', `clan.core.vars.generators.g = { dependencies = [ ${'('.repeat(k)}"a"${')'.repeat(k)} ]; };`))).generators[0].dependencies.map((d) => d.name ?? `pattern ${d.pattern}`);
  assert.deepEqual(await deps(MAX_DEPTH), ['a']);
  assert.deepEqual(await deps(MAX_DEPTH + 1), ['pattern *']);
});

test('a computed generator name at the depth limit (a set at depth 400) is read through its let-bound string; a set one level deeper is not walked', async () => {
  const body = 'clan.core.vars.generators.${appName}.files.k = { };';
  assert.deepEqual(await names(deepModule('appName = "caddy";', MAX_DEPTH - 3, body)), ['caddy']);
  assert.deepEqual(await names(deepModule('appName = "caddy";', MAX_DEPTH - 2, body)), []);
});

interface PatternCase {
  name: string;
  lets: string;
  key: string;
  expect: string[];
}

/** `a0 = "${a1}"; ... a<k-1> = "caddy";`: strings interpolating the next. */
const stringChain = (k: number) => Array.from({ length: k }, (_, i) => `a${i} = ${i === k - 1 ? '"caddy"' : `"\${a${i + 1}}"`};`).join(' ');
/** `f0 = x: f1 x; ... f<k-1> = x: "caddy";`: functions applying the next. */
const fnChain = (k: number) => Array.from({ length: k }, (_, i) => `f${i} = x: ${i === k - 1 ? '"caddy"' : `f${i + 1} x`};`).join(' ');
const params = (k: number) => Array.from({ length: k }, (_, i) => `p${i}: `).join('');
const argsOf = (k: number) => Array.from({ length: k }, (_, i) => ` ${i}`).join('');

// a name is read through at most 20 steps (an interpolation, a let-bound name, a function's body);
// past them the part is `*`, a pattern that still matches what Nix makes
const PATTERN_CASES: PatternCase[] = [
  // `${a0}` is step 1, each name one more: "caddy" is step 20 with 19 names
  { name: '19 let-bound names (the 20th step)', lets: chain(19, '"caddy"'), key: '${a0}', expect: ['caddy'] },
  { name: '20 let-bound names (a 21st step)', lets: chain(20, '"caddy"'), key: '${a0}', expect: ['pattern *'] },
  // each string interpolating the next is three steps (the string, its interpolation, the name)
  { name: '6 strings interpolating each other (18 steps)', lets: stringChain(6), key: '"x-${a0}"', expect: ['x-caddy'] },
  { name: '7 strings interpolating each other (21 steps)', lets: stringChain(7), key: '"x-${a0}"', expect: ['pattern x-*'] },
  // each function applied is one step more: its body "caddy" is step 20 with 19 functions
  { name: '19 functions applying each other (the 20th step)', lets: fnChain(19), key: '${f0 "a"}', expect: ['caddy'] },
  { name: '20 functions applying each other (a 21st step)', lets: fnChain(20), key: '${f0 "a"}', expect: ['pattern *'] },
  { name: 'a function applying itself (Nix never ends)', lets: 'f = x: f x;', key: '${f "a"}', expect: ['pattern *'] },
  // up to 10 parameters are read; an eleventh is a function the reader does not enter
  { name: 'a function of 10 parameters given 10 arguments', lets: `f = ${params(10)}"caddy";`, key: `\${f${argsOf(10)}}`, expect: ['caddy'] },
  { name: 'a function of 11 parameters given 11 arguments', lets: `f = ${params(11)}"caddy";`, key: `\${f${argsOf(11)}}`, expect: ['pattern *'] },
  // `gen.name` selects from the set gen (Nix: "other-a"); the let name spelled "gen.name" is another binding
  { name: 'a function selected from a set, beside a let name spelled like the select', lets: 'gen = { name = x: "other-${x}"; }; "gen.name" = x: "caddy";', key: '${gen.name "a"}', expect: ['pattern *'] },
];

for (const c of PATTERN_CASES) {
  test(`generator name ${c.key} through ${c.name}: ${c.expect.join(', ')}`, { timeout: 20000 }, async () => {
    assert.deepEqual(await names(moduleOf(c.lets, `clan.core.vars.generators.${c.key}.files.k = { };`)), c.expect);
  });
}

/** The generators of `clan.core.vars.generators = <set>` under `lets`, and how many sets stay opaque. */
async function generatorSet(set: string, lets = ''): Promise<{ generators: string[]; opaque: number }> {
  const facts = await factsOf(moduleOf(lets, `clan.core.vars.generators = ${set};`));
  return { generators: generatorLines(facts), opaque: facts.opaqueGeneratorSources.length };
}

test('listToAttrs of `rec { name = ...; value = ...; }` pairs: one generator named by the pattern (Nix reads a rec pair as a plain one)', async () => {
  // nix-instantiate: listToAttrs (map (u: rec { name = "key-${u}"; value = ...; }) [ "a" ]) is { key-a = ...; }
  assert.deepEqual(await generatorSet('builtins.listToAttrs (map (u: rec { name = "key-${u}"; value = { files.k = { }; }; }) config.users)'), { generators: ['key-* [] {k}'], opaque: 0 });
});

test("in a rec pair, `name` is the pair's own name; in a plain pair, the outer let's: a file named `${name}`", async () => {
  // nix-instantiate, with let name = "x": files.${name} is files.key-a inside the rec pair, files.x inside the plain one
  const pair = (rec: string) => `builtins.listToAttrs (map (u: ${rec}{ name = "key-\${u}"; value = { files.\${name} = { }; }; }) config.users)`;
  assert.deepEqual(await generatorSet(pair('rec '), 'name = "x";'), { generators: ['key-* [] {?}'], opaque: 0 });
  assert.deepEqual(await generatorSet(pair(''), 'name = "x";'), { generators: ['key-* [] {x}'], opaque: 0 });
});

test("a let's own bindings named name and value are never taken for the pair (past the 10 lets read, the set stays opaque)", async () => {
  const lets = 'let l = 0; in '.repeat(10);
  const set = `builtins.listToAttrs (map (u: ${lets}let name = "wrong"; value = { files.w = { }; }; in { name = "key-\${u}"; value = { files.k = { }; }; }) config.users)`;
  assert.deepEqual(await generatorSet(set), { generators: [], opaque: 1 });
});
