// secret-value-access, from what a clan user sees, over the ways a file's secrecy is decided
// (rules/secretFiles.ts): a file is secret unless a declaration says `secret = false`; a registry
// entry's own `secret` for the file its `fileAttr` names; silence where it cannot be told (a
// computed `secret`, files a declaration computes, a file no declaration of that name has); a
// generator only flake inputs declare is judged on the machines of the module that reads it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyze } from '../helpers/analyze';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The secret-value-access findings on this clan (an empty flake.nix unless given), as `file:line severity: message`. */
async function secretReads(files: Record<string, string>, settings: Record<string, string> = {}): Promise<string[]> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const { found } = await analyze(root, settings);
  return found
    .filter((f) => f.code === 'secret-value-access')
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
    .map((f) => `${f.file}:${f.line} ${f.severity}: ${f.message}`);
}

/** What the user reads for `.value` of a secret file. */
const valueOf = (generator: string, file: string) =>
  `error: File '${file}' of generator '${generator}' is secret, so .value is not available: use .path and read it at run time, or set secret = false. Evaluation throws "Cannot access value of secret file": the value of a secret never enters the Nix evaluation.`;
/** What the user reads for `.exists` of a secret file. */
const existsOf = (generator: string, file: string) =>
  `error: File '${file}' of generator '${generator}' is secret, so .exists is not available: use .path and read it at run time, or set secret = false. Evaluation throws "Cannot determine existence of secret file": the value of a secret never enters the Nix evaluation.`;

/** A module reading `generators.<generator>.files.<file>.<attr>` for each read, one a line from line 3. */
const reads = (...rs: [string, string, string][]) =>
  `{ config, ... }:\n{\n${rs.map(([g, f, a], i) => `  r${i} = config.clan.core.vars.generators.${g}.files.${f}.${a};`).join('\n')}\n}\n`;

const registry = (entries: string) => `{ pkgs ? null }: {\n${entries}\n}\n`;

test('registry: an entry with secret = true makes its generator\'s file secret; entries before it (no generator, another generator) are not it', async () => {
  assert.deepEqual(
    await secretReads({
      'lib/secret-registry.nix': registry('  a-plain = { envVar = "PLAIN"; };\n  b-web = { generator = "web"; };\n  c-api = { generator = "api"; secret = true; };'),
      'use.nix': reads(['api', 'token', 'value'], ['api', 'token', 'exists'], ['api', 'token', 'path']),
    }),
    [`use.nix:3 ${valueOf('api', 'token')}`, `use.nix:4 ${existsOf('api', 'token')}`],
  );
});

test('registry: an entry with secret = false, or without secret, leaves .value alone', async () => {
  assert.deepEqual(
    await secretReads({
      'lib/secret-registry.nix': registry('  a = { generator = "api"; secret = false; };\n  b = { generator = "db"; };'),
      'use.nix': reads(['api', 'token', 'value'], ['db', 'token', 'value']),
    }),
    [],
  );
});

test('registry: fileAttr names the file the entry\'s secret is for; another file of the generator is not told', async () => {
  assert.deepEqual(
    await secretReads({
      'lib/secret-registry.nix': registry('  a = { generator = "api"; secret = true; fileAttr = "token"; };'),
      'use.nix': reads(['api', 'token', 'value'], ['api', 'other', 'value']),
    }),
    [`use.nix:3 ${valueOf('api', 'token')}`],
  );
});

test('registry: an entry without secret that no machine selects leaves the machine\'s own declaration deciding: its file is secret', async () => {
  assert.deepEqual(
    await secretReads({
      'lib/secret-registry.nix': registry('  a = { generator = "api"; };'),
      'machines/a/configuration.nix': `{ config, ... }:\n{\n  clan.core.vars.generators.api = { files.token = { }; script = "touch $out/token"; };\n  x = config.clan.core.vars.generators.api.files.token.value;\n}\n`,
    }),
    [`machines/a/configuration.nix:4 ${valueOf('api', 'token')}`],
  );
});

test('secret = true written out is secret; secret = false is not; a computed secret cannot be told', async () => {
  assert.deepEqual(
    await secretReads({
      'gen.nix': `{ config, ... }:\n{\n  clan.core.vars.generators.ssh = {\n    files.key.secret = true;\n    files.pub.secret = false;\n    files.cert.secret = config.networking.hostName == "x";\n    script = "touch $out/key $out/pub $out/cert";\n  };\n}\n`,
      'use.nix': reads(['ssh', 'key', 'value'], ['ssh', 'pub', 'value'], ['ssh', 'cert', 'value']),
    }),
    [`use.nix:3 ${valueOf('ssh', 'key')}`],
  );
});

