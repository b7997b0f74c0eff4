// Data-driven: each case is a Nix module and the generators (name [deps] {files} <prompts>) found in it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import { NixParser } from '../../server/src/syntax/nixParser';
import { generatorCases, type GeneratorCase } from '../helpers/generatorCases';
import * as path from 'node:path';
import { fileOccurrences, generatorOccurrences, type Occurrence } from '../../server/src/ide/occurrences';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const cases: GeneratorCase[] = [
  {
    name: 'dotted path',
    nix: `{ pkgs, ... }: { clan.core.vars.generators.foo = { files.key = { }; dependencies = [ "bar" ]; }; }`,
    expect: ['foo [bar] {key}'],
  },
  {
    name: 'attrset form with several generators',
    nix: `{ clan.core.vars.generators = { a = { files.x.secret = false; }; "b.c" = { dependencies = [ "a" ]; }; }; }`,
    expect: ['a [] {x}', 'b.c [a] {}'],
  },
  {
    name: 'nested clan.core = { vars.generators.x }',
    nix: `{ clan.core = { vars.generators.grafana = { prompts.pw.type = "hidden"; }; }; }`,
    expect: ['grafana [] {} <pw>'],
  },
  {
    name: 'inside config = { ... } and lib.mkIf',
    nix: `{ config, lib, ... }: { config = lib.mkIf config.services.x.enable { clan.core.vars.generators.x = { files.k = { }; }; }; }`,
    expect: ['x [] {k}'],
  },
  {
    name: 'a generator written as a submodule with its own options: what it sets under config is its own (clan-infra lasuite-meet.nix)',
    nix: `{ pkgs, ... }: { clan.core.vars.generators.lk = { lib, config, ... }: { options.keyName = lib.mkOption { type = lib.types.str; }; config = { files.for-livekit = { }; files.other = { }; dependencies = [ "d" ]; }; }; }`,
    expect: ['lk [d] {for-livekit,other}'],
  },
  {
    name: 'lib.mkMerge of generator sets',
    nix: `{ lib, ... }: { clan.core.vars.generators = lib.mkMerge [ { a = { }; } (lib.mkIf true { b = { dependencies = [ "a" ]; }; }) ]; }`,
    expect: ['a [] {}', 'b [a] {}'],
  },
  {
    name: 'split over several bindings of one file',
    nix: `{ clan.core.vars.generators.s.files.one = { }; clan.core.vars.generators.s.files.two.secret = false; clan.core.vars.generators.s.dependencies = [ "t" ] ++ [ "u" ]; }`,
    expect: ['s [t,u] {one,two}'],
  },
  {
    name: 'dynamic names and dependencies',
    nix: `{ machine, ... }: { clan.core.vars.generators."zerotier-identity-\${machine}" = { dependencies = [ "net-\${machine}" "static" ]; }; }`,
    expect: ['zerotier-identity-* [net-*,static] {}'],
  },
  {
    name: 'computed names read through let-bound strings; a function argument of the same name hides the binding',
    nix: `{ config, ... }:
let
  appName = "caddy";
  scope = config.x.scope;
  tokenName = "\${scope}_dns_api_key";
  envName = "acme-dns-01-\${appName}";
  keyFile = "key";
in {
  clan.core.vars.generators.\${appName}.files.\${keyFile} = { };
  clan.core.vars.generators.\${tokenName}.prompts.token = { };
  clan.core.vars.generators."\${envName}" = { dependencies = [ tokenName ]; };
  perInstance = { appName, ... }: { clan.core.vars.generators.\${appName}.files.k = { }; };
}`,
    expect: ['caddy [] {key}', '*_dns_api_key [] {} <token>', 'acme-dns-01-caddy [*_dns_api_key] {}', '* [] {k}'],
  },
  {
    name: 'clan service: generators in a module nested in perInstance',
    nix: `{ roles.default.perInstance = { settings, ... }: { nixosModule = { config, pkgs, ... }: { clan.core.vars.generators.svc = { files.token = { }; }; }; }; }`,
    expect: ['svc [] {token}'],
  },
  {
    name: 'let-bound generator set',
    nix: `let gens = { l = { dependencies = [ "m" ]; }; }; in { clan.core.vars.generators = gens; }`,
    expect: ['l [m] {}'],
  },
  {
    name: 'let-bound import of vars-generators.nix is an opaque source',
    nix: `{ pkgs, ... }: let v = import ../../lib/vars-generators.nix { keys = [ "a" ]; inherit pkgs; }; in { clan.core.vars.generators = v; }`,
    expect: [],
    opaque: 1,
  },
  {
    name: 'mapAttrs-built set whose names say nothing is opaque',
    nix: `{ lib, ... }: { clan.core.vars.generators = lib.mapAttrs' (n: v: lib.nameValuePair n v) { }; }`,
    expect: [],
    opaque: 1,
  },
  {
    name: "mapAttrs' with nameValuePair over an option: one generator named by the pattern (clan-infra samba.nix)",
    nix: `{ config, lib, pkgs, ... }: let cfg = config.services.x; user = "shadowed"; in {
  clan.core.vars.generators = lib.mapAttrs' (
    user: opts:
    lib.nameValuePair "\${user}-smb-password" {
      files.password = { };
      dependencies = [ "smb-root" ];
      script = "xkcdpass > $out/password";
    }
  ) cfg.sambaUsers;
}`,
    expect: ['*-smb-password [smb-root] {password}'],
  },
  {
    name: 'listToAttrs over map and forEach with { name; value; }, behind a let in the lambda',
    nix: `{ config, lib, ... }: {
  clan.core.vars.generators = builtins.listToAttrs (map (x: let v = { files.key = { }; }; in { name = "deploy-\${x}"; value = v; }) config.repos)
    // lib.listToAttrs (lib.forEach config.hosts (h: lib.nameValuePair "wg-\${h}" { prompts.psk = { }; }));
}`,
    expect: ['deploy-* [] {key}', 'wg-* [] {} <psk>'],
  },
  {
    name: "mapAttrs' named by a let-bound function of the name (binarin's nix.nix): the function's string, its parameter unknown; partly applied or not a string, opaque",
    nix: `{ config, lib, ... }: let
  genName = site: "nix-access-token-\${lib.replaceStrings [ "." ] [ "-" ] site}";
  pair = a: b: "\${a}-\${b}";
  notString = site: lib.toLower site;
in {
  clan.core.vars.generators = lib.mapAttrs' (site: _: lib.nameValuePair (genName site) { files.token.secret = true; }) config.tokens
    // lib.mapAttrs' (site: _: lib.nameValuePair (pair site) { files.x = { }; }) config.a
    // lib.mapAttrs' (site: _: lib.nameValuePair (notString site) { files.y = { }; }) config.b;
}`,
    expect: ['nix-access-token-* [] {token}'],
    opaque: 2,
  },
  {
    name: 'a file name computed inside a pattern generator: its files are unknown',
    nix: `{ config, lib, ... }: { clan.core.vars.generators = lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-mail" { files."\${u}-password" = { }; }) config.users; }`,
    expect: ['*-mail [] {?}'],
  },
  {
    name: 'genAttrs over an unknown list names nothing: opaque',
    nix: `{ config, lib, ... }: { clan.core.vars.generators = lib.genAttrs config.names (n: { files.key = { }; }); }`,
    expect: [],
    opaque: 1,
  },
  {
    name: 'nixfmt style with trailing comma in formals',
    nix: `{\n  lib,\n  pkgs,\n}:\n{\n  clan.core.vars.generators.fmt = {\n    files.k = { };\n  };\n}\n`,
    expect: ['fmt [] {k}'],
  },
  {
    name: 'not generators: other option trees',
    nix: `{ services.foo.generators.x = { }; clan.core.facts.services.y = { }; }`,
    expect: [],
  },
  {
    name: 'half-typed: a missing semicolon keeps the other generators',
    partial: true,
    nix: `{ clan.core.vars.generators.ok = { files.a = { }; };\n clan.core.vars.generators.broken = { files.b.sec\n }; }`,
    expect: ['ok [] {a}'],
  },
];

