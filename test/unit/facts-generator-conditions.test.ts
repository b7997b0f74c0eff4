// The conditions a generator is declared under (facts/generatorConditions.ts): `lib.mkIf c`,
// `lib.optionalAttrs c` and `if c then ... else ...` above the place its name is written, and what
// each tests of the clan service role's settings, which the model answers per instance. A test it
// reads wrongly makes a generator absent (or present) on a machine where it is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import { withTree } from '../helpers/parsedNix';
import { at } from '../helpers/textPlaces';
import type { Generator, GeneratorCondition, SettingTest } from '../../server/src/facts/types';


const generatorsOf = (nix: string): Promise<Generator[]> => withTree(nix, (tree) => extractFile('/clan/services/s/default.nix', tree, { registry: false, matrix: false }, nix).generators);

/** A clan service whose role's perInstance module holds `inner` (lines 3 on). */
function service(inner: string, perInstance = '{ settings, ... }:'): string {
  return `{\n  roles.default.perInstance = ${perInstance} {\n    nixosModule = { config, lib, ... }: {\n      ${inner}\n    };\n  };\n}\n`;
}

async function conditionsOf(nix: string, name = 'g'): Promise<GeneratorCondition[] | undefined> {
  const g = (await generatorsOf(nix)).find((x) => x.name.name === name);
  assert.ok(g, `no generator ${name}`);
  return g.conditions;
}

/** `clan.core.vars.generators.g = lib.mkIf <cond> { ... }` in the service: the tests read of its one condition. */
async function testsOf(cond: string, perInstance?: string): Promise<SettingTest[] | null> {
  const nix = service(`clan.core.vars.generators.g = lib.mkIf (${cond}) { files.k = { }; };`, perInstance);
  const conditions = await conditionsOf(nix);
  // one place, under one condition written on the generator's line
  assert.deepEqual(conditions?.map((c) => ({ at: c.at, line: c.line })), [{ at: at(nix, 'g ='), line: 3 }]);
  return conditions![0].tests;
}

const is = (setting: string, value: SettingTest['is']): SettingTest => ({ setting, is: value });

const TEST_CASES: { cond: string; tests: SettingTest[] | null }[] = [
  { cond: 'settings.rsaHostKey.enable', tests: [is('rsaHostKey.enable', true)] },
  { cond: '!settings.plain', tests: [is('plain', false)] },
  { cond: '!(!settings.plain)', tests: [is('plain', true)] },
  { cond: 'settings.domains != [ ]', tests: [is('domains', 'nonEmpty')] },
  { cond: 'settings.domains == [ ]', tests: [is('domains', 'empty')] },
  { cond: '[ ] == settings.domains', tests: [is('domains', 'empty')] },
  { cond: '!(settings.domains == [ ])', tests: [is('domains', 'nonEmpty')] },
  { cond: '!(settings.domains != [ ])', tests: [is('domains', 'empty')] },
  { cond: 'settings.domains != [ /* none */ ]', tests: [is('domains', 'nonEmpty')] },
  { cond: 'settings.a && settings.b.c', tests: [is('a', true), is('b.c', true)] },
  { cond: 'settings.a && !settings.b', tests: [is('a', true), is('b', false)] },
  // anything else the model cannot answer from the settings: null, a "maybe"
  { cond: 'settings.domains != [ "example.org" ]', tests: null },
  { cond: 'settings.name != ""', tests: null },
  { cond: 'settings.a == settings.b', tests: null },
  // lists compare in order: greater than [ ] is not empty, but the reader knows only == and !=
  { cond: 'settings.domains > [ ]', tests: null },
  { cond: 'settings.a && config.services.x.enable', tests: null },
  { cond: 'config.services.x.enable && settings.a', tests: null },
  { cond: '!config.services.x.enable', tests: null },
  { cond: 'settings ? extra', tests: null },
  // a number is no condition; its minus is no negation
  { cond: '-settings.count', tests: null },
  { cond: 'settings.extra or false', tests: null },
  { cond: 'settings.${config.key}', tests: null },
  { cond: 'settings.a.${config.key}', tests: null },
  { cond: 'config.services.x.enable', tests: null },
];

for (const c of TEST_CASES) {
  test(`a service's generator under lib.mkIf (${c.cond}): tests ${JSON.stringify(c.tests)}`, async () => {
    assert.deepEqual(await testsOf(c.cond), c.tests);
  });
}

