// How the generator reader reads a value inside a generator (facts/generatorValues.ts): an
// option's value with its ranges, kind, literal and text (cut at 200 characters), whether it is
// certainly a list and, when every part is known, its elements; wrappers (`lib.mkForce`, ...)
// looked through, let-bound names followed, and names computed from let-bound strings. Every rule
// about runtimeInputs, dependencies or a generator's name reads these facts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import { withTree } from '../helpers/parsedNix';
import { span } from '../helpers/textPlaces';
import type { FileFacts, Generator, OptionValue } from '../../server/src/facts/types';


const factsOf = (nix: string): Promise<FileFacts> => withTree(nix, (tree) => extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, nix));

/** A NixOS module declaring generator `g` with `body` in its set, under the let bindings `lets`. */
function module(body: string, lets = ''): string {
  return `{ config, lib, pkgs, ... }:\n${lets ? `let\n  ${lets}\nin\n` : ''}{\n  clan.core.vars.generators.g = {\n    ${body}\n  };\n}\n`;
}

async function generatorG(nix: string): Promise<Generator> {
  const found = (await factsOf(nix)).generators.filter((g) => g.name.name === 'g');
  assert.equal(found.length, 1, nix);
  return found[0];
}

function optionAt(g: Generator, path: string): OptionValue {
  const o = g.options.find((x) => x.path.join('.') === path);
  assert.ok(o, `no option ${path} among ${g.options.map((x) => x.path.join('.')).join(', ')}`);
  return o;
}

/** What a rule reads of a list-valued option: whether it is certainly a list, and its elements when all are known. */
function listReading(o: OptionValue): { list: boolean; elements: string[] | null } {
  return { list: o.list === true, elements: o.elements ? o.elements.map((e) => e.text) : null };
}

interface ListCase {
  name: string;
  value: string;
  lets?: string;
  list: boolean;
  elements: string[] | null;
}

const LIST_CASES: ListCase[] = [
  { name: 'a list', value: '[ pkgs.jq pkgs.git ]', list: true, elements: ['pkgs.jq', 'pkgs.git'] },
  { name: 'two lists joined with ++', value: '[ pkgs.jq ] ++ [ pkgs.git ]', list: true, elements: ['pkgs.jq', 'pkgs.git'] },
  // what config.extraInputs holds is not known, so no element list may be claimed complete
  { name: 'a list ++ an option of the module', value: '[ pkgs.jq ] ++ config.extraInputs', list: true, elements: null },
  { name: 'an option of the module ++ a list', value: 'config.extraInputs ++ [ pkgs.jq ]', list: true, elements: null },
  { name: '`with pkgs;` before the list', value: 'with pkgs; [ jq git ]', list: true, elements: ['jq', 'git'] },
  { name: '`let ... in` around the list', value: 'let extra = [ ]; in [ pkgs.jq ]', list: true, elements: ['pkgs.jq'] },
  { name: 'a let-bound list ++ a list', value: 'tools ++ [ pkgs.git ]', lets: 'tools = [ pkgs.jq ];', list: true, elements: ['pkgs.jq', 'pkgs.git'] },
  { name: 'a let-bound element, resolved', value: '[ jq ]', lets: 'jq = pkgs.jq;', list: true, elements: ['pkgs.jq'] },
  { name: 'comments between the elements', value: '[ pkgs.jq /* the JSON tool */ pkgs.git ]', list: true, elements: ['pkgs.jq', 'pkgs.git'] },
  { name: '`assert c;` before the list (a list, its elements not read)', value: 'assert config.ok; [ pkgs.jq ]', list: true, elements: null },
  { name: 'if with a list in both branches', value: 'if config.a then [ pkgs.jq ] else [ ]', list: true, elements: null },
  { name: 'if with a wrapped list in one branch', value: 'if config.a then lib.mkDefault [ pkgs.jq ] else [ ]', list: true, elements: null },
  { name: 'if with a let-bound list in one branch', value: 'if config.a then tools else [ ]', lets: 'tools = [ pkgs.jq ];', list: true, elements: null },
  { name: 'if with a let-bound string in one branch', value: 'if config.a then tool else [ ]', lets: 'tool = "jq";', list: false, elements: null },
  { name: 'if with an option of the module in one branch', value: 'if config.a then config.tools else [ ]', list: false, elements: null },
  { name: 'map over an option', value: 'map (p: p.bin) config.tools', list: true, elements: null },
  { name: 'map given only its function (a function, not a list)', value: 'map toString', list: false, elements: null },
  { name: 'map hidden by a let binding of the same name', value: 'map toString config.tools', lets: 'map = f: xs: xs;', list: false, elements: null },
  { name: 'lib.attrNames', value: 'lib.attrNames config.users', list: true, elements: null },
  { name: 'builtins.attrValues', value: 'builtins.attrValues config.users', list: true, elements: null },
  { name: 'pkgs.lib.optionals', value: 'pkgs.lib.optionals config.a [ pkgs.jq ]', list: true, elements: null },
  { name: 'lib.lists.unique', value: 'lib.lists.unique config.tools', list: true, elements: null },
  { name: 'lib.strings.splitString', value: 'lib.strings.splitString "," config.names', list: true, elements: null },
  { name: 'lib.sublist with its three arguments', value: 'lib.sublist 0 2 config.tools', list: true, elements: null },
  { name: 'a function of a library of the user (lib.custom.map)', value: 'lib.custom.map toString config.tools', list: false, elements: null },
  { name: 'a map of another set (mylib.map)', value: 'mylib.map toString config.tools', list: false, elements: null },
  { name: 'filter written bare (not a builtin in scope)', value: 'filter (p: p != null) config.tools', list: false, elements: null },
  { name: 'lib.mapAttrs (returns a set)', value: 'lib.mapAttrs (n: v: v) config.users', list: false, elements: null },
  { name: 'a lambda applied in place', value: '(f: f) [ pkgs.jq ]', list: false, elements: null },
  // mkMerge merges its definitions: its list argument's elements are definitions, not elements
  { name: 'lib.mkMerge of two lists', value: 'lib.mkMerge [ [ pkgs.jq ] [ pkgs.git ] ]', list: false, elements: null },
  // a let name spelled with a dot is no variable: `config.tools` stays a read of the option
  { name: 'a select whose text is a quoted let name', value: 'config.tools', lets: '"config.tools" = [ pkgs.jq ];', list: false, elements: null },
];