generatorCases('generators', cases, false);

test('generator name ranges point at the name as written', async () => {
  const parser = await NixParser.load();
  const nix = `{\n  clan.core.vars.generators."my-gen" = { dependencies = [ "other" ]; };\n}\n`;
  const tree = parser.parse(nix);
  const facts = extractFile('/x.nix', tree, { registry: false, matrix: false });
  tree.delete();
  const g = facts.generators[0];
  const lines = nix.split('\n');
  const slice = (r: typeof g.name.range) => lines[r.start.line].slice(r.start.character, r.end.character);
  assert.equal(slice(g.name.range), '"my-gen"');
  assert.equal(slice(g.dependencies[0].range), '"other"');
});

test('options, script and list elements are recorded with their values and ranges', async () => {
  const parser = await NixParser.load();
  const nix = `{ pkgs, lib, ... }: {
  clan.core.vars.generators.ssh = {
    files."key" = { mode = "400"; neededFor = lib.mkDefault "users"; };
    files.pub.secret = false;
    prompts.pw = { type = "hidden"; persist = true; display.label = "Password"; };
    runtimeInputs = [ pkgs.openssh pkgs.coreutils ];
    validation = { name = "x"; nested.deep = 1.5; };
    script = ''
      ssh-keygen -f $out/key
    '';
  };
}`;
  const tree = parser.parse(nix);
  const facts = extractFile('/m.nix', tree, { registry: false, matrix: false });
  tree.delete();
  const g = facts.generators[0];
  const opt = (p: string) => g.options.find((o) => o.path.join('.') === p);
  assert.equal(opt('files.key.mode')?.literal, '400');
  assert.equal(opt('files.key.neededFor')?.literal, 'users', 'mkDefault is looked through');
  assert.equal(opt('files.pub.secret')?.literal, false);
  assert.equal(opt('prompts.pw.type')?.literal, 'hidden');
  assert.equal(opt('prompts.pw.display.label')?.literal, 'Password');
  assert.deepEqual(opt('runtimeInputs')?.elements?.map((e) => e.text), ['pkgs.openssh', 'pkgs.coreutils']);
  assert.equal(opt('validation.nested.deep')?.kind, 'float_expression');
  assert.equal(opt('validation')?.kind, 'attrset_expression');
  assert.equal(opt('files.key'), undefined, 'containers are not options');
  assert.equal(g.script?.kind, 'indented_string_expression');
  assert.match(g.script!.raw, /ssh-keygen -f \$out\/key/);
  assert.deepEqual(g.files.map((f) => f.name), ['key', 'pub']);
});