// of the machines of another role of the instance, as clan-core's sshd client writes it (`roles` the perInstance's parameter)
const some = (setting: string, role: string, none = false): SettingTest => ({ setting, is: true, role, ...(none && { none: true }) });
const ANY = 'lib.any (m: m.settings.certificate.enable or true) (builtins.attrValues (roles.server.machines or { }))';
const ROLE_CASES: { cond: string; tests: SettingTest[] | null; perInstance?: string }[] = [
  { cond: ANY, tests: [some('certificate.enable', 'server')] },
  { cond: 'builtins.any (m: (m.settings.x)) (lib.attrValues roles.peer.machines)', tests: [some('x', 'peer')] },
  { cond: 'lib.lists.any (m: m.settings.a.b or false) (builtins.attrValues (roles.server.machines))', tests: [some('a.b', 'server')] },
  { cond: `!(${ANY})`, tests: [some('certificate.enable', 'server', true)] },
  { cond: `!(!(${ANY}))`, tests: [some('certificate.enable', 'server')] },
  { cond: `${ANY} && !settings.off`, tests: [some('certificate.enable', 'server'), is('off', false)] },
  { cond: 'lib.all (m: m.settings.x) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.other.x) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: n.settings.x) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.${config.k}) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x or 1) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any ({ settings, ... }: settings.x) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrNames roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues (roles.server.machines or { a = 1; }))', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues (roles.server.machines or [ ]))', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.server)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.server.settings)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.${config.r}.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues other.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.server.machines) roles', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.server.machines roles.client.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (lib.id roles.server.machines)', tests: null },
  { cond: 'lib.any m.settings.x (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x or settings.y) (builtins.attrValues roles.server.machines)', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues (roles.server.machines or null))', tests: null },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.server.machines.x)', tests: null },
  { cond: 'lib.any (m: m.settings.x) [ ]', tests: null },
  // `roles` that is no parameter of the perInstance
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.server.machines)', tests: null, perInstance: '{ settings, ... }:' },
  { cond: 'lib.any (m: m.settings.x) (builtins.attrValues roles.server.machines)', tests: null, perInstance: 'roles:' },
];

for (const c of ROLE_CASES) {
  test(`a service's generator under lib.mkIf (${c.cond}), perInstance ${c.perInstance ?? '{ settings, roles, ... }:'}: tests ${JSON.stringify(c.tests)}`, async () => {
    assert.deepEqual(await testsOf(c.cond, c.perInstance ?? '{ settings, roles, ... }:'), c.tests);
  });
}

test("a condition named by a let above (lib.mkIf anyCertificateEnabled): the tests of its value; a nearer let's value or a let naming itself none; the negation of two tests (!on) an || of their negations", async () => {
  const nix = `{
  roles.default.perInstance = { settings, roles, ... }: {
    nixosModule = { config, lib, ... }: let
      on = settings.a && !settings.b;
      self = self;
      anyCertificateEnabled = ${ANY};
    in {
      clan.core.vars.generators.g = lib.mkIf on { files.k = { }; };
      clan.core.vars.generators.h = lib.mkIf anyCertificateEnabled { };
      clan.core.vars.generators = let on = config.x; in { i = lib.mkIf on { }; };
      clan.core.vars.generators.j = lib.mkIf self { };
      clan.core.vars.generators.k = lib.mkIf (!on) { };
    };
  };
}
`;
  assert.deepEqual((await conditionsOf(nix))?.map((c) => c.tests), [[is('a', true), is('b', false)]]);
  assert.deepEqual((await conditionsOf(nix, 'h'))?.map((c) => c.tests), [[some('certificate.enable', 'server')]]);
  assert.deepEqual((await conditionsOf(nix, 'i'))?.map((c) => c.tests), [null]);
  assert.deepEqual((await conditionsOf(nix, 'j'))?.map((c) => c.tests), [null]);
  assert.deepEqual((await conditionsOf(nix, 'k'))?.map(({ tests, anyOf }) => ({ tests, anyOf })), [{ tests: [], anyOf: [[[is('a', false)], [is('b', true)]]] }]);
});