for (const c of LIST_CASES) {
  test(`runtimeInputs = ${c.value}${c.lets ? ` (let ${c.lets})` : ''}: ${c.name}`, async () => {
    const g = await generatorG(module(`runtimeInputs = ${c.value};`, c.lets));
    assert.deepEqual(listReading(optionAt(g, 'runtimeInputs')), { list: c.list, elements: c.elements });
  });
}

test('a Boolean made by comparing lists (`validation.x = config.peers != [ ]`, `[ a ] == [ b ]`) is no list and has no elements', async () => {
  const g = await generatorG(module('validation.some = config.peers != [ ];\n    validation.same = [ config.a ] == [ config.b ];'));
  assert.deepEqual(listReading(optionAt(g, 'validation.some')), { list: false, elements: null });
  assert.deepEqual(listReading(optionAt(g, 'validation.same')), { list: false, elements: null });
  assert.equal(optionAt(g, 'validation.same').kind, 'binary_expression');
});

const WRAPPERS = ['lib.mkForce', 'lib.mkDefault', 'lib.mkOverride 900', 'lib.mkBefore', 'lib.mkAfter', 'lib.mkOrder 500', 'lib.mkIf config.a', 'lib.mkForce (lib.mkDefault', 'mkForce'];

for (const w of WRAPPERS) {
  test(`runtimeInputs = ${w} [ pkgs.jq ]: the option's value is the list inside the wrapper`, async () => {
    const close = w.includes('(') ? ')' : '';
    const nix = module(`runtimeInputs = ${w} [ pkgs.jq ]${close};`);
    const o = optionAt(await generatorG(nix), 'runtimeInputs');
    assert.deepEqual(
      { kind: o.kind, valueRange: o.valueRange, text: o.text, ...listReading(o) },
      { kind: 'list_expression', valueRange: span(nix, '[ pkgs.jq ]'), text: '[ pkgs.jq ]', list: true, elements: ['pkgs.jq'] },
    );
  });
}

test('validation = lib.optionalAttrs c { host = "x"; }: the value is the set inside', async () => {
  const nix = module('validation = lib.optionalAttrs config.a { host = "x"; };');
  const o = optionAt(await generatorG(nix), 'validation');
  assert.deepEqual({ kind: o.kind, valueRange: o.valueRange }, { kind: 'attrset_expression', valueRange: span(nix, '{ host = "x"; }') });
});

test('an option under mkMerge stays the mkMerge call: its definitions are merged, not one value', async () => {
  const nix = module('runtimeInputs = lib.mkMerge [ [ pkgs.jq ] [ pkgs.git ] ];');
  const o = optionAt(await generatorG(nix), 'runtimeInputs');
  assert.deepEqual({ kind: o.kind, valueRange: o.valueRange }, { kind: 'apply_expression', valueRange: span(nix, 'lib.mkMerge [ [ pkgs.jq ] [ pkgs.git ] ]') });
});

