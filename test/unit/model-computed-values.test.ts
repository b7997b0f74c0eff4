// How a computed set of instances or of the inventory's machines is read (model/computedInstances.ts):
// each option as the module system sees it (priorities taken off, `lib.mkIf` with its condition), a
// role's settings and tags partly unknown as when written, and every value the set's shape depends
// on known, or a reason for the whole set.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { evaluateInstances, evaluateMachineTags } from '../../server/src/model/computedInstances';
import { NixParser } from '../../server/src/syntax/nixParser';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));
const RANGE = { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } };

async function clan() {
  const root = writeTree({ 'tags/a.nix': '{ }\n' });
  roots.push(root);
  const parser = await NixParser.load();
  const file = path.join(root, 'm.nix');
  const instances = (source: string, at = ['i']) => evaluateInstances(root, parser, file, { path: at, source }, RANGE);
  return {
    root,
    instances,
    /** The first role of the first instance, or the reason. */
    role: (source: string) => {
      const r = instances(source);
      return 'value' in r ? r.value[0]!.roles[0]! : r;
    },
    tags: (source: string) => {
      const r = evaluateMachineTags(root, parser, file, { path: ['m'], source });
      return 'value' in r ? Object.fromEntries(r.value) : r;
    },
  };
}

test('an instance read whole: module, input, each role\'s machines with their string settings, tags as a list or a set, settings, extraModules as paths, store copies or not known', async () => {
  const { root, instances } = await clan();
  const r = instances(`{ lib, ... }: { i = { a = { module = { name = "svc"; input = "self"; }; roles.r = { machines.m1.settings = { k = "v"; n = 1; }; machines.m2 = { }; tags = [ "t1" ]; settings = { s = "x"; u = lib.mkDefault "d"; }; extraModules = [ ./tags/a.nix "\${./tags}/a.nix" "/elsewhere.nix" { imports = [ ]; } (lib.mkIf false ./tags/a.nix) ]; }; roles.q.tags = { t2 = { }; }; }; }; }`);
  const a = path.join(root, 'tags', 'a.nix');
  assert.deepEqual(r, {
    value: [{
      name: 'a', module: 'svc', input: 'self',
      roles: [
        {
          name: 'r', machines: ['m1', 'm2'], tags: ['t1'], tagsUnknown: false, machineSettings: { m1: { k: 'v' } }, settings: { s: 'x', u: 'd' },
          // what conditions read (Booleans, lists): none of these
          machineSettingValues: { m1: { k: null, n: null } }, settingValues: { s: null, u: null },
          extraModules: [{ range: RANGE, path: a }, { range: RANGE, path: a }, { range: RANGE, unknown: "a module computed as \"/elsewhere.nix\" in instance 'a''s role 'r'" }, { range: RANGE, unknown: "a module computed as a set in instance 'a''s role 'r'" }],
        },
        { name: 'q', machines: [], tags: ['t2'], tagsUnknown: false },
      ],
    }],
  });
});

test('priorities are taken off (mkDefault, mkForce); mkIf false defines nothing, mkIf true its content; an unknown condition or mkMerge is a reason', async () => {
  const { instances } = await clan();
  assert.deepEqual(instances('{ lib, ... }: { i = lib.mkForce { a.module.name = lib.mkDefault "svc"; b = lib.mkIf false { module.name = "x"; }; c = lib.mkIf true { roles.r.machines.m = { }; }; }; }'), {
    value: [{ name: 'a', module: 'svc', input: null, roles: [] }, { name: 'c', module: null, input: null, roles: [{ name: 'r', machines: ['m'], tags: [], tagsUnknown: false }] }],
  });
  assert.deepEqual(instances('{ lib, ... }: { i = lib.mkIf false { a = { }; }; }'), { value: [] });
  assert.deepEqual(instances('{ lib, config, ... }: { i = { a = lib.mkIf config.x { }; }; }'), { reason: 'argument config' });
  assert.deepEqual(instances('{ lib, ... }: { i = lib.mkMerge [ { a = { }; } ]; }'), { reason: 'a value merged by the module system (merge)' });
});