/** `lib.mkIf <cond>` in the service: the tests and the `||` sides of its one condition. */
async function sidesOf(cond: string): Promise<{ tests: SettingTest[] | null; anyOf?: SettingTest[][][] }> {
  const conditions = await conditionsOf(service(`clan.core.vars.generators.g = lib.mkIf (${cond}) { files.k = { }; };`));
  const { tests, anyOf } = conditions![0];
  return anyOf ? { tests, anyOf } : { tests };
}

const SIDE_CASES: { cond: string; sides: { tests: SettingTest[] | null; anyOf?: SettingTest[][][] } }[] = [
  // dguibert's copy of an older clan-core sshd
  { cond: 'settings.certificate.searchDomains != [ ] || settings.certificate.allowEmptyDomain', sides: { tests: [], anyOf: [[[is('certificate.searchDomains', 'nonEmpty')], [is('certificate.allowEmptyDomain', true)]]] } },
  { cond: 'settings.a || settings.b && !settings.c || (settings.d)', sides: { tests: [], anyOf: [[[is('a', true)], [is('b', true), is('c', false)], [is('d', true)]]] } },
  { cond: '(settings.a || settings.b) || settings.c', sides: { tests: [], anyOf: [[[is('a', true)], [is('b', true)], [is('c', true)]]] } },
  // a side the settings cannot answer: none
  { cond: 'settings.a || config.services.x.enable', sides: { tests: null } },
  { cond: 'config.services.x.enable || settings.a', sides: { tests: null } },
  { cond: 'settings.a && (settings.b || settings.c)', sides: { tests: [is('a', true)], anyOf: [[[is('b', true)], [is('c', true)]]] } },
  { cond: '(settings.a || settings.b) && (settings.c || !settings.d)', sides: { tests: [], anyOf: [[[is('a', true)], [is('b', true)]], [[is('c', true)], [is('d', false)]]] } },
  // a negation: of ||, the negations of its sides, each one test; of &&, an || of the negations
  { cond: '!(settings.a || settings.b)', sides: { tests: [is('a', false), is('b', false)] } },
  { cond: '!(settings.a && settings.b)', sides: { tests: [], anyOf: [[[is('a', false)], [is('b', false)]]] } },
  { cond: '!(settings.a || settings.b && settings.c)', sides: { tests: null } },
  { cond: '!(settings.a && (settings.b || settings.c))', sides: { tests: null } },
  { cond: '!((settings.a || settings.b) || settings.c)', sides: { tests: [is('a', false), is('b', false), is('c', false)] } },
  { cond: 'settings.a || settings.b && (settings.c || settings.d)', sides: { tests: null } },
  { cond: 'settings.x || ((settings.a || settings.b) && (settings.c || settings.d))', sides: { tests: null } },
  { cond: '!((settings.a || settings.b) && (settings.c || settings.d))', sides: { tests: null } },
  { cond: 'settings.a || settings.b or false', sides: { tests: null } },
];

for (const c of SIDE_CASES) {
  test(`a service's generator under lib.mkIf (${c.cond}): ${JSON.stringify(c.sides)}`, async () => {
    assert.deepEqual(await sidesOf(c.cond), c.sides);
  });
}

test("|| beside other conditions: nested mkIf's tests stand beside it, each || its own sides; the else of an || is the negations of its sides; an || named by a let", async () => {
  const nix = `{
  roles.default.perInstance = { settings, ... }: {
    nixosModule = { config, lib, ... }: let
      either = settings.a || settings.b;
    in {
      clan.core.vars.generators = lib.mkIf settings.on {
        g = lib.mkIf (settings.a || settings.b) (lib.mkIf (settings.c || !settings.d) { });
      };
      clan.core.vars.generators = if settings.a || settings.b then { } else { h = { }; };
      clan.core.vars.generators.i = lib.mkIf either { };
    };
  };
}
`;
  assert.deepEqual((await conditionsOf(nix))?.map(({ tests, anyOf }) => ({ tests, anyOf })), [{ tests: [is('on', true)], anyOf: [[[is('a', true)], [is('b', true)]], [[is('c', true)], [is('d', false)]]] }]);
  assert.deepEqual((await conditionsOf(nix, 'h'))?.map(({ tests, anyOf }) => ({ tests, anyOf })), [{ tests: [is('a', false), is('b', false)], anyOf: undefined }]);
  assert.deepEqual((await conditionsOf(nix, 'i'))?.map(({ tests, anyOf }) => ({ tests, anyOf })), [{ tests: [], anyOf: [[[is('a', true)], [is('b', true)]]] }]);
});