test('an option read as written: path, the range of its last name, its value, kind and literal', async () => {
  const nix = module('files.k.mode = "0400";\n    validation.port = (22);');
  const g = await generatorG(nix);
  const mode = optionAt(g, 'files.k.mode');
  assert.deepEqual(
    { path: mode.path, keyRange: mode.keyRange, valueRange: mode.valueRange, kind: mode.kind, literal: mode.literal, text: mode.text },
    { path: ['files', 'k', 'mode'], keyRange: span(nix, 'mode'), valueRange: span(nix, '"0400"'), kind: 'string_expression', literal: '0400', text: '"0400"' },
  );
  const port = optionAt(g, 'validation.port');
  assert.deepEqual({ kind: port.kind, literal: port.literal, text: port.text, keyRange: port.keyRange }, { kind: 'integer_expression', literal: 22, text: '22', keyRange: span(nix, 'port') });
});

test("a value's text is kept whole up to 200 characters and cut there with an ellipsis beyond; the same for each element", async () => {
  // a quoted string of n characters is n + 2 characters of text
  const whole = `"${'a'.repeat(198)}"`;
  const long = `"${'b'.repeat(199)}"`;
  const g = await generatorG(module(`validation.whole = ${whole};\n    validation.long = ${long};\n    runtimeInputs = [ ${whole} ${long} ];`));
  assert.equal(optionAt(g, 'validation.whole').text, whole);
  assert.equal(optionAt(g, 'validation.long').text, `${long.slice(0, 200)}…`);
  assert.deepEqual(
    optionAt(g, 'runtimeInputs').elements!.map((e) => e.text),
    [whole, `${long.slice(0, 200)}…`],
  );
  assert.equal(optionAt(g, 'runtimeInputs').text.length, 201);
});

test('an element written in parentheses is read inside them: its literal, kind and range are the string\'s', async () => {
  const nix = module('runtimeInputs = [ ("jq") ];');
  const [e] = optionAt(await generatorG(nix), 'runtimeInputs').elements!;
  assert.deepEqual(e, { literal: 'jq', range: span(nix, '"jq"'), kind: 'string_expression', text: '"jq"' });
});

test('`inherit (cfg) runtimeInputs;` in a generator: an option of unknown value named and placed at the inherited name', async () => {
  const nix = module('inherit (config.x) runtimeInputs;\n    files.${config.name} = { inherit (config.y) mode; };');
  const g = await generatorG(nix);
  const at = span(nix, 'runtimeInputs');
  assert.deepEqual(optionAt(g, 'runtimeInputs'), { path: ['runtimeInputs'], keyRange: at, valueRange: at, kind: 'unknown', literal: undefined, text: 'runtimeInputs' });
  // a file whose name is computed: its option's path has `*` for that name
  const mode = span(nix, 'mode');
  assert.deepEqual(optionAt(g, 'files.*.mode'), { path: ['files', '*', 'mode'], keyRange: mode, valueRange: mode, kind: 'unknown', literal: undefined, text: 'mode' });
});

interface LoopCase {
  lets: string;
  list: boolean;
  kind: string;
}

// Nix would never finish evaluating these; the reader must stop and claim nothing it cannot know
const LOOP_CASES: LoopCase[] = [
  { lets: 'a = b; b = a;', list: false, kind: 'variable_expression' },
  { lets: 'a = b; b = c; c = a;', list: false, kind: 'variable_expression' },
  { lets: 'a = with pkgs; a;', list: false, kind: 'with_expression' },
  { lets: 'a = assert true; a;', list: false, kind: 'assert_expression' },
  { lets: 'a = let z = 1; in a;', list: false, kind: 'let_expression' },
  { lets: 'a = if config.x then a else [ ];', list: false, kind: 'if_expression' },
  { lets: 'a = if config.x then [ ] else a;', list: false, kind: 'if_expression' },
  // `++` is a list whatever its parts, but its elements are never all known
  { lets: 'a = [ pkgs.jq ] ++ a;', list: true, kind: 'binary_expression' },
  { lets: 'a = a ++ [ pkgs.jq ];', list: true, kind: 'binary_expression' },
  { lets: 'a = lib.mkDefault a;', list: false, kind: 'apply_expression' },
];

