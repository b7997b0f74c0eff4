// The places of a generator's parts the reader (server/src/facts/generators.ts) records: the
// conditions each place of a generator, file and prompt is written under, the ranges a fix removes
// a file's bindings with, where it inserts into a generator, the migration comment, and the values
// it reads beside the options (share, dependencies, script, deploy, what `inherit` leaves unknown).
// Expected values are read off the Nix text by hand; `at`/`span` only find a piece of the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'node:path';
import { extractGenerators } from '../../server/src/facts/generators';
import type { Generator, GeneratorCondition, SettingTest } from '../../server/src/facts/types';
import type { Range } from '../../server/src/base/types';
import { withRoot } from '../helpers/parsedNix';
import { at, span } from '../helpers/textPlaces';

const FILE = '/clan/modules/m.nix';
const resolvePath = (rel: string) => path.resolve(path.dirname(FILE), rel);


const generators = (nix: string): Promise<Generator[]> => withRoot(nix, (root) => extractGenerators(root, FILE, resolvePath, nix).generators);

function gen(gs: Generator[], name: string): Generator {
  const g = gs.find((x) => (x.name.name ?? x.name.pattern) === name);
  assert.ok(g, `no generator ${name}`);
  return g;
}

/** The range of the name `needle` starts with (`x` of `x.files`, `p` of `p = `). */
function nameSpan(nix: string, needle: string, nth = 0): Range {
  const start = at(nix, needle, nth);
  return { start, end: { line: start.line, character: start.character + needle.split(/[ .=;]/)[0].length } };
}

/** The whole lines `first` to `last`, as a removal of a binding alone on its lines. */
const lines = (first: number, last = first): Range => ({ start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } });

const GEN = 'clan.core.vars.generators';

/** A clan service whose role's perInstance module holds `body` (so `settings.x` are the role's settings). */
const service = (body: string) => `{ lib, ... }: {\n  roles.default.perInstance = { settings, ... }: {\n    nixosModule = {\n${body}\n    };\n  };\n}`;

/** A place written at `name` (its `nth` occurrence) under conditions starting at `cond`. */
function placed(nix: string, name: [string, number], cond: string, tests: SettingTest[] | null): GeneratorCondition {
  return { at: at(nix, name[0], name[1]), line: at(nix, cond).line, tests };
}

// ---------------------------------------------------------------------------------------------
// Conditions: a generator (file, prompt) whose every place is under lib.mkIf / optionalAttrs / if
// has them, per place; one unconditional place makes it unconditional (no `conditions`).

test('conditions: the wrappers of a generator’s own value, through mkDefault and a let-bound name, first condition’s line', async () => {
  const nix = service(`      ${GEN}.x = lib.mkDefault (lib.mkIf settings.a (\n        lib.mkIf settings.b { files.k = { }; }));\n      ${GEN}.y = v;`).replace('{ lib, ... }:', '{ lib, ... }: let v = lib.optionalAttrs (!settings.c) { }; in');
  const gs = await generators(nix);
  assert.deepEqual(gen(gs, 'x').conditions, [
    placed(nix, ['x = ', 0], 'settings.a', [
      { setting: 'a', is: true },
      { setting: 'b', is: true },
    ]),
  ]);
  // `settings` outside perInstance tests nothing the model knows: tests null
  assert.deepEqual(gen(gs, 'y').conditions, [placed(nix, ['y = ', 0], 'lib.optionalAttrs', null)]);
  assert.equal(gen(gs, 'x').files[0].conditions, undefined, 'the file is as conditional as its generator, no more');
});

test('conditions: each place of a generator, in order; one place without any makes it unconditional', async () => {
  const both = service(`      ${GEN} = lib.mkMerge [\n        (lib.mkIf settings.a { x.files.k = { }; })\n        (lib.mkIf (!settings.b) { x.script = "s"; })\n      ];`);
  assert.deepEqual(gen(await generators(both), 'x').conditions, [
    placed(both, ['x.files', 0], 'settings.a', [{ setting: 'a', is: true }]),
    placed(both, ['x.script', 0], '!settings.b', [{ setting: 'b', is: false }]),
  ]);
  const one = service(`      ${GEN} = lib.mkMerge [\n        (lib.mkIf settings.a { x.files.k = { }; })\n        { x.script = "s"; }\n      ];`);
  assert.equal(gen(await generators(one), 'x').conditions, undefined);
});

