// Data-driven rule tests: a small clan tree and the exact diagnostics (file:line code) expected.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyze, brief } from '../helpers/analyze';
import { removeTree, writeTree } from '../helpers/tempClan';

const REGISTRY = `{ pkgs ? null }:
let
  mkPromptedSecret = { generator, envVar ? null, ... }: { inherit generator envVar; };
in
{
  openrouter = mkPromptedSecret { generator = "openrouter-api-key"; };
  deepseek = mkPromptedSecret { generator = "deepseek-api-key"; };
  gmail = mkPromptedSecret { generator = "gmail-app-password"; };
}
`;

const roots: string[] = [];
after(() => roots.forEach(removeTree));

interface Case {
  name: string;
  files: Record<string, string>;
  expect: string[];
  messages?: RegExp[];
  settings?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'unknown registry key, through plain, let-bound, ++ and inherit lists',
    files: {
      'flake.nix': '{ }',
      'lib/secret-registry.nix': REGISTRY,
      'lib/machine-env-matrix.nix': `let
  sharedCore = [
    "openrouter"
    "anthropic"
  ];
  zoe = [ "gmial" ];
in
{
  lea = [ "deepsek" "gmail" ];
  emily = sharedCore ++ [ "deepseek" ];
  inherit zoe;
}
`,
    },
    expect: ['lib/machine-env-matrix.nix:4 unknown-registry-key', 'lib/machine-env-matrix.nix:6 unknown-registry-key', 'lib/machine-env-matrix.nix:9 unknown-registry-key'],
    messages: [/'anthropic' for machine 'emily'/, /Unknown secret key in envMatrix: anthropic/, /'gmial' for machine 'zoe'.*Did you mean 'gmail'\?/, /'deepsek' for machine 'lea'.*Did you mean 'deepseek'\?/],
  },
  {
    name: 'registry checks stay silent when the registry does not exist',
    files: { 'lib/machine-env-matrix.nix': `{ lea = [ "whatever" ]; }` },
    expect: [],
  },
  {
    name: 'registry and matrix paths are settings',
    files: {
      'nix/registry.nix': REGISTRY,
      'nix/matrix.nix': `{ lea = [ "nope" ]; }`,
      'lib/machine-env-matrix.nix': `{ lea = [ "ignored-because-not-configured" ]; }`,
    },
    settings: { registryPath: 'nix/registry.nix', matrixPath: 'nix/matrix.nix' },
    expect: ['nix/matrix.nix:1 unknown-registry-key'],
  },
  {
    name: 'importApply of vars-generators.nix in imports',
    files: {
      'lib/vars-generators.nix': '{ keys, pkgs ? null }: { }',
      'modules/emily.nix': `{ lib, ... }:
{
  imports = [
    ./hardware.nix
    (lib.modules.importApply ../lib/vars-generators.nix { keys = [ "a" ]; })
  ];
}
`,
      'modules/hardware.nix': '{ }',
    },
    expect: ['modules/emily.nix:5 import-apply-generators'],
    messages: [/recurse infinitely.*clan\.core\.vars\.generators = varsGenerators/],
  },
  {
    name: 'importApply of a module that declares generators; importApply of other modules is fine',
    files: {
      'modules/gens.nix': `{ keys }: { clan.core.vars.generators.x = { }; }`,
      'modules/other.nix': `{ port }: { services.foo.port = port; }`,
      'machines/a.nix': `{ lib, ... }: { imports = [ (importApply ../modules/gens.nix { keys = [ ]; }) (lib.modules.importApply ../modules/other.nix { port = 1; }) ]; }`,
    },
    expect: ['machines/a.nix:1 import-apply-generators'],
  },
  {
    name: 'importApply of a module whose generators are computed (an import the syntax cannot list) brings generators too',
    files: {
      'modules/gens.nix': `{ keys }: { clan.core.vars.generators = import ./computed.nix { inherit keys; }; }`,
      'modules/computed.nix': `{ keys }: builtins.listToAttrs (map (k: { name = k; value = { }; }) keys)`,
      'machines/a.nix': `{ lib, ... }: { imports = [ (lib.modules.importApply ../modules/gens.nix { keys = [ "x" ]; }) ]; }`,
    },
    expect: ['machines/a.nix:1 import-apply-generators'],
  },
  {
    name: 'let + module-body assignment is the right pattern: no error',
    files: {
      'lib/secret-registry.nix': REGISTRY,
      'lib/vars-generators.nix': '{ keys, pkgs ? null }: { }',
      'lib/machine-env-matrix.nix': '{ lea = [ "gmail" ]; }',
      'hosts/lea.nix': `{ pkgs, ... }:
let
  gens = import ../lib/vars-generators.nix { keys = [ "gmail" ]; inherit pkgs; };
in
{ clan.core.vars.generators = gens; }
`,
      'hosts/x.nix': `{ clan.core.vars.generators.x.dependencies = [ "gmail-app-password" ]; }`,
    },
    expect: [],
  },
  {
    name: 'unknown dependency with a suggestion; shared generator from another machine is fine',
    files: {
      'machines/a/configuration.nix': `{ clan.core.vars.generators.ca = { share = true; }; }`,
      'machines/b/configuration.nix': `{
  clan.core.vars.generators.cert = {
    dependencies = [
      "ca"
      "opnssh"
      "dyn-\${config.networking.hostName}"
    ];
  };
  clan.core.vars.generators.openssh = { };
}
`,
    },
    expect: ['machines/b/configuration.nix:5 unknown-dependency'],
    messages: [/'opnssh'.*Did you mean 'openssh'\?/],
  },
  {
    name: 'dependencies on dynamically named generators are matched by pattern',
    files: {
      'zt.nix': `{ machine, ... }: { clan.core.vars.generators."zerotier-identity-\${machine}" = { share = true; }; }`,
      'peer.nix': `{ clan.core.vars.generators.peer.dependencies = [ "zerotier-identity-alpha" ]; }`,
    },
    expect: [],
  },
  {
    name: 'a generator set that cannot be enumerated silences unknown-dependency',
    files: {
      'svc.nix': `{ config, lib, ... }: { clan.core.vars.generators = lib.mapAttrs (n: v: v) config.services.svc.peers; }`,
      'peer.nix': `{ clan.core.vars.generators.peer.dependencies = [ "from-mapattrs" ]; }`,
    },
    expect: [],
  },
  {
    name: 'a generator set the evaluator enumerates does not hide a wrong dependency',
    files: {
      'svc.nix': `{ lib, ... }: { clan.core.vars.generators = lib.genAttrs [ "peer-a" "peer-b" ] (n: { files.key = { }; }); }`,
      'peer.nix': `{ clan.core.vars.generators.peer.dependencies = [ "peer-a" "peer-c" ]; }`,
    },
    expect: ['peer.nix:1 unknown-dependency'],
    messages: [/'peer-c'/],
  },
  {
    name: 'dependency cycle over three generators in two files, plus a self-loop',
    files: {
      'a.nix': `{ clan.core.vars.generators = {
  a.dependencies = [ "b" ];
  b.dependencies = [ "c" ];
  self.dependencies = [ "self" ];
}; }`,
      'b.nix': `{ clan.core.vars.generators.c.dependencies = [ "a" "ok" ]; clan.core.vars.generators.ok = { }; }`,
    },
    expect: ['a.nix:2 dependency-cycle', 'a.nix:3 dependency-cycle', 'a.nix:4 dependency-cycle', 'b.nix:1 dependency-cycle'],
    messages: [/Dependency cycle: a → b → c → a/, /Dependency cycle: self → self/],
  },
  {
    name: 'generators spread over several modules of one machine, nixfmt style',
    files: {
      'machines/m/default.nix': `{\n  lib,\n  pkgs,\n  ...\n}:\n{\n  imports = [ ./a.nix ./b.nix ];\n}\n`,
      'machines/m/a.nix': `{\n  lib,\n  pkgs,\n}:\n{\n  clan.core.vars.generators.x.files.k = { };\n}\n`,
      'machines/m/b.nix': `{\n  lib,\n}:\n{\n  clan.core.vars.generators.y.dependencies = [ "x" ];\n  clan.core.vars.generators.x.files.j = { };\n}\n`,
    },
    expect: [],
  },
  {
    name: 'two clans in one workspace do not see each other',
    files: {
      'one/flake.nix': '{ }',
      'one/m.nix': `{ clan.core.vars.generators.g1 = { }; }`,
      'two/flake.nix': '{ }',
      'two/m.nix': `{ clan.core.vars.generators.g2.dependencies = [ "g1" ]; }`,
    },
    expect: ['two/m.nix:1 unknown-dependency'],
  },
  {
    name: 'half-typed files: no crash, no error storm',
    files: {
      'a.nix': `{ clan.core.vars.generators.x = { dependencies = [ "y" ; files.`,
      'b.nix': `{ clan.core.vars.generators.y = { files.k = { }`,
      'c.nix': `{ lib, ... }: { imports = [ (lib.modules.importApply ./`,
      'lib/machine-env-matrix.nix': `{ lea = [ "a" `,
    },
    expect: [],
  },
];

for (const c of cases) {
  test(`rules: ${c.name}`, async () => {
    const root = writeTree(c.files);
    roots.push(root);
    const { found } = await analyze(root, c.settings);
    assert.deepEqual(brief(found), c.expect.slice().sort(), JSON.stringify(found, null, 1));
    for (const re of c.messages ?? []) assert.ok(found.some((f) => re.test(f.message)), `no message matches ${re}: ${found.map((f) => f.message).join('\n')}`);
  });
}
