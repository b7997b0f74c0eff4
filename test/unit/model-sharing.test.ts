// Whether a generator is shared (`share = true`: one copy for the whole clan), as the machine model
// and the rules about shared generators read it: written as a literal, set to a value not known
// statically, or known only from the evaluator (a set built by functions); over all the
// declarations of a name, one `share = true` makes it shared (the module system merges them).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { analyze } from '../helpers/analyze';
import { generatorView } from '../../server/src/model/generatorView/generatorView';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('sharing: literal, unknown and evaluated share values decide where a dependency resolves and whether a shared generator depends on a per-machine one', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    // a set the syntax cannot list: the evaluator gives each generator and its share value (unknown: config.s)
    'machines/a/configuration.nix': `{ config, ... }: let mk = share: { inherit share; files.k = { }; script = "touch $out/k"; }; in {
  imports = [ ./literal.nix ./twice-1.nix ./twice-2.nix ];
  clan.core.vars.generators = builtins.listToAttrs [
    { name = "ev-shared"; value = mk true // { dependencies = [ "ev-no" "ev-maybe" ]; }; }
    { name = "ev-no"; value = mk false // { dependencies = [ ]; }; }
    { name = "ev-maybe"; value = mk config.s // { dependencies = [ ]; }; }
  ];
}\n`,
    'machines/a/literal.nix': `{ config, ... }: {
  clan.core.vars.generators.lit-no = { share = false; files.k = { }; script = "touch $out/k"; };
  clan.core.vars.generators.lit-maybe = { share = config.s; files.k = { }; script = "touch $out/k"; };
}\n`,
    // one name declared twice, once shared: shared
    'machines/a/twice-1.nix': '{ clan.core.vars.generators.twice = { files.k = { }; script = "touch $out/k"; }; }\n',
    'machines/a/twice-2.nix': '{ clan.core.vars.generators.twice = { share = true; }; }\n',
    'machines/c/configuration.nix': '{ clan.core.vars.generators.lit-shared = { share = true; dependencies = [ "ev-no" "ev-maybe" "lit-no" "lit-maybe" "twice" ]; files.k = { }; script = "touch $out/k"; }; }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const clan = index.clan(root);
  assert.deepEqual(clan.byName.get('ev-shared')!.map((g) => g.evaluated), [true], 'known from the evaluator only');
  const model = clan.machineModel();
  const resolved = ['ev-shared', 'ev-no', 'ev-maybe', 'lit-no', 'lit-maybe', 'twice'].map((n) => `${n}: ${JSON.stringify(model.resolveDependency('c', n))}`);
  assert.deepEqual(resolved, [
    'ev-shared: {"found":"shared"}',
    'ev-no: {"found":"no","perMachineOn":["a"]}',
    'ev-maybe: {"found":"maybe"}',
    'lit-no: {"found":"no","perMachineOn":["a"]}',
    'lit-maybe: {"found":"maybe"}',
    'twice: {"found":"shared"}',
  ]);
  const found = (await analyze(root)).found.filter((f) => f.code === 'shared-depends-on-machine');
  // shared (literally or by the evaluator) depending on a generator that is per machine (literally or by the evaluator); not where share is unknown, nor on 'twice'
  assert.deepEqual(found.map((f) => `${f.file}:${f.line} ${/depends on '([^']+)'/.exec(f.message)![1]}`).sort(), [
    'machines/a/configuration.nix:4 ev-no',
    'machines/c/configuration.nix:1 ev-no',
    'machines/c/configuration.nix:1 lit-no',
  ]);
});

test("sharing: a registry generator's share is the generators file's to say: a shared generator depending on one is not told it is per machine", async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': '{ pkgs ? null }: {\n  wifi = { generator = "wifi-psk"; files.value = { }; script = "touch $out/value"; };\n}\n',
    'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" ];\n}\n',
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
    'machines/m0/configuration.nix': '{ pkgs, ... }: {\n  imports = [ ./own.nix ];\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n',
    'machines/m0/own.nix': '{ clan.core.vars.generators.net = { share = true; dependencies = [ "wifi-psk" "own" ]; files.k = { }; script = "touch $out/k"; }; clan.core.vars.generators.own = { files.k = { }; script = "touch $out/k"; }; }\n',
  });
  roots.push(root);
  const found = (await analyze(root)).found.filter((f) => f.code === 'shared-depends-on-machine');
  assert.deepEqual(found.map((f) => /depends on '([^']+)'/.exec(f.message)![1]), ['own']);
});