test('conditions: a place read twice (a let-bound set in mkMerge) is unconditional once it is read without any', async () => {
  for (const list of ['s (lib.mkIf settings.a s)', '(lib.mkIf settings.a s) s']) {
    const nix = service(`      ${GEN} = let s = { x = { files.k = { }; }; }; in lib.mkMerge [ ${list} ];`);
    const x = gen(await generators(nix), 'x');
    assert.equal(x.conditions, undefined, list);
    assert.equal(x.files[0].conditions, undefined, list);
  }
});

test('conditions: an if in the module and in the generator set: the branches test the condition and its negation', async () => {
  const inModule = service(`      imports = [ (if settings.a then { ${GEN}.x = { }; } else { ${GEN}.y = { }; }) ];`);
  let gs = await generators(inModule);
  assert.deepEqual(gen(gs, 'x').conditions, [placed(inModule, ['x = ', 0], 'settings.a', [{ setting: 'a', is: true }])]);
  assert.deepEqual(gen(gs, 'y').conditions, [placed(inModule, ['y = ', 0], 'settings.a', [{ setting: 'a', is: false }])]);
  const inSet = service(`      ${GEN} = if settings.l != [ ] then { x = { }; } else { y = { }; };`);
  gs = await generators(inSet);
  assert.deepEqual(gen(gs, 'x').conditions, [placed(inSet, ['x = ', 0], 'settings.l', [{ setting: 'l', is: 'nonEmpty' }])]);
  assert.deepEqual(gen(gs, 'y').conditions, [placed(inSet, ['y = ', 0], 'settings.l', [{ setting: 'l', is: 'empty' }])]);
});

test('conditions: under mkMerge a generator’s value is unconditional (the merge of nothing is still a set)', async () => {
  const nix = service(`      ${GEN}.x = lib.mkMerge [ (lib.mkIf settings.a { files.k = { }; }) ];`);
  assert.equal(gen(await generators(nix), 'x').conditions, undefined);
});

test('conditions: a file or prompt under a condition has it; the generator and a file whose setting is conditional do not', async () => {
  const nix = service(
    [
      `      ${GEN}.x.files.k = lib.mkIf settings.a { secret = false; };`,
      `      ${GEN}.x.files.s.secret = lib.mkIf settings.b false;`,
      `      ${GEN}.x.files.m = lib.mkDefault { };`,
      `      ${GEN}.y = { files = { k = lib.mkIf settings.c { }; }; prompts.p = lib.mkIf settings.d { }; };`,
      `      ${GEN}.z.files.k = lib.mkIf settings.e { };`,
      `      ${GEN}.w = f (lib.mkIf settings.f { });`,
    ].join('\n'),
  );
  const gs = await generators(nix);
  const [x, y] = [gen(gs, 'x'), gen(gs, 'y')];
  assert.equal(x.conditions, undefined);
  assert.deepEqual(
    x.files.map((f) => [f.name, f.conditions]),
    [
      ['k', [placed(nix, ['k = ', 0], 'settings.a', [{ setting: 'a', is: true }])]],
      ['s', undefined],
      ['m', undefined],
    ],
  );
  assert.equal(y.conditions, undefined);
  // a binding below the generator (z.files.k) or a function's argument (w = f (mkIf ...)) does not condition it
  assert.equal(gen(gs, 'z').conditions, undefined);
  assert.equal(gen(gs, 'w').conditions, undefined);
  assert.deepEqual(y.files[0].conditions, [placed(nix, ['k = ', 1], 'settings.c', [{ setting: 'c', is: true }])]);
  assert.deepEqual(y.prompts, [{ name: 'p', range: nameSpan(nix, 'p = '), conditions: [placed(nix, ['p = ', 0], 'settings.d', [{ setting: 'd', is: true }])] }]);
});

