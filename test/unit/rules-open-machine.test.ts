// Names no readable module declares: errors on machines whose modules are all read, likely typos
// (warnings naming what could not be read) on open ones; reads of a machine's own generators.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyze, brief } from '../helpers/analyze';
import { runRuleCases } from '../helpers/ruleCases';
import { removeTree, writeTree } from '../helpers/tempClan';

/** A machine module importing another flake's module (the machine is open), then `body`. */
const open = (body: string) => `{ inputs, ... }: {\n  imports = [ inputs.x.nixosModules.y ];\n${body}\n}\n`;
/** The same machine with every module read. */
const closed = (body: string) => `{ config, ... }: {\n${body}\n}\n`;
const SSH = `  clan.core.vars.generators.ssh-host = { files.key = { }; files."key.pub".secret = false; script = "touch $out/key $out/key.pub"; };`;
const web = (deps: string, script = 'touch $out/k') => `  clan.core.vars.generators.web = { files.k = { }; dependencies = ${deps}; script = "${script}"; };`;
const read = (expr: string) => `  environment.etc.x.source = ${expr};`;

runRuleCases('open machines', [
  {
    name: 'unknown-dependency: a typo on an open machine is a warning with did-you-mean and what was not read; far names say nothing',
    files: { 'flake.nix': '{ }', 'machines/a/configuration.nix': open(`${SSH}\n${web('[ "ssh-hots" "postgres" "ssh" ]')}`) },
    only: ['unknown-dependency'],
    expect: ['machines/a/configuration.nix:4 unknown-dependency'],
    severities: ['warning'],
    messages: [/No module we can read declares a generator 'ssh-hots' for machine 'a'\. Did you mean 'ssh-host'\? Not read: a module of flake input 'x'/],
  },
  {
    name: 'unknown-dependency: on a closed machine the error is as before',
    files: { 'flake.nix': '{ }', 'machines/a/configuration.nix': closed(`${SSH}\n${web('[ "ssh-hots" ]')}`) },
    only: ['unknown-dependency'],
    expect: ['machines/a/configuration.nix:3 unknown-dependency'],
    severities: ['error'],
    messages: [/No generator named 'ssh-hots' is declared for machine 'a', nor as a shared generator\. Did you mean 'ssh-host'\? clan vars/],
  },
  {
    name: "unknown-dependency: a typo of a computed name is not one; a name declared on another machine only is that machine's (a warning where only other flakes' modules are unread)",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': open(`  clan.core.vars.generators."wg-\${config.networking.hostName}" = { };\n${web('[ "wg-hots" "ssh-hots" ]')}\n  clan.core.vars.generators.db.dependencies = [ "wbe" ];`),
      'machines/b/configuration.nix': closed(SSH.replace('ssh-host', 'ssh-hots')),
    },
    only: ['unknown-dependency'],
    expect: ['machines/a/configuration.nix:4 unknown-dependency', 'machines/a/configuration.nix:5 unknown-dependency'],
    severities: ['warning', 'warning'],
    messages: [/'ssh-hots' is a per-machine generator of 'b', not of machine 'a': declare it there too, or make it shared \(share = true\)\. Not read: a module of flake input 'x'/, /'wbe'.*Did you mean 'web'\?/],
  },
  {
    name: 'unknown-dependency: another machine\'s generator is not reported where a clan-core service, a computed import or a shared declaration may bring it',
    files: {
      'flake.nix': '{ }',
      'clan.nix': '{ inventory.instances.sshd = { module.name = "sshd"; roles.server.machines.c = { }; }; }\n',
      'machines/a/configuration.nix': `{ lib, ... }: { imports = [ (lib.mkIf true ./x.nix) ./y-\${"z"}.nix ]; ${web('[ "ssh-host" ]')} }\n`,
      'machines/c/configuration.nix': `{ ${web('[ "ssh-host" "shared-key" ]')} }\n`,
      'machines/b/configuration.nix': closed(`${SSH}\n  clan.core.vars.generators.shared-key = { share = true; };`),
    },
    only: ['unknown-dependency'],
    expect: [],
  },
  {
    name: 'unknown-dependency: in a module no machine imports, a typo is a warning even when some generator names of the clan are computed',
    files: {
      'flake.nix': '{ }',
      'services/mesh.nix': `{ config, ... }: { clan.core.vars.generators = config.mesh.generators; }\n`,
      'modules/unused.nix': `{ clan.core.vars.generators.root-ca = { files.k = { }; }; clan.core.vars.generators.cert = { dependencies = [ "root-ac" "zzz" ]; }; }\n`,
    },
    only: ['unknown-dependency'],
    expect: ['modules/unused.nix:1 unknown-dependency'],
    severities: ['warning'],
    messages: [/No module we can read declares a generator 'root-ac'\. Did you mean 'root-ca'\? Some generator names of this clan are computed\./],
  },
  {
    name: 'unknown-input: with computed dependencies, a $in generator no module declares is a typo (warning on an open machine); declared or far names are not',
    files: { 'flake.nix': '{ }', 'machines/a/configuration.nix': open(`${SSH}\n${web('[ "ssh-host" ] ++ extra', 'cat $in/ssh-hots/key $in/ssh-host/key $in/postgres/pw > $out/k')}`) },
    only: ['unknown-input'],
    expect: ['machines/a/configuration.nix:4 unknown-input'],
    severities: ['warning'],
    messages: [/reads \$in\/ssh-hots, but no module we can read declares a generator 'ssh-hots' for machine 'a'\. Did you mean 'ssh-host'\? Not read:/],
  },
  {
    name: 'unknown-var-read: on a closed machine, a generator it lacks and a file its generator lacks are errors',
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': closed(`${SSH}\n${read('config.clan.core.vars.generators.ssh-hots.files.key.path')}\n${read('config.clan.core.vars.generators.ssh-host.files.kye.path')}\n${read('config.clan.core.vars.generators.ssh-host.files."key.pub".value')}`),
    },
    only: ['unknown-var-read'],
    expect: ['machines/a/configuration.nix:3 unknown-var-read', 'machines/a/configuration.nix:4 unknown-var-read'],
    severities: ['error', 'error'],
    messages: [/^Machine 'a' has no generator 'ssh-hots'\. Did you mean 'ssh-host'\? Evaluation/, /^Generator 'ssh-host' of machine 'a' declares no file 'kye'\. Did you mean 'key'\? Evaluation/],
  },
  {
    name: "unknown-var-read: a module no machine we read imports, while some machine is open (it may import it where we cannot read): a file of the generator it declares, a letter away, is a likely typo; a file declared, a far name, or a clan whose machines are all read say nothing",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': open(''),
      'modules/signing.nix': closed(`${SSH}\n${read('config.clan.core.vars.generators.ssh-host.files.kye.path')}\n${read('config.clan.core.vars.generators.ssh-host.files.key.path')}\n${read('config.clan.core.vars.generators.ssh-host.files.certificate.path')}`),
    },
    only: ['unknown-var-read'],
    expect: ['modules/signing.nix:3 unknown-var-read'],
    severities: ['warning'],
    messages: [/^No module we can read declares a file 'kye' of generator 'ssh-host', and no machine we read imports this module\. Did you mean 'key'\? Not read: a module of flake input 'x'/],
  },
  {
    name: 'unknown-var-read: a module no machine imports in a clan whose machines are all read is on no machine: nothing is evaluated, nothing said',
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': closed(''),
      'modules/signing.nix': closed(`${SSH}\n${read('config.clan.core.vars.generators.ssh-host.files.kye.path')}`),
    },
    only: ['unknown-var-read'],
    expect: [],
  },
  {
    name: 'unknown-var-read: a module of two machines is reported for the one without the generator',
    files: {
      'flake.nix': '{ }',
      'modules/web.nix': closed(read('config.clan.core.vars.generators.ssh-host.files.key.path')),
      'machines/a/configuration.nix': `{ imports = [ ../../modules/web.nix ];\n${SSH}\n}\n`,
      'machines/b/configuration.nix': `{ imports = [ ../../modules/web.nix ]; }\n`,
    },
    only: ['unknown-var-read'],
    expect: ['modules/web.nix:2 unknown-var-read'],
    messages: [/^Machine 'b' has no generator 'ssh-host'\. Evaluation/],
  },
  {
    name: 'unknown-var-read: on an open machine, typos are warnings (generator sets no machine imports, or only another machine, do not hide them); far names, reads of other machines and defaults say nothing',
    files: {
      'flake.nix': '{ }',
      'modules/unused.nix': '{ lib, names, ... }: { clan.core.vars.generators = lib.genAttrs names (_: { }); }\n',
      'machines/b/configuration.nix': '{ lib, names, ... }: { clan.core.vars.generators = lib.genAttrs names (_: { }); }\n',
      'machines/a/configuration.nix': open(
        [
          SSH,
          read('config.clan.core.vars.generators.ssh-hots.files.key.path'),
          read('config.clan.core.vars.generators.ssh-host.files.kye.path'),
          read('config.clan.core.vars.generators.postgres.files.pw.path'),
          read('config.clan.core.vars.generators.ssh-host.files.password.path'),
          read('nodes.b.config.clan.core.vars.generators.ssh-hots.files.key.path'),
          read('config.clan.core.vars.generators.ssh-hots.files.key.path or null'),
        ].join('\n'),
      ),
    },
    only: ['unknown-var-read'],
    expect: ['machines/a/configuration.nix:4 unknown-var-read', 'machines/a/configuration.nix:5 unknown-var-read'],
    severities: ['warning', 'warning'],
    messages: [
      /^No module we can read declares a generator 'ssh-hots' for machine 'a'\. Did you mean 'ssh-host'\? Not read: a module of flake input 'x'/,
      /^No module we can read declares a file 'kye' of generator 'ssh-host' for machine 'a'\. Did you mean 'key'\?/,
    ],
  },
  {
    name: 'unknown-var-read: computed names, computed files, persisted prompts and clan-core machine generators are not reported; a file a persisted prompt does not create is',
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': closed(
        [
          '  clan.core.vars.generators."wg-${config.networking.hostName}" = { };',
          '  clan.core.vars.generators.many = { files = lib.genAttrs names (_: { }); };',
          '  clan.core.vars.generators.wifi = { prompts.psk = { persist = true; }; };',
          read('config.clan.core.vars.generators.wg-a.files.key.path'),
          read('config.clan.core.vars.generators.many.files.anything.path'),
          read('config.clan.core.vars.generators.wifi.files.psk.path'),
          read('config.clan.core.vars.generators.machine-id.files.machineId.value'),
          read('config.clan.core.vars.generators.wifi.files.pks.path'),
        ].join('\n'),
      ),
    },
    only: ['unknown-var-read'],
    // only the last read: wifi's files are known (its persisted prompt)
    expect: ['machines/a/configuration.nix:9 unknown-var-read'],
    messages: [/declares no file 'pks'\. Did you mean 'psk'\?/],
  },
  {
    name: "a generator set lib.mapAttrs' builds over an option is one pattern generator: the machine stays closed, names the pattern matches are its",
    files: {
      'flake.nix': '{ }',
      'machines/a/configuration.nix': `{ config, lib, pkgs, ... }: {
  clan.core.vars.generators = lib.mapAttrs' (user: _: lib.nameValuePair "\${user}-smb-password" {
    files.password = { };
    script = "xkcdpass > $out/password";
  }) config.services.samba.users;
  clan.core.vars.generators.smb-env = { files.env = { }; dependencies = [ "alice-smb-password" ]; script = "cat $in/alice-smb-password/password > $out/env"; };
${read('config.clan.core.vars.generators.alice-smb-password.files.password.path')}
${read('config.clan.core.vars.generators."${u}-smb-password".files.password.path')}
${read('config.clan.core.vars.generators.postgres.files.pw.path')}
}
`,
    },
    only: ['unknown-dependency', 'unknown-input', 'unknown-var-read', 'undeclared-output', 'missing-output'],
    expect: ['machines/a/configuration.nix:9 unknown-var-read'],
    severities: ['error'],
    messages: [/postgres/],
  },
]);

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test("unknown-input: a file a clan-core service's generator lacks, with clan-core read from a checkout", async () => {
  // a clan-core checkout with one service whose server role declares `openssh`
  const clanCore = writeTree({
    'clanServices/sshd/default.nix': `{ ... }: { _class = "clan.service"; manifest.name = "sshd"; roles.server.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.openssh = { files."ssh.id_ed25519" = { }; files."ssh.id_ed25519.pub".secret = false; script = "ssh-keygen -f $out/ssh.id_ed25519"; }; }; }; }\n`,
  });
  const root = writeTree({
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.tags.all = { }; }; }; }; }\n`,
    'machines/a/configuration.nix': `{ clan.core.vars.generators.x = { files.k = { }; dependencies = [ "openssh" ]; script = "cat $in/openssh/ssh.id_ed25519.pub $in/openssh/ssh.id_ed2519.pub > $out/k"; }; }\n`,
  });
  roots.push(clanCore, root);
  const { found } = await analyze(root, { clanCorePath: clanCore });
  const inputs = found.filter((f) => f.code === 'unknown-input');
  assert.deepEqual(brief(inputs), ['machines/a/configuration.nix:1 unknown-input'], JSON.stringify(found));
  assert.match(inputs[0].message, /Generator 'openssh' of machine 'a' declares no file 'ssh\.id_ed2519\.pub'.*Did you mean 'ssh\.id_ed25519\.pub'\?/);
});

test("secret-value-access: .exists and .value of a clan-core service's files on the machines that have it, with clan-core read from a checkout", async () => {
  const clanCore = writeTree({
    'clanServices/sshd/default.nix': `{ ... }: { _class = "clan.service"; manifest.name = "sshd"; roles.server.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.openssh = { files."ssh.id_ed25519" = { }; files."ssh.id_ed25519.pub".secret = false; script = "ssh-keygen -f $out/ssh.id_ed25519"; }; }; }; }\n`,
  });
  const root = writeTree({
    'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.tags.all = { }; }; }; }; }\n`,
    'machines/a/configuration.nix': `{ config, lib, ... }:
let ssh = config.clan.core.vars.generators.openssh; in
{
  a = lib.mkIf ssh.files."ssh.id_ed25519".exists { };
  b = ssh.files."ssh.id_ed25519.pub".value;
  c = config.clan.core.vars.generators.openssh.files."ssh.id_ed25519".value;
}
`,
  });
  roots.push(clanCore, root);
  const { found } = await analyze(root, { clanCorePath: clanCore });
  assert.deepEqual(brief(found.filter((f) => f.code === 'secret-value-access')), ['machines/a/configuration.nix:4 secret-value-access', 'machines/a/configuration.nix:6 secret-value-access'], JSON.stringify(found));
});