test('a file the generator does not declare is not said to be secret', async () => {
  assert.deepEqual(
    await secretReads({
      'gen.nix': `{\n  clan.core.vars.generators.ssh = { files.key = { }; script = "touch $out/key"; };\n}\n`,
      'use.nix': reads(['ssh', 'nope', 'value'], ['ssh', 'key', 'value']),
    }),
    [`use.nix:4 ${valueOf('ssh', 'key')}`],
  );
});

test('a second declaration of the generator that does not mention the file leaves it secret', async () => {
  assert.deepEqual(
    await secretReads({
      'gen.nix': `{\n  clan.core.vars.generators.ssh = { files.key = { }; script = "touch $out/key"; };\n}\n`,
      'more.nix': `{\n  clan.core.vars.generators.ssh.share = false;\n}\n`,
      'use.nix': reads(['ssh', 'key', 'value']),
    }),
    [`use.nix:3 ${valueOf('ssh', 'key')}`],
  );
});

test('files a declaration computes from an argument may set secret = false: the file another declaration names is not told', async () => {
  assert.deepEqual(
    await secretReads({
      'gen.nix': `{ extraFiles, ... }:\n{\n  clan.core.vars.generators.ssh = { files = extraFiles; script = "touch $out/key"; };\n}\n`,
      'more.nix': `{\n  clan.core.vars.generators.ssh.files.key = { };\n}\n`,
      'use.nix': reads(['ssh', 'key', 'value']),
    }),
    [],
  );
});

test('a generator set the evaluator computes (lib.genAttrs) with secret = false is not secret', async () => {
  assert.deepEqual(
    await secretReads({
      'gen.nix': `{ lib, ... }:\n{\n  clan.core.vars.generators = lib.genAttrs [ "ssh" ] (_: { files.key.secret = false; script = "touch $out/key"; });\n}\n`,
      'use.nix': reads(['ssh', 'key', 'value']),
    }),
    [],
  );
});

test('a file only a computed name that could be the generator declares is not said to be secret', async () => {
  assert.deepEqual(
    await secretReads({
      'gen.nix': `{ name, ... }:\n{\n  clan.core.vars.generators.net-home = { files.other = { }; script = "touch $out/other"; };\n  clan.core.vars.generators."net-\${name}".files.id = { };\n}\n`,
      'use.nix': reads(['net-home', 'id', 'value'], ['net-home', 'other', 'value']),
    }),
    [`use.nix:4 ${valueOf('net-home', 'other')}`],
  );
});

test('secret = false in a module no machine is known to import may be merged into the generator: not told to be secret', async () => {
  assert.deepEqual(
    await secretReads({
      'machines/a/configuration.nix': `{ config, ... }:\n{\n  clan.core.vars.generators.api = { files.token = { }; script = "touch $out/token"; };\n  x = config.clan.core.vars.generators.api.files.token.value;\n}\n`,
      'modules/public.nix': `{\n  clan.core.vars.generators.api.files.token.secret = false;\n}\n`,
    }),
    [],
  );
});

test("a clan-core service's generator read in a module two machines share: judged on the machine that has the service", async () => {
  const clanCore = writeTree({
    'clanServices/sshd/default.nix': `{ ... }: { _class = "clan.service"; manifest.name = "sshd"; roles.server.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.openssh = { files."ssh.id_ed25519" = { }; files."ssh.id_ed25519.pub".secret = false; script = "ssh-keygen -f $out/ssh.id_ed25519"; }; }; }; }\n`,
  });
  roots.push(clanCore);
  assert.deepEqual(
    await secretReads(
      {
        'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.sshd = { module.name = "sshd"; module.input = "clan-core"; roles.server.machines.b = { }; }; }; }; }\n`,
        'machines/a/configuration.nix': `{ imports = [ ../../modules/use.nix ]; }\n`,
        'machines/b/configuration.nix': `{ imports = [ ../../modules/use.nix ]; }\n`,
        'modules/use.nix': reads(['openssh', '"ssh.id_ed25519"', 'value'], ['openssh', '"ssh.id_ed25519.pub"', 'value']),
      },
      { clanCorePath: clanCore },
    ),
    [`modules/use.nix:3 ${valueOf('openssh', 'ssh.id_ed25519')}`],
  );
});

test('a read in the extraModules of a role naming a machine the clan does not have is not judged on that machine', async () => {
  assert.deepEqual(
    await secretReads({
      'clan.nix': `{\n  inventory.instances.one = { module = { name = "importer"; input = "self"; }; roles.default.machines.ghost = { }; roles.default.extraModules = [ ({ config, ... }: { x = config.clan.core.vars.generators.vpn.files.key.value; }) ];  };\n}\n`,
      'gen.nix': `{\n  clan.core.vars.generators.ssh = { files.key = { }; script = "touch $out/key"; };\n}\n`,
      'use.nix': reads(['ssh', 'key', 'value']),
    }),
    [`use.nix:3 ${valueOf('ssh', 'key')}`],
  );
});