// ---------------------------------------------------------------------------------------------
// Removals: each binding that names a file (`files.x = ...`, `files.x.secret = ...`, `x = ...`
// inside `files`), whole lines where it stands alone; not the bindings inside its value.

test('removals: every binding naming a file, whole lines when alone on them, else the binding and the spaces after it', async () => {
  const nix = [
    '{',
    `  ${GEN}.x = {`,
    '    files.a = { };',
    '    files.b.secret = false;',
    '    files.d = {',
    '      secret = false;',
    '    };',
    '    prompts.p = { };',
    '  };',
    `  ${GEN}.y = { files = { c = { }; e.mode = "0400"; }; };`,
    `  ${GEN}.z.files.k = { };`,
    `  ${GEN} = { w.files.m = { };  };`,
    '}',
  ].join('\n');
  const gs = await generators(nix);
  const removals = (g: string) => gen(gs, g).files.map((f) => [f.name, f.removals]);
  assert.deepEqual(removals('x'), [
    ['a', [lines(2)]],
    ['b', [lines(3)]],
    ['d', [lines(4, 6)]],
  ]);
  assert.deepEqual(removals('y'), [
    ['c', [span(nix, 'c = { }; ')]],
    ['e', [span(nix, 'e.mode = "0400"; ')]],
  ]);
  assert.deepEqual(removals('z'), [['k', [lines(10)]]]);
  assert.deepEqual(removals('w'), [['m', [span(nix, 'w.files.m = { };  ')]]]);
  // a prompt has no removals of its own
  assert.deepEqual(gen(gs, 'x').prompts, [{ name: 'p', range: nameSpan(nix, 'p = ') }]);
});

test('removals: a file named in two places has both; its settings alone (files.k.mode = ...) name it too', async () => {
  const nix = `{ lib, ... }: {\n  ${GEN} = lib.mkMerge [\n    { x.files.k = { }; }\n    { x.files.k.mode = "0400"; }\n  ];\n}`;
  const [x] = await generators(nix);
  assert.deepEqual(x.files, [{ name: 'k', range: nameSpan(nix, 'k = '), removals: [span(nix, 'x.files.k = { }; '), span(nix, 'x.files.k.mode = "0400"; ')] }]);
});

// ---------------------------------------------------------------------------------------------
// Options: every binding inside a generator but the containers, with the range that removes it
// where a binding of its own writes it.

test('options: the range that removes an option’s binding; none for a value an inherit takes from a let', async () => {
  const nix = [
    '{ pkgs, ... }: let runtimeInputs = [ pkgs.jq ]; in {',
    `  ${GEN}.x.script = "s";`,
    `  ${GEN} = { y.share = true; };`,
    `  ${GEN}.z = { inherit runtimeInputs; validation.v = 1; };`,
    '}',
  ].join('\n');
  const gs = await generators(nix);
  const opts = (g: string) => gen(gs, g).options.map((o) => ({ path: o.path.join('.'), removal: o.removal, value: o.valueRange }));
  assert.deepEqual(opts('x'), [{ path: 'script', removal: lines(1), value: span(nix, '"s"') }]);
  assert.deepEqual(opts('y'), [{ path: 'share', removal: span(nix, 'y.share = true; '), value: span(nix, 'true') }]);
  assert.deepEqual(opts('z'), [
    { path: 'runtimeInputs', removal: undefined, value: span(nix, '[ pkgs.jq ]') },
    { path: 'validation.v', removal: span(nix, 'validation.v = 1; '), value: span(nix, '1') },
  ]);
  // the list the let binds is read as the option's elements
  assert.deepEqual(gen(gs, 'z').options[0].elements?.map((e) => e.text), ['pkgs.jq']);
});

test('options: a submodule’s own option declarations are not the generator’s, what it sets under config is', async () => {
  const nix = `{ ${GEN}.x = { lib, config, ... }: { options.keyName = lib.mkOption { }; config = { script = "s"; }; validation = { options = 1; config = 2; }; inherit (cfg) options config; }; }`;
  const [x] = await generators(nix);
  assert.deepEqual(x.options.map((o) => o.path.join('.')), ['script', 'validation', 'validation.options', 'validation.config']);
  assert.deepEqual(x.script?.raw, '"s"');
});