test('tags and settings partly unknown are said so on the role; the set of machines, of roles or the module name not known is a reason', async () => {
  const { instances, role } = await clan();
  assert.deepEqual(role('{ config, ... }: { i = { a.roles.r.tags = config.t; }; }'), { name: 'r', machines: [], tags: [], tagsUnknown: true });
  assert.deepEqual(role('{ config, ... }: { i = { a.roles.r.tags = [ "x" config.t ]; }; }'), { name: 'r', machines: [], tags: ['x'], tagsUnknown: true });
  assert.deepEqual(role('{ config, ... }: { i = { a.roles.r.settings = config.s; }; }'), { name: 'r', machines: [], tags: [], tagsUnknown: false, settingsUnknown: true, settingValues: { '': null } });
  assert.deepEqual(role('{ config, ... }: { i = { a.roles.r.settings = { k = config.s; l = "v"; }; }; }'), { name: 'r', machines: [], tags: [], tagsUnknown: false, settings: { l: 'v' }, settingsUnknown: true, settingValues: { k: null, l: null } });
  assert.deepEqual(role('{ config, ... }: { i = { a.roles.r.machines = config.ms; }; }'), { reason: 'argument config' });
  assert.deepEqual(role('{ i = { a.roles.r.extraModules = ./tags/a.nix; }; }'), { reason: "instance 'a''s role 'r''s extraModules are not a list" });
  assert.deepEqual(instances('{ i = { a.module.name = 1; }; }'), { reason: "instance 'a''s module.name is not a known string" });
  assert.deepEqual(instances('{ i = { a.roles = 1; }; }'), { reason: "instance 'a''s roles are not a set" });
  assert.deepEqual(instances('{ i = { a = 1; }; }'), { reason: "instance 'a''s options are not a set" });
});

test('the set itself: not a set, names not known, not set at the path, a file that does not parse, or no source or parser: a reason', async () => {
  const { root, instances } = await clan();
  assert.deepEqual(instances('{ i = [ ]; }'), { reason: 'the instances are not a set' });
  assert.deepEqual(instances('{ config, ... }: { i = config.x; }'), { reason: 'argument config' });
  assert.deepEqual(instances('{ config, ... }: { i = { a = { }; } // config.more; }'), { reason: 'argument config' });
  assert.deepEqual(instances('{ j = { }; }'), { reason: 'its file sets no i' });
  assert.deepEqual(instances('[ ]'), { reason: "its file's value is not a set at i" });
  assert.deepEqual(instances('{ i = '), { reason: 'its file has a syntax error' });
  assert.deepEqual(evaluateInstances(root, await NixParser.load(), path.join(root, 'm.nix'), { path: ['i'], source: { unread: 'its file is longer than 20000 characters' } }, RANGE), { reason: 'its file is longer than 20000 characters' });
  assert.deepEqual(evaluateInstances(root, null, path.join(root, 'm.nix'), { path: ['i'], source: '{ i = { }; }' }, RANGE), { reason: 'not evaluated here' });
});

test("the inventory's machines: each one's tags (none where not set) and its class where set; tags not a list of known strings are a reason", async () => {
  const { tags } = await clan();
  assert.deepEqual(tags('{ lib, ... }: { m = { a.tags = [ "x" (lib.mkDefault "y") ]; b = { }; c.machineClass = "darwin"; d = lib.mkIf false { tags = [ "z" ]; }; }; }'), { a: { tags: ['x', 'y'] }, b: { tags: [] }, c: { tags: [], cls: 'darwin' } });
  assert.deepEqual(tags('{ m = { a.tags = "x"; }; }'), { reason: "machine 'a''s tags are not a list" });
  assert.deepEqual(tags('{ config, ... }: { m = { a.tags = [ config.t ]; }; }'), { reason: 'argument config' });
  assert.deepEqual(tags('{ m = { a.tags = [ 1 ]; }; }'), { reason: "a tag of machine 'a' is not a known string" });
  assert.deepEqual(tags('{ m = { a = 1; }; }'), { reason: "machine 'a''s options are not a set" });
  assert.deepEqual(tags('{ m = { a.machineClass = 1; }; }'), { reason: "machine 'a''s machineClass is not a known string" });
});