for (const c of LOOP_CASES) {
  test(`runtimeInputs = a with \`let ${c.lets}\` (a value made of itself): the reading ends, no elements claimed`, { timeout: 20000 }, async () => {
    const g = await generatorG(module('runtimeInputs = a;', c.lets));
    const o = optionAt(g, 'runtimeInputs');
    assert.deepEqual({ kind: o.kind, ...listReading(o) }, { kind: c.kind, list: c.list, elements: null });
  });
}

/** The dependencies of generator `g`, each its name or pattern. */
async function dependencies(body: string, lets?: string): Promise<string[]> {
  return (await generatorG(module(body, lets))).dependencies.map((d) => d.name ?? `pattern ${d.pattern}`);
}

test('dependencies = [ "a" /* comment */ "b" ]: the comment is no dependency', async () => {
  assert.deepEqual(await dependencies('dependencies = [ "a" /* the CA */ "b" ];'), ['a', 'b']);
});

test('dependencies = [ "a" ] ++ more with `more` let-bound to a list: both parts read', async () => {
  assert.deepEqual(await dependencies('dependencies = [ "a" ] ++ more;', 'more = [ "b" ];'), ['a', 'b']);
});

test('dependencies = [ "a" ] ++ config.more: the known part is read, nothing invented for the other', async () => {
  assert.deepEqual(await dependencies('dependencies = [ "a" ] ++ config.more;'), ['a']);
});

test('dependencies = a with a, b, c let-bound to each other in a ring: no dependency, and the reading ends', { timeout: 20000 }, async () => {
  assert.deepEqual(await dependencies('dependencies = a;', 'a = b; b = c; c = a;'), []);
});

/** Each generator of the module: its name, or `pattern <p>` when computed, with its files. */
async function generatorNames(nix: string): Promise<string[]> {
  return (await factsOf(nix)).generators.map((g) => `${g.name.name ?? `pattern ${g.name.pattern}`} {${g.files.map((f) => f.name).join(',')}}`);
}

const atTop = (lets: string, body: string) => `{ config, lib, ... }:\nlet\n  ${lets}\nin {\n  ${body}\n}\n`;

interface NameCase {
  name: string;
  lets: string;
  body: string;
  expect: string[];
}

const NAME_CASES: NameCase[] = [
  { name: 'a computed name alone in a set of generators', lets: 'appName = "caddy";', body: 'clan.core.vars.generators = { ${appName} = { files.k = { }; }; };', expect: ['caddy {k}'] },
  { name: 'a comment inside the attribute path', lets: 'appName = "caddy";', body: 'clan.core.vars.generators./* the app */${appName}.files.k = { };', expect: ['caddy {k}'] },
  { name: 'a comment inside the interpolation', lets: 'appName = "caddy";', body: 'clan.core.vars.generators."${/* the app */ appName}-tls".files.k = { };', expect: ['caddy-tls {k}'] },
  { name: "a let-bound ''indented string''", lets: "appName = ''caddy'';", body: 'clan.core.vars.generators.${appName}.files.k = { };', expect: ['caddy {k}'] },
  // the spaces an indented string's line starts with are stripped, as Nix strips them; those an
  // interpolation at the start of the line gives are not (each checked with nix-instantiate)
  { name: "a let-bound ''indented string'' written with its indentation", lets: "appName = ''  caddy'';", body: 'clan.core.vars.generators.${appName}.files.k = { };', expect: ['caddy {k}'] },
  { name: "an indented name with its indentation and an interpolation", lets: 'x = "q";', body: "clan.core.vars.generators.${''  a-${x}''}.files.k = { };", expect: ['a-q {k}'] },
  { name: "an indented name of spaces and an interpolation alone", lets: 'x = "q";', body: "clan.core.vars.generators.${''  ${x}''}.files.k = { };", expect: ['q {k}'] },
  { name: "an indented name whose line starts with an interpolation", lets: 'x = " q";', body: "clan.core.vars.generators.${''${x}-a''}.files.k = { };", expect: [' q-a {k}'] },
  { name: "an indented name with spaces after an interpolation", lets: 'x = "q";', body: "clan.core.vars.generators.${''${x} b''}.files.k = { };", expect: ['q b {k}'] },
  { name: "an indented name with spaces inside its first part", lets: 'x = "q";', body: "clan.core.vars.generators.${''a b-${x}''}.files.k = { };", expect: ['a b-q {k}'] },
  // a name with an escape of its own is kept as written: the reader does not unescape into patterns
  { name: 'an escape in the name itself', lets: 'appName = "caddy";', body: 'clan.core.vars.generators."${appName}\\t".files.k = { };', expect: ['pattern *\t {k}'] },
  { name: 'a let-bound string with an escape', lets: 'suffix = "a\\tb";', body: 'clan.core.vars.generators."${suffix}-key".files.k = { };', expect: ['pattern *-key {k}'] },
  { name: 'a let-bound function applied to its argument', lets: 'genName = site: "token-${site}";', body: 'clan.core.vars.generators.${genName "a"}.files.k = { };', expect: ['pattern token-* {k}'] },
  { name: 'let-bound names bound to each other (a ring)', lets: 'a = b; b = a;', body: 'clan.core.vars.generators.${a}.files.k = { };', expect: ['pattern * {k}'] },
  { name: 'let-bound strings interpolating each other (a ring)', lets: 'a = "${b}"; b = "${a}";', body: 'clan.core.vars.generators."x-${a}".files.k = { };', expect: ['pattern x-* {k}'] },
];