test('options: a value nested in sets more than six names deep is recorded as a whole, not read one by one', async () => {
  const nix = `{ ${GEN}.x = { validation = { a = { b = { c = { d = { e = { f = 1; }; }; }; }; }; }; }; }`;
  const [x] = await generators(nix);
  assert.deepEqual(x.options.map((o) => o.path.join('.')), ['validation', 'validation.a', 'validation.a.b', 'validation.a.b.c', 'validation.a.b.c.d', 'validation.a.b.c.d.e']);
  // and not a prompt or file: only files.* and prompts.* name those
  assert.deepEqual([x.files, x.prompts], [[], []]);
});

// ---------------------------------------------------------------------------------------------
// The generator's own set: where a fix inserts a binding (the first set written as the whole
// generator, never a file's), and the comment our migration fixes leave in it.

test('insertAt: before the closing brace of the generator’s own set, on its own line with the bindings’ indentation, or on the same line', async () => {
  const nix = [
    '{',
    `  ${GEN}.x.files.pre = { };`,
    `  ${GEN}.x = {`,
    '      files.k = {',
    '        secret = false;',
    '      };',
    '  };',
    `  ${GEN}.y = { files.k = { }; };`,
    '}',
  ].join('\n');
  const gs = await generators(nix);
  assert.deepEqual(gen(gs, 'x').insertAt, { position: { line: 6, character: 0 }, indent: '      ' });
  assert.deepEqual(gen(gs, 'y').insertAt, { position: at(nix, '};\n}'), indent: null });
  // the first set of the generator only: the one after it in mkMerge is not where a fix writes
  const merged = `{ lib, ... }: { ${GEN}.z = lib.mkMerge [ { script = "a"; } { files.k = { }; } ]; }`;
  assert.equal(gen(await generators(merged), 'z').insertAt, undefined, 'mkMerge is not a set the syntax can insert into');
  const split = `{ lib, ... }: { ${GEN} = lib.mkMerge [ { z = { script = "a"; }; } { z = { files.k = { }; }; } ]; }`;
  assert.deepEqual(gen(await generators(split), 'z').insertAt, { position: at(split, '}; } {'), indent: null });
});

const SOPS_MARKER = '# moved from sops-nix secret "db-pw":';
const SOPS_SOURCE = '# where sops-nix read the value: sopsFile = ./secrets/db.yaml; key = "db"; format = "yaml";';

test('movedFrom: the migration comment on a line of its own or as /* */, inside the generator’s set only', async () => {
  const nix = [
    '{',
    `  ${GEN}.a = {`,
    '      # moved from clan facts',
    '    files.k = { };',
    '  };',
    `  ${GEN}.b = { /* moved from sops-nix */ files.k = { }; };`,
    `  ${GEN}.c = { files.k = { }; # moved from clan facts`,
    '  };',
    `  ${GEN}.d = {`,
    `    ${SOPS_MARKER}`,
    `    ${SOPS_SOURCE}`,
    '    files.k = { };',
    '  };',
    `  ${GEN}.e = {`,
    '    # moved from sops-nix',
    '    files.k = { };',
    '  };',
    `  ${GEN}.f = { files.k = { }; };`,
    '}',
  ].join('\n');
  const gs = await generators(nix);
  const moved = (g: string) => ({ from: gen(gs, g).movedFrom, sops: gen(gs, g).movedSops });
  assert.deepEqual(moved('a'), { from: 'clan facts', sops: undefined });
  assert.deepEqual(moved('b'), { from: 'sops-nix', sops: undefined });
  // a comment after a binding on its line is no marker of ours
  assert.deepEqual(moved('c'), { from: undefined, sops: undefined });
  assert.deepEqual(moved('d'), { from: 'sops-nix', sops: { name: 'db-pw', sopsFile: '/clan/modules/secrets/db.yaml', key: 'db', format: 'yaml' } });
  // d's secret is in the file, not in e's set
  assert.deepEqual(moved('e'), { from: 'sops-nix', sops: undefined });
  assert.equal('movedSops' in gen(gs, 'e'), false);
  assert.deepEqual(moved('f'), { from: undefined, sops: undefined });
});

