// Open machines and shared generators. A shared generator is the same on every machine (clan vars
// generate stops when two machines declare it differently), so where one machine has every
// declaration of it read, its files are the generator's files on an open machine too. Per-machine
// generators, and machines that may not have it shared, stay as before: a module we could not read
// may add the file there. And a dependency clan resolves to a shared generator of any machine: on a
// machine with every module read, a name no module we read declares is an error only when no
// machine has modules we could not read (one of those may declare it shared).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyze, brief } from '../helpers/analyze';
import { runRuleCases } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

/** A machine importing `modules` and another flake's module (it is open), then `body`. */
const open = (modules: string[], body = '') => `{ inputs, config, ... }: {\n  imports = [ inputs.x.nixosModules.y ${modules.join(' ')} ];\n${body}\n}\n`;
/** The same with every module read. */
const closed = (modules: string[], body = '') => `{ config, ... }: {\n  imports = [ ${modules.join(' ')} ];\n${body}\n}\n`;
/** A module declaring generator `ca` (files key and key.pub), shared or not. */
const ca = (share: boolean) => `{ pkgs, ... }: {\n  clan.core.vars.generators.ca = {${share ? ' share = true;' : ''} files.key = { }; files."key.pub".secret = false; runtimeInputs = [ pkgs.openssh ]; script = "ssh-keygen -f $out/key"; };\n}\n`;
const CA = '../../modules/ca.nix';
/** Line 3 of a machine's file: a generator depending on `name`. */
const DEPENDS = (name: string) => `  clan.core.vars.generators.web = { files.k = { }; dependencies = [ "${name}" ]; script = "touch $out/k"; };`;
/** Line 3 of a machine's file: reads of ca's files. */
const reads = (...files: string[]) => files.map((f) => `  environment.etc.${f.replace(/\W/g, '')}.source = config.clan.core.vars.generators.ca.files.${f}.path;`).join('\n');