test('generators under wrappers that are no condition (mkDefault, mkForce, mkOverride 50): no conditions', async () => {
  const nix = service(`clan.core.vars.generators = lib.mkDefault { a = { }; };
      clan.core.vars.generators.b = lib.mkForce { files.k = { }; };
      clan.core.vars.generators.c = lib.mkOverride 50 { files.k = { }; };
      clan.core.vars.generators = lib.mkOverride 50 { d = { }; };`);
  const gens = await generatorsOf(nix);
  assert.deepEqual(gens.map((g) => [g.name.name, g.conditions]), [['a', undefined], ['b', undefined], ['c', undefined], ['d', undefined]]);
});

test('a half-typed lib.mkIf with only its value: the value is read, no condition made of it', async () => {
  assert.equal(await conditionsOf(service('clan.core.vars.generators.g = lib.mkIf { files.k = { }; };')), undefined);
});

test('lib.optionalAttrs settings.x around a set of generators and around one generator: a condition on the setting', async () => {
  const nix = service(`clan.core.vars.generators = lib.optionalAttrs settings.a { g = { }; };
      clan.core.vars.generators.h = lib.optionalAttrs (!settings.b) { files.k = { }; };`);
  assert.deepEqual(await conditionsOf(nix), [{ at: at(nix, 'g = { }'), line: 3, tests: [is('a', true)] }]);
  assert.deepEqual(await conditionsOf(nix, 'h'), [{ at: at(nix, 'h ='), line: 4, tests: [is('b', false)] }]);
});

test('nested conditions: every test is kept in order; one that is not on the settings makes the whole place a maybe; the line is the outer one', async () => {
  const nix = service(`clan.core.vars.generators = lib.mkIf settings.a {
        g = lib.mkIf settings.b { };
        h = lib.mkIf config.services.x.enable { };
      };`);
  assert.deepEqual(await conditionsOf(nix), [{ at: at(nix, 'g ='), line: 3, tests: [is('a', true), is('b', true)] }]);
  assert.deepEqual(await conditionsOf(nix, 'h'), [{ at: at(nix, 'h ='), line: 3, tests: null }]);
});

test("if c then { g } else { h }: g is under c, h under c's negation; a negated && is an || of the negations", async () => {
  const nix = service(`clan.core.vars.generators = if settings.a then { g = { }; } else { h = { }; };
      clan.core.vars.generators = if !settings.b then { } else { i = { }; };
      clan.core.vars.generators = if settings.l == [ ] then { } else { j = { }; };
      clan.core.vars.generators = if settings.a && settings.b then { } else { k = { }; };`);
  assert.deepEqual(await conditionsOf(nix), [{ at: at(nix, 'g ='), line: 3, tests: [is('a', true)] }]);
  assert.deepEqual(await conditionsOf(nix, 'h'), [{ at: at(nix, 'h ='), line: 3, tests: [is('a', false)] }]);
  assert.deepEqual((await conditionsOf(nix, 'i'))?.map((c) => c.tests), [[is('b', true)]]);
  assert.deepEqual((await conditionsOf(nix, 'j'))?.map((c) => c.tests), [[is('l', 'nonEmpty')]]);
  assert.deepEqual((await conditionsOf(nix, 'k'))?.map(({ tests, anyOf }) => ({ tests, anyOf })), [{ tests: [], anyOf: [[[is('a', false)], [is('b', false)]]] }]);
});

test('a file declared under a condition on the settings: the file carries it, the generator does not', async () => {
  const nix = service('clan.core.vars.generators.g = { files.k = lib.mkIf settings.a { }; files.m = { }; };');
  const [g] = await generatorsOf(nix);
  assert.equal(g.conditions, undefined);
  assert.deepEqual(g.files.map((f) => [f.name, f.conditions]), [['k', [{ at: at(nix, 'k ='), line: 3, tests: [is('a', true)] }]], ['m', undefined]]);
});