test('movedSops: read only for a generator moved from sops-nix', async () => {
  // moved from clan facts first: the sops-nix lines below are not its source
  const nix = `{\n  ${GEN}.a = {\n    # moved from clan facts\n    ${SOPS_MARKER}\n    files.k = { };\n  };\n}`;
  const [a] = await generators(nix);
  assert.equal(a.movedFrom, 'clan facts');
  assert.equal(a.movedSops, undefined);
});

// ---------------------------------------------------------------------------------------------
// share, dependencies and script, which the model reads beside the options.

const shareCases: [string, boolean | null][] = [
  ['share = true;', true],
  ['share = false;', false],
  ['share = lib.mkDefault true;', true],
  ['share = cfg.shared;', null],
  ['share = shared;', null],
  ['share = "true";', null],
];

for (const [binding, share] of shareCases) {
  test(`share: ${binding} -> ${share}`, async () => {
    const [x] = await generators(`{ lib, cfg, shared, ... }: { ${GEN}.x = { ${binding} }; }`);
    assert.equal(x.share, share);
  });
}

test('dependencies: strings by name or pattern, any other value an unknown name at its range', async () => {
  const nix = `{ cfg, n, ... }: let other = "o"; in { ${GEN}.x.dependencies = [ "a" "b-\${n}" cfg.dep other ]; }`;
  const [x] = await generators(nix);
  assert.deepEqual(x.dependencies, [
    { name: 'a', pattern: null, range: span(nix, '"a"') },
    { name: null, pattern: 'b-*', range: span(nix, '"b-${n}"') },
    { name: null, pattern: '*', range: span(nix, 'cfg.dep') },
    // a let-bound string is read where it is bound
    { name: 'o', pattern: null, range: span(nix, '"o"') },
  ]);
});

test('script: a `with` in front is part of the script’s text', async () => {
  const nix = `{ ${GEN}.x.script = with pkgs; "echo"; }`;
  const [x] = await generators(nix);
  assert.deepEqual(x.script, { raw: 'with pkgs; "echo"', range: span(nix, 'with pkgs; "echo"'), kind: 'with_expression' });
});

test('script: the text a `let ... in` ends in, through parentheses and nested lets', async () => {
  const nix = `{ ${GEN}.x.script = (let a = "x"; in let b = "y"; in (''\n  echo \${a} \${b}\n'')); }`;
  const [x] = await generators(nix);
  const raw = "''\n  echo ${a} ${b}\n''";
  assert.deepEqual(x.script, { raw, range: { start: at(nix, "''"), end: { line: 2, character: 2 } }, kind: 'indented_string_expression' });
});

// ---------------------------------------------------------------------------------------------
// What an `inherit` leaves unknown (`inherit (cfg) ...;`, a function's argument): files or prompts
// unknown, a file by name with unknown settings, a prompt whose persist is unknown, an unknown
// dependency, no script, or an option whose value is unknown.