runRuleCases('open machines, shared generators', [
  {
    name: 'unknown-var-read: a file a shared generator lacks on a machine with every module read is missing on an open machine that has it shared (an error, far names too)',
    files: {
      'flake.nix': '{ }',
      'modules/ca.nix': ca(true),
      'machines/a/configuration.nix': open([CA], reads('crt', '"key.pub"')),
      'machines/b/configuration.nix': closed([CA]),
    },
    only: ['unknown-var-read'],
    expect: ['machines/a/configuration.nix:3 unknown-var-read'],
    severities: ['error'],
    messages: [/^Shared generator 'ca' declares no file 'crt' on machine 'b', whose modules are all read, so it has none on machine 'a' either\. Its files: key, key\.pub\. Evaluation of the machine fails with "attribute 'crt' missing"; .*"Machines b and a have different definitions for shared generator 'ca' \(differ in: files\)"/],
  },
  {
    name: 'unknown-var-read: silent on an open machine whose generator is per-machine: a module we could not read may add the file there',
    files: { 'flake.nix': '{ }', 'modules/ca.nix': ca(false), 'machines/a/configuration.nix': open([CA], reads('crt')), 'machines/b/configuration.nix': closed([CA]) },
    only: ['unknown-var-read'],
    expect: [],
  },
  {
    name: 'unknown-var-read: silent where no machine with the shared generator has every module read',
    files: { 'flake.nix': '{ }', 'modules/ca.nix': ca(true), 'machines/a/configuration.nix': open([CA], reads('crt')), 'machines/b/configuration.nix': open([CA]) },
    only: ['unknown-var-read'],
    expect: [],
  },
  {
    name: 'unknown-var-read: silent on an open machine no module we read gives the shared generator: one we could not read may give it a per-machine one',
    files: { 'flake.nix': '{ }', 'modules/ca.nix': ca(true), 'machines/a/configuration.nix': open([], reads('crt')), 'machines/b/configuration.nix': closed([CA]) },
    only: ['unknown-var-read'],
    expect: [],
  },
  {
    name: 'unknown-var-read: no reference where the machine with every module read may have more of it (a computed name of its form there)',
    files: {
      'flake.nix': '{ }',
      'modules/ca.nix': ca(true),
      'machines/a/configuration.nix': open([CA], reads('crt')),
      'machines/b/configuration.nix': closed([CA], '  clan.core.vars.generators = lib.mapAttrs\' (n: _: lib.nameValuePair "c${n}" { files.crt = { }; }) config.cas;'),
    },
    only: ['unknown-var-read'],
    expect: [],
  },
  {
    name: "unknown-dependency: on a machine with every module read, a name no module we read declares is an error where every machine is read",
    files: { 'flake.nix': '{ }', 'machines/c/configuration.nix': closed([], DEPENDS('zzzqqq')), 'machines/a/configuration.nix': closed([]) },
    only: ['unknown-dependency'],
    expect: ['machines/c/configuration.nix:3 unknown-dependency'],
    severities: ['error'],
  },
  {
    name: "unknown-dependency: silent on a machine with every module read where another machine's unread modules may declare the name shared (clan-core's sshd at a revision not read gives 'openssh-ca')",
    files: {
      'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.machines.a = { }; }; }; }; }\n`,
      'machines/a/configuration.nix': '{ }\n',
      'machines/c/configuration.nix': closed([], DEPENDS('openssh-ca')),
    },
    only: ['unknown-dependency'],
    expect: [],
  },
  {
    name: "unknown-dependency: on a machine with every module read, where another machine has modules of other flakes unread, a likely typo and another machine's per-machine generator are warnings naming them",
    files: {
      'flake.nix': '{ }',
      'machines/c/configuration.nix': closed([], `${DEPENDS('ssh-hots')}\n  clan.core.vars.generators.ssh-host = { files.k = { }; script = "touch $out/k"; };\n  clan.core.vars.generators.db = { files.k = { }; dependencies = [ "radio-sync" ]; script = "touch $out/k"; };`),
      'machines/a/configuration.nix': open([], '  clan.core.vars.generators.radio-sync = { files.k = { }; script = "touch $out/k"; };'),
    },
    only: ['unknown-dependency'],
    expect: ['machines/c/configuration.nix:3 unknown-dependency', 'machines/c/configuration.nix:5 unknown-dependency'],
    severities: ['warning', 'warning'],
    messages: [/^No module we can read declares a generator 'ssh-hots' for machine 'c'\. Did you mean 'ssh-host'\? Not read on machine 'a', which may declare it shared: a module of flake input 'x'/, /^'radio-sync' is a per-machine generator of 'a', not of machine 'c': .* Not read on machine 'a', which may declare it shared: a module of flake input 'x'/],
  },
  {
    name: "unknown-dependency: another machine's per-machine generator is not reported on a machine with every module read where a clan-core service at a revision not read may declare it shared elsewhere",
    files: {
      'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.machines.b = { }; }; }; }; }\n`,
      'machines/b/configuration.nix': '{ }\n',
      'machines/c/configuration.nix': closed([], DEPENDS('radio-sync')),
      'machines/a/configuration.nix': closed([], '  clan.core.vars.generators.radio-sync = { files.k = { }; script = "touch $out/k"; };'),
    },
    only: ['unknown-dependency'],
    expect: [],
  },
]);

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** A clan-core checkout whose service `sshd` gives its server role `openssh-ca` (shared or not), and a clan with machines a (open) and b (closed) in that role. */
function clanWithService(share: boolean, machineA: string, machineB = '{ }'): { clanCore: string; root: string } {
  const clanCore = writeTree({
    'clanServices/sshd/default.nix': `{ ... }: { _class = "clan.service"; manifest.name = "sshd"; roles.server.perInstance = { ... }: { nixosModule = { pkgs, ... }: { clan.core.vars.generators.openssh-ca = {${share ? ' share = true;' : ''} files.id_ed25519 = { }; files."id_ed25519.pub".secret = false; runtimeInputs = [ pkgs.openssh ]; script = "ssh-keygen -f $out/id_ed25519"; }; }; }; }\n`,
  });
  const root = writeTree({
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.tags.all = { }; }; }; }; }\n`,
    'machines/a/configuration.nix': machineA,
    'machines/b/configuration.nix': machineB,
  });
  roots.push(clanCore, root);
  return { clanCore, root };
}

/** A generator of machine a reading `$in/openssh-ca/<file>`. */
const CERT = (file: string) => `  clan.core.vars.generators.cert = { files.crt = { }; dependencies = [ "openssh-ca" ]; runtimeInputs = [ pkgs.openssh ]; script = "ssh-keygen -s $in/openssh-ca/${file} $in/openssh-ca/id_ed25519.pub > $out/crt"; };`;
const machineWith = (isOpen: boolean, body: string) => `{ inputs, pkgs, ... }: {\n  imports = [ ${isOpen ? 'inputs.x.nixosModules.y' : ''} ];\n${body}\n}\n`;

test("unknown-input: a file a clan-core service's shared generator lacks on a machine with every module read is missing on an open machine (an error)", async () => {
  const { clanCore, root } = clanWithService(true, machineWith(true, CERT('id_ed25519.key')));
  const { found } = await analyze(root, { clanCorePath: clanCore });
  const inputs = found.filter((f) => f.code === 'unknown-input');
  assert.deepEqual(brief(inputs), ['machines/a/configuration.nix:3 unknown-input'], JSON.stringify(found));
  assert.equal(inputs[0].severity, 'error');
  assert.match(inputs[0].message, /^Shared generator 'openssh-ca' declares no file 'id_ed25519\.key' on machine 'b', whose modules are all read, so \$in\/openssh-ca\/id_ed25519\.key does not exist when the script runs on machine 'a'\. Did you mean 'id_ed25519\.pub'\? .*would stop before running it, with "Machines b and a have different definitions for shared generator 'openssh-ca' \(differ in: files\)"/);
});

test('unknown-input: a machine with every module read that gets the shared generator from other machines reads its files (an error)', async () => {
  // c has no openssh-ca of its own (not in the role), so clan gives it the shared one of a and b
  const { clanCore } = clanWithService(true, '{ }');
  const root = writeTree({
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.machines.a = { }; roles.server.machines.b = { }; }; }; }; }\n`,
    'machines/a/configuration.nix': machineWith(true, ''),
    'machines/b/configuration.nix': '{ }',
    'machines/c/configuration.nix': machineWith(false, CERT('id_ed25519.key')),
  });
  roots.push(root);
  const { found } = await analyze(root, { clanCorePath: clanCore });
  const inputs = found.filter((f) => f.code === 'unknown-input');
  assert.deepEqual(brief(inputs), ['machines/c/configuration.nix:3 unknown-input'], JSON.stringify(found));
  assert.match(inputs[0].message, /on machine 'b', whose modules are all read, so .* on machine 'c'/);
});

test("unknown-input: silent on an open machine where a module we could not read may add the file: the service's generator is per-machine, or no machine has every module read", async () => {
  for (const [share, b] of [
    [false, '{ }'],
    [true, machineWith(true, '')],
  ] as const) {
    const { clanCore, root } = clanWithService(share, machineWith(true, CERT('id_ed25519.key')), b);
    const { found } = await analyze(root, { clanCorePath: clanCore });
    assert.deepEqual(brief(found.filter((f) => f.code === 'unknown-input')), [], `share ${share}: ${JSON.stringify(found)}`);
  }
});
