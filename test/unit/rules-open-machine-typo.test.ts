// Likely typos and other machines' generators on open machines (rules/openMachineTypo.ts): how near a
// name must be, which unread parts keep a name possible, and the exact messages (what was not read,
// lists of machines and owners).
import { after } from 'node:test';
import { runRuleCases } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

/** A machine module importing the given flakes' modules (the machine is open), then `body`. */
const open = (body: string, inputs = ['x']) => `{ inputs, ... }: {\n  imports = [ ${inputs.map((i) => `inputs.${i}.nixosModules.m`).join(' ')} ];\n${body}\n}\n`;
/** A machine with every module read. */
const closed = (body: string) => `{ config, ... }: {\n${body}\n}\n`;
/** A machine with a computed import (not another flake's module) besides `inputs`' modules. */
const computed = (body: string, inputs: string[] = []) => `{ inputs, ... }: {\n  imports = [ ./y-\${"z"}.nix ${inputs.map((i) => `inputs.${i}.nixosModules.m`).join(' ')} ];\n${body}\n}\n`;
const SSH = `  clan.core.vars.generators.ssh-host = { files.key = { }; script = "touch $out/key"; };`;
const web = (deps: string) => `  clan.core.vars.generators.web = { files.k = { }; dependencies = ${deps}; script = "touch $out/k"; };`;
const read = (expr: string) => `  environment.etc.x.source = ${expr};`;
const DEP = ['unknown-dependency'];
const X = "a module of flake input 'x' (inputs.x.nixosModules.m)";
const reason = (input: string) => `a module of flake input '${input}' (inputs.${input}.nixosModules.m)`;
const stops = (dep: string) => `clan vars generate stops with "Generator 'web' depends on '${dep}', but '${dep}' was not found", unless a module we could not read declares it.`;
/** The whole message, as the user reads it. */
const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** A clan-core checkout with one service whose server role declares the per-machine generator `srv-key`. */
const clanCore = writeTree({
  'clanServices/srv/default.nix': `{ ... }: { _class = "clan.service"; manifest.name = "srv"; roles.server.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.srv-key = { files.k = { }; script = "touch $out/k"; }; }; }; }\n`,
});
after(() => removeTree(clanCore));