test('inherit: what a generator takes from elsewhere is unknown, each in its own way', async () => {
  const nix = [
    '{ lib, cfg, runtimeInputs, ... }: {',
    `  ${GEN}.a = { inherit (cfg) files; };`,
    `  ${GEN}.b = { inherit (cfg) prompts; };`,
    `  ${GEN}.c = { inherit (cfg) dependencies script; inherit runtimeInputs; };`,
    `  ${GEN}.d = { files = { k = { }; inherit (cfg) m; }; prompts = { inherit (cfg) p; }; validation = { inherit (cfg) v; }; };`,
    `  ${GEN}.e = { files.k = { inherit (cfg) mode; }; };`,
    `  ${GEN}.f = { validation = { inherit (cfg) options dependencies script; }; };`,
    `  ${GEN} = lib.mkMerge [ { g.script = "s"; } { g = { inherit (cfg) runtimeInputs; }; } { h.script = lib.mkDefault "s"; } { h = { inherit (cfg) script; }; } ];`,
    `  ${GEN} = lib.mkMerge [ { i.files.m.mode = "0400"; } { i = { files = { inherit (cfg) m; }; }; } ];`,
    '}',
  ].join('\n');
  const gs = await generators(nix);
  // an option whose value is unknown, at the name the inherit writes (`needle` starts with it)
  const unknown = (path: string, needle: string) => {
    const name = needle.split(/[ .=;]/)[0];
    const range = { start: at(nix, needle), end: { line: at(nix, needle).line, character: at(nix, needle).character + name.length } };
    return { path: path.split('.'), keyRange: range, valueRange: range, kind: 'unknown', literal: undefined, text: name };
  };
  for (const g of ['a', 'b']) {
    assert.equal(gen(gs, g).filesUnknown, true, g);
    assert.deepEqual(gen(gs, g).options, [], g);
  }
  const c = gen(gs, 'c');
  assert.deepEqual(c.dependencies, [{ name: null, pattern: '*', range: nameSpan(nix, 'dependencies script') }]);
  assert.equal(c.script, undefined);
  assert.equal(c.filesUnknown, undefined);
  assert.deepEqual(c.options, [unknown('runtimeInputs', 'runtimeInputs; }')]);
  const d = gen(gs, 'd');
  assert.equal(d.filesUnknown, undefined);
  assert.deepEqual(
    d.files.map((f) => [f.name, f.optionsUnknown]),
    [
      ['k', undefined],
      ['m', true],
    ],
  );
  assert.deepEqual(d.files[1].range, nameSpan(nix, 'm; }'));
  assert.deepEqual(d.prompts, [{ name: 'p', range: nameSpan(nix, 'p; }') }]);
  assert.deepEqual(d.options.map((o) => o.path.join('.')), ['prompts.p.persist', 'validation', 'validation.v']);
  assert.deepEqual(d.options.filter((o) => o.kind === 'unknown'), [{ ...unknown('prompts.p.persist', 'p; }'), text: 'persist' }, unknown('validation.v', 'v; }')]);
  const e = gen(gs, 'e');
  assert.deepEqual(e.options, [unknown('files.k.mode', 'mode; }')]);
  assert.equal(e.files[0].optionsUnknown, undefined, 'an unknown setting leaves the others known');
  // options, dependencies and script below the generator's top are options like any other
  const f = gen(gs, 'f');
  assert.deepEqual(f.options.map((o) => [o.path.join('.'), o.kind]), [
    ['validation', 'attrset_expression'],
    ['validation.options', 'unknown'],
    ['validation.dependencies', 'unknown'],
    ['validation.script', 'unknown'],
  ]);
  assert.deepEqual(f.dependencies, []);
  // an inherited script makes the script unknown; another inherited option leaves it
  assert.equal(gen(gs, 'g').script?.raw, '"s"');
  assert.equal(gen(gs, 'h').script, undefined);
  assert.deepEqual(gen(gs, 'i').files.map((x) => [x.name, x.optionsUnknown]), [['m', true]]);
});

// ---------------------------------------------------------------------------------------------
// A file's settings: deploy as written (true/false, null when not a literal or not readable,
// absent when not written), and whether the syntax can read them at all.

test('files: deploy and whether the settings can be read, per way of writing the file', async () => {
  const nix = [
    '{ lib, cfg, extra, ... }: {',
    `  ${GEN}.x = {`,
    '    files.a = cfg.keyFile;',
    '    files.b = { } // extra;',
    '    files.c.secret = false;',
    '    files.d.deploy = false;',
    '    files.e = { deploy = cfg.deploy; };',
    '    files.f = { deploy = lib.mkDefault true; };',
    '    files.g = { };',
    '    validation.g.deploy = false;',
    '    files.h = rec { deploy = false; };',
    '    prompts.p = cfg.prompt;',
    '  };',
    '}',
  ].join('\n');
  const [x] = await generators(nix);
  assert.deepEqual(
    x.files.map((f) => [f.name, f.deploy, f.optionsUnknown]),
    [
      ['a', null, true],
      ['b', null, true],
      ['c', undefined, undefined],
      ['d', false, undefined],
      ['e', null, undefined],
      ['f', true, undefined],
      ['g', undefined, undefined],
      ['h', false, undefined],
    ],
  );
  // naming each file (and prompt) leaves the generator's list of them complete
  assert.equal(x.filesUnknown, undefined);
  assert.deepEqual(x.prompts.map((p) => p.name), ['p']);
});