// `settings` is the role's settings only as the parameter of the function bound to perInstance
const SCOPE_CASES: { name: string; nix: string; read: boolean }[] = [
  { name: 'perInstance written in parentheses', nix: service('clan.core.vars.generators.g = lib.mkIf settings.a { };', '({ settings, ... }:'), read: true },
  { name: 'a let in between that binds other names', nix: service('clan.core.vars.generators = let other = 1; in lib.mkIf settings.a { g = { }; };'), read: true },
  { name: 'a let in between that inherits other names', nix: service('clan.core.vars.generators = let inherit (config) other; in lib.mkIf settings.a { g = { }; };'), read: true },
  // a plain set's attributes are no variables: `settings` in it is still the parameter
  { name: 'a plain set in between with a settings attribute', nix: service('settings.a = false;\n      clan.core.vars.generators.g = lib.mkIf settings.a { };'), read: true },
  { name: 'settings@{ ... }: the whole argument, not the settings', nix: service('clan.core.vars.generators.g = lib.mkIf settings.a { };', 'settings@{ instanceName, ... }:'), read: false },
  { name: 'settings: as the only parameter (the whole argument)', nix: service('clan.core.vars.generators.g = lib.mkIf settings.a { };', 'settings:'), read: false },
  { name: 'a let in between that binds settings', nix: service('clan.core.vars.generators = let other = 1; settings = config.my; in lib.mkIf settings.a { g = { }; };'), read: false },
  { name: 'a let in between that inherits settings among other names', nix: service('clan.core.vars.generators = let inherit (config) other settings; in lib.mkIf settings.a { g = { }; };'), read: false },
  { name: 'a let in between that inherits settings', nix: service('clan.core.vars.generators = let inherit (config) settings; in lib.mkIf settings.a { g = { }; };'), read: false },
  { name: 'a rec set in between that binds settings', nix: service('clan.core.vars.generators = rec { settings = config.my; g = lib.mkIf settings.a { }; };'), read: false },
  { name: 'a function bound to another name than perInstance', nix: '{\n  roles.default.helper = { settings, ... }: {\n    clan.core.vars.generators.g = lib.mkIf settings.a { };\n  };\n}\n', read: false },
  { name: "a module file's own settings parameter", nix: '{ settings, lib, ... }: {\n  clan.core.vars.generators.g = lib.mkIf settings.a { };\n}\n', read: false },
  { name: 'settings bound by nothing', nix: '{ lib, ... }: {\n  clan.core.vars.generators.g = lib.mkIf settings.a { };\n}\n', read: false },
];

for (const c of SCOPE_CASES) {
  test(`lib.mkIf settings.a where ${c.name}: ${c.read ? 'a test of the setting' : 'not a test of the role\'s settings'}`, async () => {
    const conditions = await conditionsOf(c.nix);
    assert.deepEqual(conditions?.map((x) => x.tests), [c.read ? [is('a', true)] : null]);
  });
}

// A plain module's condition on the machine's options (GeneratorCondition.options, read by
// model/optionValues.ts): `config.<path>`, or a name a `let` above binds to `config.<path>`, with `!`
// and `&&`; anything else (a default, a name computed, a function's parameter, a binding deeper than
// one name, a condition of another kind beside it) is no option test.
async function optionsOf(cond: string, lets = 'cfg = config.my.svc; other = config.my;'): Promise<unknown> {
  const nix = `{ config, lib, ... }: let ${lets} in {\n  clan.core.vars.generators.g = lib.mkIf (${cond}) { files.k = { }; };\n}\n`;
  const g = (await withTree(nix, (tree) => extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, nix).generators)).find((x) => x.name.name === 'g');
  assert.ok(g?.conditions?.length === 1, cond);
  assert.equal(g.conditions[0].tests, null, cond);
  return g.conditions[0].options ?? null;
}

const opt = (option: string, value: boolean) => ({ option, is: value });