for (const c of NAME_CASES) {
  test(`generator name through \`let ${c.lets}\`: ${c.name}`, { timeout: 20000 }, async () => {
    assert.deepEqual(await generatorNames(atTop(c.lets, c.body)), c.expect);
  });
}

/** A module whose generators are the set `set`: the generators read (name, files) and how many sets stay opaque. */
async function generatorSet(set: string): Promise<{ generators: string[]; opaque: number }> {
  const nix = `{ config, lib, ... }: {\n  clan.core.vars.generators = ${set};\n}\n`;
  const facts = await factsOf(nix);
  return { generators: await generatorNames(nix), opaque: facts.opaqueGeneratorSources.length };
}

const PAIR_CASES: { name: string; set: string; generators: string[] }[] = [
  { name: 'listToAttrs of { name; value; } pairs: one generator named by the pattern', set: 'builtins.listToAttrs (map (u: { name = "key-${u}"; value = { files.k = { }; }; }) config.users)', generators: ['pattern key-* {k}'] },
  { name: "mapAttrs' with lib.nameValuePair", set: 'lib.mapAttrs\' (u: _: lib.nameValuePair "key-${u}" { files.k = { }; }) config.users', generators: ['pattern key-* {k}'] },
  // without a value there is no pair, and no generator of that name
  { name: 'a set with a name but no value', set: 'builtins.listToAttrs (map (u: { name = "key-${u}"; }) config.users)', generators: [] },
  // `value.files.k` would have to be read as the set it makes; the reader does not guess it
  { name: 'a value written as a dotted path', set: 'builtins.listToAttrs (map (u: { name = "key-${u}"; value.files.k = { }; }) config.users)', generators: [] },
  // an extra attribute must not be taken for the value
  { name: 'a set with an attribute besides name and value', set: 'builtins.listToAttrs (map (u: { name = "key-${u}"; value = { files.k = { }; }; meta = { }; }) config.users)', generators: [] },
  { name: "mapAttrs' with a function other than nameValuePair", set: 'lib.mapAttrs\' (u: _: lib.makePair "key-${u}" { files.k = { }; }) config.users', generators: [] },
  { name: "mapAttrs' with nameValuePair given only the name", set: 'lib.mapAttrs\' (u: _: lib.nameValuePair "key-${u}") config.users', generators: [] },
  { name: 'a lambda applied in place', set: '(x: x) { a = { files.k = { }; }; }', generators: [] },
  // an indented string is its text with the indentation stripped, as Nix reads it (`''  abc''` is "abc")
  { name: "a name written as an indented string", set: "lib.mapAttrs' (u: _: lib.nameValuePair ''  abc'' { files.k = { }; }) config.users", generators: ['abc {k}'] },
];

for (const c of PAIR_CASES) {
  test(`clan.core.vars.generators = ${c.set}: ${c.name}`, async () => {
    const got = await generatorSet(c.set);
    assert.deepEqual(got, { generators: c.generators, opaque: c.generators.length ? 0 : 1 });
  });
}

test("lib.nameValuePair (\"key-${u}\") { ... }: the generator's name is placed at the string, not at its parentheses", async () => {
  const nix = `{ config, lib, ... }: {\n  clan.core.vars.generators = lib.mapAttrs' (u: _: lib.nameValuePair ("key-\${u}") { files.k = { }; }) config.users;\n}\n`;
  const [g] = (await factsOf(nix)).generators;
  assert.deepEqual(g.name, { name: null, pattern: 'key-*', range: span(nix, '"key-${u}"') });
});

test('a generator whose whole value is a lambda applied in place: its files are unknown, its value kept as written', async () => {
  const g = await generatorG(`{ config, lib, ... }: {\n  clan.core.vars.generators.g = (x: x) { files.k = { }; };\n}\n`);
  assert.deepEqual({ files: g.files, filesUnknown: g.filesUnknown }, { files: [], filesUnknown: true });
});