test('the rarer shapes: a path under lib.mkIf false, a value not known that far, a Nix error, a free variable, open sets, wrappers of other kinds or written by hand, every part not a set', async () => {
  const { root, instances, tags, role } = await clan();
  const reason = (r: ReturnType<typeof instances>) => ('reason' in r ? r.reason : JSON.stringify(r));
  assert.deepEqual(instances('{ lib, ... }: { c = lib.mkIf false { i = { a = { }; }; }; }', ['c', 'i']), { value: [] });
  assert.equal(reason(instances('{ c = { }; }', ['c', 'i'])), 'its file sets no c.i');
  assert.equal(reason(instances('args: args')), "its file's value is not known that far");
  assert.equal(reason(instances('args: { i = args; }')), 'the names of the instances are not known');
  assert.equal(reason(instances('{ i = throw "boom"; }')), 'evaluating it fails: boom');
  assert.equal(reason(instances('{ i = { a = throw "boom"; }; }')), 'evaluating it fails: boom');
  assert.equal(reason(instances('{ i = { a.roles.r.settings.nested.x = throw "boom"; }; }')), 'evaluating it fails: boom');
  // a free variable stands for what the evaluation was not given: not known, not Nix's error
  assert.equal(reason(instances('{ i = { a.module.name = someFreeName; }; }')), "undefined variable 'someFreeName'");
  assert.equal(reason(instances('{ lib, ... }: { i = { a = lib.mkBefore { }; }; }')), 'a value merged by the module system (order)');
  assert.equal(reason(instances('{ lib, ... }: { i = { a = lib.mkIf "yes" { }; }; }')), 'a condition (lib.mkIf) not known');
  assert.equal(reason(instances('{ i = { a = { _type = "if"; content = { }; }; }; }')), 'a condition (lib.mkIf) not known');
  // a wrapper that holds itself: read to a bound, then what it is (no instance set), not a hang
  assert.equal(reason(instances('let x = { _type = "override"; priority = 100; content = x; }; in { i = x; }')), "instance '_type''s options are not a set");
  assert.equal(reason(instances('{ i = { a.module = 1; }; }')), "instance 'a''s module options are not a set");
  assert.equal(reason(instances('{ i = { a.module.input = 1; }; }')), "instance 'a''s module.input is not a known string");
  assert.equal(reason(instances('{ i = { a.roles.r = 1; }; }')), "instance 'a''s role 'r''s options are not a set");
  assert.equal(reason(instances('{ i = { a.roles.r.machines = 1; }; }')), "instance 'a''s role 'r''s machines are not a set");
  assert.equal(reason(instances('{ i = { a.roles.r.machines.m = 1; }; }')), "instance 'a''s role 'r''s machine 'm' are not a set");
  assert.equal(reason(tags('args: { m = args; }') as ReturnType<typeof instances>), 'the names of the machines are not known');
  assert.equal(reason(tags('{ lib, ... }: { m = { a.tags = [ (lib.mkIf false "x") ]; }; }') as ReturnType<typeof instances>), "a tag of machine 'a' is not a known string");
  assert.deepEqual(role('{ lib, ... }: { i = { a.roles.r.tags = [ "x" (lib.mkIf false "y") ]; }; }'), { name: 'r', machines: [], tags: ['x'], tagsUnknown: true });
  assert.deepEqual(role('{ lib, ... }: { i = { a.roles.r.settings = { k = "v"; n = 1; off = lib.mkIf false "x"; }; }; }'), { name: 'r', machines: [], tags: [], tagsUnknown: false, settings: { k: 'v' }, settingValues: { k: null, n: null } });
  assert.deepEqual(role('args: { i = { a.roles.r.settings = args; }; }'), { name: 'r', machines: [], tags: [], tagsUnknown: false, settingsUnknown: true, settingValues: { '': null } });
  // what conditions read: Booleans, and whether lists are empty, at each dotted path (priorities and mkIf true taken off); eight sets deep at most
  assert.deepEqual(
    role('{ lib, ... }: { i = { a.roles.r.settings = { on = true; off = lib.mkDefault false; l = [ ]; l2 = [ 1 ]; nested.deep.enable = true; a.b.c.d.e.f.g.h.i = true; }; a.roles.r.machines.m.settings.x = lib.mkIf true [ "y" ]; }; }'),
    { name: 'r', machines: ['m'], tags: [], tagsUnknown: false, machineSettingValues: { m: { x: 'nonEmpty' } }, settingValues: { on: true, off: false, l: 'empty', l2: 'nonEmpty', 'nested.deep.enable': true, 'a.b.c.d.e.f.g.h': null } },
  );
  // a setting below a set whose value is not known that far (its condition not known, a merge): not known at its path, the others read
  assert.deepEqual(
    role('{ config, lib, ... }: { i = { a.roles.r.settings = { nested.on = lib.mkIf config.x true; nested.m = lib.mkMerge [ ]; nested.off = false; }; }; }'),
    { name: 'r', machines: [], tags: [], tagsUnknown: false, settingValues: { 'nested.on': null, 'nested.m': null, 'nested.off': false } },
  );
  const extra = (list: string) => {
    const r = role(`{ config, ... }: { i = { a.roles.r.extraModules = ${list}; }; }`);
    return 'extraModules' in r ? r.extraModules : r;
  };
  assert.deepEqual(extra('[ "${./tags}" ]'), [{ range: RANGE, path: path.join(root, 'tags') }], 'a copy of a folder: the folder (its default.nix)');
  assert.deepEqual(extra('[ config.m ]'), [{ range: RANGE, unknown: 'argument config' }]);
  const glued = extra('[ ("x" + "${./tags}/a.nix") ]') as { unknown?: string; path?: string }[];
  assert.match(glued[0]!.unknown ?? '', /^a module computed as "x\/nix\/store\/[0-9a-z]{32}-tags\/a\.nix" in instance 'a''s role 'r'$/, 'a store path inside another string is no copy of the folder');
});