test('a condition on the machine\'s options: config paths and names bound to them, negated and joined', async () => {
  const cases: [string, unknown][] = [
    ['cfg.enable', [opt('my.svc.enable', true)]],
    ['config.services.x.enable', [opt('services.x.enable', true)]],
    ['!cfg.enable', [opt('my.svc.enable', false)]],
    ['!(!cfg.enable)', [opt('my.svc.enable', true)]],
    ['cfg.enable && !other.legacy.enable', [opt('my.svc.enable', true), opt('my.legacy.enable', false)]],
    ['cfg.enable && cfg.tls && config.a.b', [opt('my.svc.enable', true), opt('my.svc.tls', true), opt('a.b', true)]],
    ['!(cfg.enable && cfg.tls)', null],
    ['cfg.enable || cfg.tls', null],
    ['cfg.enable or false', null],
    ['cfg.${name}', null],
    ['config', null],
    ['pkgs.stdenv.isLinux', null],
    ['cfg.enable && settings.x', null],
  ];
  for (const [cond, want] of cases) assert.deepEqual(await optionsOf(cond), want, cond);
  // a name bound nearer by a function's parameter, or by a deeper binding, is not the let's
  assert.equal(await optionsOf('(cfg: cfg.enable) x'), null);
  assert.equal(await optionsOf('cfg.enable', 'cfg.x = config.my.svc;'), null);
  assert.deepEqual(await optionsOf('cfg.enable', 'base = config.my; cfg = base.svc;'), [opt('my.svc.enable', true)]);
  assert.equal(await optionsOf('cfg.enable', 'cfg = config.my.svc or { };'), null);
  // a name computed below a known one; four lets in a chain are read, five are not; a dozen tests joined are not
  assert.equal(await optionsOf('cfg.a.${x}'), null);
  const chain = 'a0 = config.l0; a1 = a0.l1; a2 = a1.l2; a3 = a2.l3; a4 = a3.l4;';
  assert.deepEqual(await optionsOf('a3.enable', chain), [opt('l0.l1.l2.l3.enable', true)]);
  assert.equal(await optionsOf('a4.enable', chain), null);
  const terms = Array.from({ length: 12 }, (_, i) => `cfg.t${i}`);
  assert.equal(await optionsOf(terms.join(' && ')), null);
  assert.equal(await optionsOf(terms.reduceRight((acc, t) => `${t} && (${acc})`)), null);
  assert.equal((await optionsOf(terms.slice(0, 4).join(' && ')) as unknown[]).length, 4);
  // unary minus is no negation; ten `!` are read, eleven are not; a `let` that names itself is no option
  assert.equal(await optionsOf('-cfg.enable'), null);
  assert.deepEqual(await optionsOf(`${'!'.repeat(10)}cfg.enable`), [opt('my.svc.enable', true)]);
  assert.equal(await optionsOf(`${'!'.repeat(11)}cfg.enable`), null);
  assert.equal(await optionsOf('cfg.enable', 'cfg = cfg.inner;'), null);
  // `inherit` binds no path of config here; a set's own attribute is not in scope (only a let's)
  assert.equal(await optionsOf('cfg.enable', 'inherit (config.my) cfg;'), null);
  const sibling = `{ config, lib, ... }: {\n  cfg = config.my.svc;\n  clan.core.vars.generators.g = lib.mkIf cfg.enable { files.k = { }; };\n}\n`;
  const s1 = (await withTree(sibling, (tree) => extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, sibling).generators)).find((x) => x.name.name === 'g');
  assert.deepEqual(s1?.conditions?.map((c) => c.options ?? null), [null]);
  // a function between the use and the `let` that does not bind the name: the let's
  const around = `let cfg = config.my.svc; in { config, lib, ... }: {\n  clan.core.vars.generators.g = lib.mkIf cfg.enable { files.k = { }; };\n}\n`;
  const s2 = (await withTree(around, (tree) => extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, around).generators)).find((x) => x.name.name === 'g');
  assert.deepEqual(s2?.conditions?.map((c) => c.options ?? null), [[opt('my.svc.enable', true)]]);
  // the `else` of an `if` negates its condition; of two tests joined, the negation is not read
  const branch = (cond: string) => `{ config, lib, ... }: let cfg = config.my.svc; in {\n  clan.core.vars.generators = if ${cond} then { } else { g = { files.k = { }; }; };\n}\n`;
  const inElse = async (cond: string) => (await withTree(branch(cond), (tree) => extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, branch(cond)).generators)).find((x) => x.name.name === 'g')?.conditions?.map((c) => c.options ?? null);
  assert.deepEqual(await inElse('cfg.enable'), [[opt('my.svc.enable', false)]]);
  assert.deepEqual(await inElse('cfg.enable && cfg.tls'), [null]);
  // the module's own parameter `cfg` is nearer than a `let` around the module
  const nix = `let cfg = config.my.svc; in { config, lib, cfg, ... }: {\n  clan.core.vars.generators.g = lib.mkIf cfg.enable { files.k = { }; };\n}\n`;
  const g = (await withTree(nix, (tree) => extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, nix).generators)).find((x) => x.name.name === 'g');
  assert.deepEqual(g?.conditions?.map((c) => c.options ?? null), [null]);
});