const unknownFilesCases: [string, string, boolean][] = [
  ['files computed by a function', 'files = lib.genAttrs [ "a" ] (n: { });', true],
  ['prompts computed by a function', 'prompts = mkPrompts cfg;', true],
  ['files as a rec set', 'files = rec { a = { }; };', false],
  ['a file of a computed name', 'files."${cfg.n}" = { };', true],
  ['a prompt of a computed name', 'prompts."${cfg.n}" = { };', true],
];

for (const [name, binding, unknown] of unknownFilesCases) {
  test(`files: ${name} -> files unknown: ${unknown}`, async () => {
    const [x] = await generators(`{ lib, cfg, mkPrompts, ... }: { ${GEN}.x = { ${binding} }; }`);
    assert.equal(x.filesUnknown ?? false, unknown);
  });
}

test('files: a generator whose whole value is computed has unknown files; a rec set or a submodule function does not', async () => {
  const nix = `{ mkGen, ... }: { ${GEN} = { a = mkGen { }; b = rec { files.k = { }; }; c = { config, ... }: { files.k = { }; }; }; }`;
  const gs = await generators(nix);
  assert.deepEqual(
    gs.map((g) => [g.name.name, g.filesUnknown ?? false, g.files.map((f) => f.name)]),
    [
      ['a', true, []],
      ['b', false, ['k']],
      ['c', false, ['k']],
    ],
  );
});

// A generator's value, or a file's, written behind `let ... in` or `with x;` is the value it ends in:
// its files, options and wrappers' conditions count as if written without them (Nix reads it so).
test('a generator behind let or with: its files, options and the conditions of its wrappers are read', async () => {
  const service = (value: string) =>
    `{ ... }: {\n  _class = "clan.service";\n  roles.r.perInstance = { settings, ... }: {\n    nixosModule = { lib, ... }: {\n      ${GEN}.g = ${value};\n    };\n  };\n}`;
  for (const value of ['let x = 1; in lib.mkIf settings.a { files.k = { }; }', 'with lib; mkIf settings.a { files.k = { }; }']) {
    const nix = service(value);
    const g = gen(await generators(nix), 'g');
    assert.deepEqual(g.files.map((f) => f.name), ['k'], value);
    assert.equal(g.filesUnknown, undefined, value);
    assert.deepEqual(g.conditions, [{ at: at(nix, 'g = '), line: 4, tests: [{ setting: 'a', is: true }] }], value);
  }
  const nix = `{ lib, ... }: {\n  ${GEN}.g = let m = "0400"; in {\n    files.k = let s = false; in { secret = s; mode = m; };\n    script = "x";\n  };\n}`;
  const g = gen(await generators(nix), 'g');
  assert.deepEqual(g.files.map((f) => f.name), ['k']);
  assert.equal(g.filesUnknown, undefined);
  assert.deepEqual(g.options.map((o) => [o.path.join('.'), o.literal]), [['files.k.secret', false], ['files.k.mode', '0400'], ['script', 'x']]);
  assert.equal(g.script?.raw, '"x"');
});

// A generator's value bound by `let` (`x = let v = lib.mkIf c { ... }; in v;`): the wrapper's condition
// is the generator's, as if written in place.
test('a generator whose value is a let-bound mkIf: the condition is its own', async () => {
  const nix = `{ ... }: {\n  _class = "clan.service";\n  roles.r.perInstance = { settings, ... }: {\n    nixosModule = { lib, ... }: {\n      ${GEN}.g = let v = lib.mkIf settings.a { files.k = { }; }; in v;\n    };\n  };\n}`;
  const g = gen(await generators(nix), 'g');
  assert.deepEqual(g.files.map((f) => f.name), ['k']);
  assert.deepEqual(g.conditions, [{ at: at(nix, 'g = '), line: 4, tests: [{ setting: 'a', is: true }] }]);
});