test('inherit in a generator: a let-bound value is read as written there; a function argument or `inherit (x)` is unknown, never a default', async () => {
  const parser = await NixParser.load();
  const nix = `{ pkgs, deps, cfg, ... }:
let
  runtimeInputs = with pkgs; [ pwgen mkpasswd ];
  script = "pwgen > $out/pw";
  validation = { hosts = [ "a" ]; };
in {
  clan.core.vars.generators.a = { inherit runtimeInputs script validation; files.pw = { }; };
  clan.core.vars.generators.b = { inherit deps; inherit (cfg) script share; files = { inherit (cfg) key; }; prompts.p = { inherit (cfg) type; }; };
  clan.core.vars.generators.c = { files.key = cfg.keyFile; files.pub = { secret = false; } // cfg.extra; };
}`;
  const tree = parser.parse(nix);
  const facts = extractFile('/m.nix', tree, { registry: false, matrix: false });
  tree.delete();
  const [a, b, c] = facts.generators;
  const opt = (g: typeof a, p: string) => g.options.find((o) => o.path.join('.') === p);
  assert.equal(opt(a, 'runtimeInputs')?.kind, 'with_expression');
  assert.equal(a.script?.raw, '"pwgen > $out/pw"');
  assert.equal(opt(a, 'validation.hosts')?.kind, 'list_expression', 'inside the let-bound attrset too');
  assert.equal(opt(b, 'deps')?.kind, 'unknown');
  assert.equal(b.script, undefined);
  assert.equal(opt(b, 'share')?.literal, undefined);
  assert.deepEqual(b.files.map((f) => [f.name, f.optionsUnknown, f.deploy]), [['key', true, null]]);
  assert.equal(opt(b, 'prompts.p.type')?.kind, 'unknown');
  assert.deepEqual(c.files.map((f) => [f.name, !!f.optionsUnknown]), [['key', true], ['pub', true]]);
});