runRuleCases('open machine typos', [
  {
    name: 'a name two edits from a declared one (and a third of its length) is a likely typo',
    files: { 'flake.nix': '{ }', 'machines/a/configuration.nix': open(`${SSH}\n${web('[ "ssh-hxxt" ]')}`) },
    only: DEP,
    expect: ['machines/a/configuration.nix:4 unknown-dependency'],
    severities: ['warning'],
    messages: [/^No module we can read declares a generator 'ssh-hxxt' for machine 'a'\. Did you mean 'ssh-host'\?/],
  },
  {
    name: 'what was not read: the first two reasons and how many more',
    files: { 'flake.nix': '{ }', 'machines/a/configuration.nix': open(`${SSH}\n${web('[ "ssh-hots" ]')}`, ['x', 'y', 'z']) },
    only: DEP,
    expect: ['machines/a/configuration.nix:4 unknown-dependency'],
    messages: [exact(`No module we can read declares a generator 'ssh-hots' for machine 'a'. Did you mean 'ssh-host'? Not read: ${X}; ${reason('y')} (+1 more). ${stops('ssh-hots')}`)],
  },
  {
    name: 'what was not read: two reasons are both shown, with no count',
    files: { 'flake.nix': '{ }', 'machines/a/configuration.nix': open(`${SSH}\n${web('[ "ssh-hots" ]')}`, ['x', 'y']) },
    only: DEP,
    expect: ['machines/a/configuration.nix:4 unknown-dependency'],
    messages: [exact(`No module we can read declares a generator 'ssh-hots' for machine 'a'. Did you mean 'ssh-host'? Not read: ${X}; ${reason('y')}. ${stops('ssh-hots')}`)],
  },
  {
    name: "another machine's generator: five owners are listed, more are counted; two open machines are both named",
    files: {
      'flake.nix': '{ }',
      ...Object.fromEntries(['b1', 'b2', 'b3', 'b4', 'b5', 'b6'].map((m) => [`machines/${m}/configuration.nix`, closed(SSH)])),
      'machines/a1/configuration.nix': open(web('[ "ssh-host" ]')),
      'machines/a2/configuration.nix': `{ imports = [ ../a1/configuration.nix ]; }\n`,
    },
    only: DEP,
    expect: ['machines/a1/configuration.nix:3 unknown-dependency'],
    severities: ['warning'],
    messages: [exact(`'ssh-host' is a per-machine generator of 'b1', 'b2', 'b3', 'b4', 'b5' and 1 more, not of machines 'a1', 'a2': declare it there too, or make it shared (share = true). Not read: ${X}. ${stops('ssh-host')}`)],
  },
  {
    name: "another machine's generator: five owners are all listed, with no count",
    files: {
      'flake.nix': '{ }',
      ...Object.fromEntries(['b1', 'b2', 'b3', 'b4', 'b5'].map((m) => [`machines/${m}/configuration.nix`, closed(SSH)])),
      'machines/a/configuration.nix': open(web('[ "ssh-host" ]')),
    },
    only: DEP,
    expect: ['machines/a/configuration.nix:3 unknown-dependency'],
    messages: [exact(`'ssh-host' is a per-machine generator of 'b1', 'b2', 'b3', 'b4', 'b5', not of machine 'a': declare it there too, or make it shared (share = true). Not read: ${X}. ${stops('ssh-host')}`)],
  },
  {
    name: "another machine's generator, from a machine whose modules are all read: the open machine, with only other flakes' modules unread, may declare it shared",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': closed(web('[ "ssh-host" ]')),
      'machines/b/configuration.nix': closed(SSH),
      'machines/c/configuration.nix': open(''),
    },
    only: DEP,
    expect: ['machines/a/configuration.nix:2 unknown-dependency'],
    severities: ['warning'],
    messages: [exact(`'ssh-host' is a per-machine generator of 'b', not of machine 'a': declare it there too, or make it shared (share = true). Not read on machine 'c', which may declare it shared: ${X}. ${stops('ssh-host')}`)],
  },
  {
    name: "another machine's generator, from a closed machine: nothing when one of the open machines has a part unread that may declare it shared (a computed import)",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': closed(web('[ "ssh-host" ]')),
      'machines/b/configuration.nix': closed(SSH),
      'machines/c/configuration.nix': open(''),
      'machines/d/configuration.nix': computed(''),
    },
    only: DEP,
    expect: [],
  },
  {
    name: "another machine's generator: nothing on an open machine with a computed import besides another flake's module",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': computed(web('[ "ssh-host" ]'), ['x']),
      'machines/b/configuration.nix': closed(SSH),
    },
    only: DEP,
    expect: [],
  },
  {
    name: "another machine's generator: nothing on an open machine with computed names its pattern matches",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': open(`  clan.core.vars.generators."ssh-\${config.networking.hostName}" = { };\n${web('[ "ssh-host" ]')}`).replace('{ inputs, ... }', '{ inputs, config, ... }'),
      'machines/b/configuration.nix': closed(SSH),
    },
    only: DEP,
    expect: [],
  },
  {
    name: "another machine's generator: nothing when some declaration of it may be shared (share computed)",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': open(web('[ "ssh-host" ]')),
      'machines/b/configuration.nix': closed(SSH),
      'machines/c/configuration.nix': closed('  clan.core.vars.generators.ssh-host = { share = config.x; files.key = { }; };'),
    },
    only: DEP,
    expect: [],
  },
  {
    name: "a typo of a dependency: nothing when another machine's generator set we cannot enumerate may declare it (shared)",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': open(`${SSH}\n${web('[ "ssh-hots" ]')}`),
      'machines/b/configuration.nix': '{ lib, names, ... }: { clan.core.vars.generators = lib.genAttrs names (_: { }); }\n',
    },
    only: DEP,
    expect: [],
  },
  {
    name: "a typo of a dependency: nothing when computed names of the machine match it",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': open(`${SSH}\n  clan.core.vars.generators."ssh-\${config.networking.hostName}" = { };\n${web('[ "ssh-hots" ]')}`).replace('{ inputs, ... }', '{ inputs, config, ... }'),
    },
    only: DEP,
    expect: [],
  },
  {
    name: "a read of another machine's generator: a warning where only other flakes' modules are unread, nothing where a computed import is",
    files: {
      'flake.nix': '{ }',
      'machines/b/configuration.nix': closed(SSH),
      'machines/a/configuration.nix': open(read('config.clan.core.vars.generators.ssh-host.files.key.path')),
      'machines/c/configuration.nix': computed(read('config.clan.core.vars.generators.ssh-host.files.key.path')),
    },
    only: ['unknown-var-read'],
    expect: ['machines/a/configuration.nix:3 unknown-var-read'],
    severities: ['warning'],
    messages: [/^Generator 'ssh-host' is declared for 'b', not for machine 'a'\./],
  },
  {
    name: "another machine's generator: nothing where an unread part only quotes another flake's module (a module not known statically)",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': `{ inputs, f, ... }: {\n  imports = [ inputs.x.nixosModules.m (f "a module of flake input 'q'") ];\n${web('[ "ssh-host" ]')}\n}\n`,
      'machines/b/configuration.nix': closed(SSH),
    },
    only: DEP,
    expect: [],
  },
  {
    name: "a per-machine generator only clan-core's service declares (on another machine) is not the clan's own: nothing on an open machine",
    files: {
      'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.srv = { module.name = "srv"; module.input = "clan-core"; roles.server.machines.b = { }; }; }; }; }\n`,
      'machines/a/configuration.nix': open(web('[ "srv-key" ]')),
      'machines/b/configuration.nix': closed(''),
    },
    settings: { clanCorePath: clanCore },
    only: DEP,
    expect: [],
  },
]);