test("sharing: a clan service's `share = settings.share` is the instance's setting where written as true or false: shared vars are placed in vars/shared, never claimed missing per machine", async () => {
  const users = `{
  _class = "clan.service";
  roles.default.perInstance = { settings, ... }: {
    nixosModule = { ... }: {
      clan.core.vars.generators."user-password-\${settings.user}" = { share = settings.share; files.hash.secret = false; script = "touch $out/hash"; };
    };
  };
}\n`;
  const root = writeTree({
    'flake.nix': '{ }',
    'services/users.nix': users,
    ...Object.fromEntries(['a', 'b', 'c'].map((m) => [`machines/${m}/configuration.nix`, '{ clan.core.settings.state-version.enable = false; }\n'])),
    'clan.nix': `{ modules.users = ./services/users.nix; inventory.instances = {
      alice = { module = { name = "users"; input = "self"; }; roles.default.machines.a = { }; roles.default.machines.b = { }; roles.default.settings = { user = "alice"; share = true; }; };
      bob = { module = { name = "users"; input = "self"; }; roles.default.machines.a = { }; roles.default.settings = { user = "bob"; share = false; }; };
      carol = { module = { name = "users"; input = "self"; }; roles.default.machines.b.settings = { user = "carol"; share = true; }; };
      alice-c = { module = { name = "users"; input = "self"; }; roles.default.machines.c = { }; roles.default.settings = { user = "alice"; share = false; }; };
    }; }\n`,
    // alice's and carol's on disk as shared, bob's per machine
    'vars/shared/user-password-alice/hash/value': 'x',
    'vars/shared/user-password-carol/hash/value': 'x',
    'vars/per-machine/a/user-password-bob/hash/value': 'x',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const clan = index.clan(root);
  const places = (name: string) => generatorView(clan, name).placements.map((p) => `${p.machine ?? 'shared'} ${p.relDir} ${p.state}`);
  // alice's is shared on a and b, and c's own (share = false) is c's
  assert.deepEqual(places('user-password-alice'), ['shared shared/user-password-alice generated', 'c per-machine/c/user-password-alice missing']);
  assert.deepEqual(places('user-password-carol'), ['shared shared/user-password-carol generated']);
  assert.deepEqual(places('user-password-bob'), ['a per-machine/a/user-password-bob generated']);
  const model = clan.machineModel();
  // a dependency on carol's from a, which has no such generator, finds the shared one; on bob's from b, a per-machine one of a only
  assert.deepEqual([model.resolveDependency('a', 'user-password-carol').found, model.resolveDependency('b', 'user-password-bob').found], ['shared', 'no']);
});

test("sharing: an instance that does not write the service's share setting takes the option's default from the service's interface", async () => {
  const users = (byDefault: boolean) => `{
  _class = "clan.service";
  roles.default.interface = { lib, ... }: { options.share = lib.mkOption { type = lib.types.bool; default = ${byDefault}; }; options.user = lib.mkOption { type = lib.types.str; }; };
  roles.default.perInstance = { settings, ... }: {
    nixosModule = { ... }: {
      clan.core.vars.generators."pw-\${settings.user}" = { share = settings.share; files.hash.secret = false; script = "touch $out/hash"; };
    };
  };
}\n`;
  const root = writeTree({
    'flake.nix': '{ }',
    'services/on.nix': users(true),
    'services/off.nix': users(false),
    'machines/a/configuration.nix': '{ clan.core.settings.state-version.enable = false; }\n',
    'clan.nix': `{ modules.on = ./services/on.nix; modules.off = ./services/off.nix; inventory.instances = {
      x = { module = { name = "on"; input = "self"; }; roles.default.machines.a = { }; roles.default.settings.user = "x"; };
      y = { module = { name = "off"; input = "self"; }; roles.default.machines.a = { }; roles.default.settings.user = "y"; };
    }; }\n`,
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const clan = index.clan(root);
  const places = (name: string) => generatorView(clan, name).placements.map((p) => `${p.machine ?? 'shared'} ${p.relDir} ${p.state}`);
  assert.deepEqual(places('pw-x'), ['shared shared/pw-x missing']);
  assert.deepEqual(places('pw-y'), ['a per-machine/a/pw-y missing']);
});

test("sharing: two instances that give one machine the same computed name, with the same share or a different one", async () => {
  const users = (share: string) => `{
  _class = "clan.service";
  roles.default.perInstance = { settings, ... }: {
    nixosModule = { config, ... }: {
      clan.core.vars.generators."user-password-\${settings.user}" = { validation = settings.v; files.hash.secret = settings.s; share = ${share}; script = "touch $out/hash"; };
    };
  };
}\n`;
  const inst = (name: string, machine: string, user: string, share: boolean, service = 'users') =>
    `${name} = { module = { name = "${service}"; input = "self"; }; roles.default.machines.${machine} = { }; roles.default.settings = { user = "${user}"; share = ${share}; }; };`;
  const root = writeTree({
    'flake.nix': '{ }',
    'services/users.nix': users('settings.share'),
    // share is computed from the setting, not the setting itself: not known
    'services/negated.nix': users('!settings.share'),
    'services/either.nix': users('settings.share || config.x'),
    ...Object.fromEntries(['a', 'b', 'c'].map((m) => [`machines/${m}/configuration.nix`, '{ clan.core.settings.state-version.enable = false; }\n'])),
    'clan.nix': `{ modules = { users = ./services/users.nix; negated = ./services/negated.nix; either = ./services/either.nix; }; inventory.instances = {
      ${inst('alice', 'a', 'alice', true)} ${inst('alice2', 'a', 'alice', false)} ${inst('bob', 'a', 'bob', false)}
      ${inst('ann', 'a', 'ann', true, 'negated')} ${inst('ben', 'a', 'ben', false, 'either')}
      ${inst('carol', 'b', 'carol', true)} ${inst('carol2', 'b', 'carol', true)}
    }; }\n`,
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const model = index.clan(root).machineModel();
  assert.deepEqual([...model.machines].map(([m, v]) => `${m}: ${[...v.generators.keys()].sort().join(' ')}`), ['a: user-password-alice user-password-ann user-password-ben user-password-bob', 'b: user-password-carol', 'c: ']);
  // share is read from the share option, not from the options before it that read settings too
  // alice's is shared by one instance and not by the other: whether c finds it is not known; carol's is shared by both; bob's is a's own; ann's and ben's share is not known
  assert.deepEqual(
    ['user-password-alice', 'user-password-carol', 'user-password-bob', 'user-password-ann', 'user-password-ben'].map((n) => model.resolveDependency('c', n).found),
    ['maybe', 'shared', 'no', 'maybe', 'maybe'],
  );
});