const ACCESS_CASES: { name: string; nix: string; expect: (string | null)[][] }[] = [
  {
    name: '.files.<f>.path, .value, and through osConfig',
    nix: `{ config, osConfig, ... }: {
  a = config.clan.core.vars.generators.ssh.files."key".path;
  b = osConfig.clan.core.vars.generators."api-key".files.token.value;
  c = config.clan.core.vars.generators.ssh;
  d = config.services.generators.x;
}`,
    expect: [
      ['ssh', 'key', 'path'],
      ['api-key', 'token', 'value'],
      ['ssh', null, null],
    ],
  },
  {
    name: 'through an alias bound in let',
    nix: `{ config, ... }:
let
  gens = config.clan.core.vars.generators;
  gensX = 1;
in {
  a = gens.db.files.password.value;
  b = gens."api-key".files.token.path;
  c = gensX;
  d = other.gens.db;
}`,
    expect: [
      ['db', 'password', 'value'],
      ['api-key', 'token', 'path'],
    ],
  },
  {
    name: 'through names bound to a generator, its files or one file (each binding is a read of the generator too)',
    nix: `{ config, ... }:
let
  ssh = config.clan.core.vars.generators.ssh;
  sshFiles = config.clan.core.vars.generators.ssh.files;
  key = config.clan.core.vars.generators.ssh.files."key";
  notFiles = config.clan.core.vars.generators.ssh.share;
in {
  a = ssh.files.key.exists;
  b = sshFiles.pub.value;
  c = key.exists;
  d = key.path;
  e = notFiles.x;
}`,
    expect: [
      ['ssh', null, null],
      ['ssh', 'key', 'exists'],
      ['ssh', null, null],
      ['ssh', 'pub', 'value'],
      ['ssh', 'key', null],
      ['ssh', 'key', 'exists'],
      ['ssh', 'key', 'path'],
      ['ssh', null, 'share'],
    ],
  },
];

for (const c of ACCESS_CASES) {
  test(`generator accesses: ${c.name}`, async () => {
    const parser = await NixParser.load();
    const tree = parser.parse(c.nix);
    const facts = extractFile('/m.nix', tree, { registry: false, matrix: false });
    tree.delete();
    assert.deepEqual(
      facts.accesses.map((a) => [a.generator.name, a.file?.name ?? null, a.attr?.name ?? null]),
      c.expect,
    );
  });
}

test('occurrences: reads through a name bound to a generator or a file share the name where it is bound, and list it once (a rename edits it once)', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'gen.nix': '{ clan.core.vars.generators.ssh = { files.key = { }; script = "touch $out/key"; }; }\n',
    'use.nix': `{ config, ... }:
let
  ssh = config.clan.core.vars.generators.ssh;
  key = config.clan.core.vars.generators.ssh.files.key;
in {
  a = ssh.files.key.path;
  b = ssh.files.key.exists;
  c = key.path;
}
`,
  });
  try {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), () => {});
    await index.scan();
    const clan = index.clan(root);
    const where = (list: Occurrence[]) => list.map((o) => `${path.basename(o.file)}:${o.range.start.line}:${o.range.start.character}`).sort();
    assert.deepEqual(where(generatorOccurrences(clan, 'ssh')), ['gen.nix:0:28', 'use.nix:2:41', 'use.nix:3:41']);
    assert.deepEqual(where(fileOccurrences(clan, 'ssh', 'key')), ['gen.nix:0:42', 'gen.nix:0:74', 'use.nix:3:51', 'use.nix:5:16', 'use.nix:6:16']);
  } finally {
    removeTree(root);
  }
});

test('a flake.nix says whether it names clan, parsed or not (its machines/ folders are then clan\'s machines); other files say nothing', async () => {
  const parser = await NixParser.load();
  const facts = (file: string, text: string) => extractFile(file, parser.parse(text), { registry: false, matrix: false }, text, parser);
  // parsed: the text has words the extraction looks for
  assert.equal(facts('/c/flake.nix', '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { }; }; }').namesClan, true);
  assert.equal(facts('/c/flake.nix', '{ outputs = { self, ... }: { nixosModules.x = import ./x.nix; }; }').namesClan, false);
  // not parsed: no such word
  assert.equal(facts('/c/flake.nix', '{ inputs.clan-core.url = "git+https://git.clan.lol/clan/clan-core"; }').namesClan, true);
  assert.equal(facts('/c/flake.nix', '{ }').namesClan, false);
  assert.equal(facts('/c/default.nix', '{ clan = 1; }').namesClan, undefined);
});
