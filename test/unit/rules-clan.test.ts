// Rules across files: secret access, shared generators, the registry pattern, silencing.
import { runRuleCases } from '../helpers/ruleCases';

const REGISTRY = `{ pkgs ? null }:
let
  mkPromptedSecret = { generator, envVar ? null, secret ? true, ... }: { inherit generator envVar secret; };
in
{
  openrouter = mkPromptedSecret { generator = "openrouter-api-key"; envVar = "OPENROUTER_API_KEY"; };
  deepseek = mkPromptedSecret { generator = "deepseek-api-key"; envVar = "DEEPSEEK_API_KEY"; };
  gmail = mkPromptedSecret { generator = "gmail-app-password"; envVar = "OPENROUTER_API_KEY"; };
  gmail2 = mkPromptedSecret { generator = "gmail-app-password"; };
}
`;

const DARWIN_CLAN = `{
  outputs = { clan-core, ... }: {
    clan = clan-core.lib.clan {
      inventory.machines.mac.machineClass = "darwin";
      machines.mac.imports = [ ./modules/mac.nix ];
      machines.box.imports = [ ./modules/box.nix ];
    };
  };
}
`;

const PIPELINE = `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { }; in
builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { inherit (registry.\${key}) files prompts script; }; }) keys)
`;

runRuleCases('clan rules', [
  {
    name: 'invalid-prompt-type, invalid-needed-for, invalid-option-type: values the registry pipeline computes, reported where they are written, once',
    files: {
      'lib/secret-registry.nix': `{ pkgs ? null }:
let
  mk = { generator, type ? "hidden" }: {
    inherit generator;
    files.key = { neededFor = "user"; secret = "yes"; };
    prompts.value = { inherit type; persist = false; };
    script = "cat $prompts/value > $out/key";
  };
in
{
  a = mk { generator = "a-key"; type = "hiden"; };
  b = mk { generator = "b-key"; };
}
`,
      'lib/machine-env-matrix.nix': `{ m1 = [ "a" "b" ]; m2 = [ "a" ]; }\n`,
      'lib/vars-generators.nix': PIPELINE,
    },
    expect: ['lib/secret-registry.nix:5 invalid-needed-for', 'lib/secret-registry.nix:5 invalid-option-type', 'lib/secret-registry.nix:11 invalid-prompt-type'],
    only: ['invalid-prompt-type', 'invalid-needed-for', 'invalid-option-type'],
    messages: [/The type of prompts\.value of generator 'a-key' cannot be "hiden".*Did you mean "hidden"\?/],
  },
  {
    name: 'shared-definition-mismatch: a shared generator whose validation holds the host name differs on every machine; per-machine ones do not',
    files: {
      'flake.nix': `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./common.nix ]; machines.b.imports = [ ./common.nix ]; }; }; }\n`,
      'common.nix': `{ config, ... }:
{
  clan.core.vars.generators.ca = {
    share = true;
    files.cert.secret = false;
    validation.host = config.networking.hostName;
    script = "touch $out/cert";
  };
  clan.core.vars.generators.host-key = {
    files.key = { };
    validation.host = config.networking.hostName;
    script = "touch $out/key";
  };
  clan.core.vars.generators.ca2 = {
    share = true;
    files.cert.secret = false;
    validation.version = "2";
    script = "touch $out/cert";
  };
}
`,
    },
    expect: ['common.nix:6 shared-definition-mismatch'],
    only: ['shared-definition-mismatch'],
    messages: [/validation\.host of shared generator 'ca' holds the machine's name \(config\.networking\.hostName\), so machines a and b have different definitions/],
  },
  {
    name: 'restart-units-on-darwin: a non-empty restartUnits in a generator of a darwin machine; NixOS machines, [ ] and platform tests are fine',
    files: {
      'flake.nix': DARWIN_CLAN,
      'modules/mac.nix': `{ imports = [ ./shared.nix ./guarded.nix ]; clan.core.vars.generators.mac-key = { files.key.restartUnits = [ ]; script = "touch $out/key"; }; }`,
      'modules/box.nix': `{ imports = [ ./shared.nix ]; clan.core.vars.generators.box-key = { files.key.restartUnits = [ "sshd.service" ]; script = "touch $out/key"; }; }`,
      'modules/shared.nix': `{
  clan.core.vars.generators.ssh = {
    files.key.restartUnits = [ "sshd.service" ];
    script = "touch $out/key";
  };
}
`,
      'modules/guarded.nix': `{ lib, pkgs, ... }: { clan.core.vars.generators.tls = { files.cert.restartUnits = lib.mkIf pkgs.stdenv.isLinux [ "nginx.service" ]; script = "touch $out/cert"; }; }`,
    },
    expect: ['modules/shared.nix:3 restart-units-on-darwin'],
    only: ['restart-units-on-darwin'],
    messages: [/machine 'mac' is nix-darwin/, /not supported on Darwin systems/],
  },
  {
    name: 'secret-value-access: .value and .exists of secret files; public files and .path are fine',
    files: {
      'gen.nix': `{ clan.core.vars.generators.ssh = { files.key = { }; files."key.pub".secret = false; script = "touch $out/key $out/key.pub"; }; }`,
      'use.nix': `{ config, ... }:
let g = config.clan.core.vars.generators.ssh; in
{
  a = config.clan.core.vars.generators.ssh.files.key.value;
  b = config.clan.core.vars.generators.ssh.files.key.exists;
  c = config.clan.core.vars.generators.ssh.files."key.pub".value;
  d = config.clan.core.vars.generators.ssh.files.key.path;
}
`,
    },
    expect: ['use.nix:4 secret-value-access', 'use.nix:5 secret-value-access'],
    messages: [/Cannot access value of secret file/, /Cannot determine existence of secret file/],
  },
  {
    name: 'secret-value-access: a .value or .exists in a let binding nothing reads is never evaluated, directly or through a name bound to the file',
    files: {
      'gen.nix': `{ clan.core.vars.generators.ssh = { files.key = { }; script = "touch $out/key"; }; }`,
      'use.nix': `{ config, ... }:
let
  key = config.clan.core.vars.generators.ssh.files.key;
  unused = config.clan.core.vars.generators.ssh.files.key.value;
  unusedToo = key.exists;
  used = key.exists;
in
{
  a = used;
}
`,
    },
    expect: ['use.nix:6 secret-value-access'],
    only: ['secret-value-access'],
  },
  {
    name: 'secret-value-access: .exists of a secret file read through a name bound to the generator, its files or the file; of a public one it is fine',
    files: {
      'gen.nix': `{ clan.core.vars.generators.ssh = { files.key = { }; files."key.pub".secret = false; script = "touch $out/key $out/key.pub"; }; }`,
      'use.nix': `{ config, lib, ... }:
let
  ssh = config.clan.core.vars.generators.ssh;
  sshFiles = config.clan.core.vars.generators.ssh.files;
  key = config.clan.core.vars.generators.ssh.files.key;
  pub = config.clan.core.vars.generators.ssh.files."key.pub";
in
{
  a = lib.mkIf ssh.files.key.exists { };
  b = sshFiles.key.exists;
  c = key.exists;
  d = pub.exists;
  e = ssh.files."key.pub".exists;
  f = key.path;
}
`,
    },
    expect: ['use.nix:9 secret-value-access', 'use.nix:10 secret-value-access', 'use.nix:11 secret-value-access'],
    only: ['secret-value-access'],
    messages: [/Cannot determine existence of secret file/],
  },
  {
    name: 'secret-value-access: a file only a computed set names (files = listToAttrs ...) has the settings that set gives it, not the default secret = true',
    files: {
      'gen.nix': `{
  clan.core.vars.generators.terraform = let names = [ "ipv6" "ipv4" ]; in {
    files = builtins.listToAttrs (map (n: { name = n; value.secret = false; }) names);
    script = builtins.concatStringsSep "\\n" (map (n: "touch $out/\${n}") names);
  };
  clan.core.vars.generators.tunnel = { files.id = { }; script = "touch $out/id"; };
}
`,
      'use.nix': `{ config, ... }:
{
  a = config.clan.core.vars.generators.terraform.files.ipv6.value;
  b = config.clan.core.vars.generators.tunnel.files.id.value;
}
`,
    },
    expect: ['use.nix:4 secret-value-access'],
    only: ['secret-value-access'],
  },
  {
    name: 'shared-depends-on-machine: a shared generator depending on a per-machine one',
    files: {
      'm.nix': `{
  clan.core.vars.generators.ca = { share = true; dependencies = [ "host-key" "root" ]; files.k = { }; script = "touch $out/k"; };
  clan.core.vars.generators.host-key = { files.k = { }; script = "touch $out/k"; };
  clan.core.vars.generators.root = { share = true; files.k = { }; script = "touch $out/k"; };
}
`,
    },
    expect: ['m.nix:2 shared-depends-on-machine'],
    messages: [/Shared generators must not depend on machine specific generators/],
  },
  {
    name: 'shared-definition-mismatch: the same shared generator declared differently on two machines',
    files: {
      'machines/a/wifi.nix': `{ clan.core.vars.generators.wifi = { share = true; prompts.password = { type = "hidden"; persist = true; }; }; }`,
      'machines/b/wifi.nix': `{ clan.core.vars.generators.wifi = { share = true; prompts.password = { type = "line"; persist = true; }; }; }`,
      'machines/c/wifi.nix': `{ clan.core.vars.generators.wifi = { share = true; prompts.password = { type = "hidden"; persist = true; }; }; }`,
      'machines/c/tweak.nix': `{ clan.core.vars.generators.wifi.files.password.owner = "nm"; }`,
    },
    // c's second module sets the owner of the persisted prompt's file: owner is not compared, and the
    // file is a's too (clan-core gives a persisted prompt a file of its name), so c's wifi is a's
    expect: ['machines/b/wifi.nix:1 shared-definition-mismatch'],
    messages: [/Machines a and b have different definitions for shared generator 'wifi' \(differ in: prompts\)/],
  },
  {
    name: 'shared-definition-mismatch: merged per machine; defaults spelled out are no difference, a module adding deploy = false is',
    files: {
      'modules/tls.nix': `{ clan.core.vars.generators.tls = { share = true; files.ca = { }; script = "touch $out/ca"; }; }`,
      'machines/a/configuration.nix': `{ imports = [ ../../modules/tls.nix ]; }`,
      'machines/b/configuration.nix': `{ imports = [ ../../modules/tls.nix ]; clan.core.vars.generators.tls = { files.ca.secret = true; files.ca.neededFor = "services"; validation = null; }; }`,
      'machines/c/configuration.nix': `{ imports = [ ../../modules/tls.nix ./admin-only.nix ]; }`,
      'machines/c/admin-only.nix': `{ clan.core.vars.generators.tls.files.ca.deploy = false; }`,
    },
    expect: ['machines/c/admin-only.nix:1 shared-definition-mismatch'],
    messages: [/Machines a and c have different definitions for shared generator 'tls' \(differ in: files\)/],
  },
  {
    name: 'registry: duplicate generator names, duplicate env vars, duplicate matrix keys',
    files: {
      'flake.nix': '{ }',
      'lib/secret-registry.nix': REGISTRY,
      'lib/machine-env-matrix.nix': `let core = [ "openrouter" ]; in { lea = core ++ [ "deepseek" "openrouter" ]; emily = [ "gmail" ]; }`,
    },
    expect: ['lib/secret-registry.nix:8 duplicate-env-var', 'lib/secret-registry.nix:9 duplicate-registry-generator', 'lib/machine-env-matrix.nix:1 duplicate-matrix-key'],
    messages: [/both export OPENROUTER_API_KEY/, /both name generator 'gmail-app-password'/, /already in the list of machine 'lea'/],
  },
  {
    name: 'unknown-secret-key: a key missing from the registry, or from the calling machine\'s list',
    files: {
      'flake.nix': '{ }',
      'lib/secret-registry.nix': REGISTRY,
      'lib/machine-env-matrix.nix': `{ lea = [ "openrouter" ]; emily = [ "deepseek" ]; }`,
      'modules/hosts/lea/mail.nix': `{ osConfig, pkgs, ... }:
let secrets = import ../../../lib/secrets.nix { pkgs = null; }; in
{
  a = secrets.mkPasswordCmd { inherit osConfig; key = "openrouter"; };
  b = secrets.getPath { inherit osConfig; key = "deepseek"; };
  c = secrets.getPath { inherit osConfig; key = "deepsek"; };
  d = secrets.getVmPath { key = "deepseek"; mountPoint = "/run/host-secrets"; };
}
`,
    },
    expect: ['modules/hosts/lea/mail.nix:5 unknown-secret-key', 'modules/hosts/lea/mail.nix:6 unknown-secret-key'],
    only: ['unknown-secret-key'],
    messages: [
      /Machine 'lea' does not select key 'deepseek'.*getPath throws "Generator 'deepseek-api-key' not configured for secret key 'deepseek'"/,
      /key 'deepsek'.*Did you mean 'deepseek'\? Evaluation fails: the registry has no entry 'deepsek' for getPath to look up/,
    ],
  },
  {
    name: 'registry-forces-pkgs: a pure consumer passing pkgs; the generators function may',
    files: {
      'flake.nix': '{ }',
      'lib/secret-registry.nix': REGISTRY,
      'lib/secrets.nix': `{ pkgs ? null }: let registry = import ./secret-registry.nix { inherit pkgs; }; in { }`,
      'lib/session-vars-spec.nix': `{ }: let registry = import ./secret-registry.nix { pkgs = null; }; in { }`,
      'lib/vars-generators.nix': `{ keys, pkgs }: let registry = import ./secret-registry.nix { inherit pkgs; }; in { }`,
    },
    expect: ['lib/secrets.nix:1 registry-forces-pkgs'],
    only: ['registry-forces-pkgs'],
  },
  {
    name: 'a secret .path bound in a machine module\'s let block is as lazy as writing it inline: nothing to report',
    files: {
      'machines/lea/default.nix': `{ config, ... }:
let
  tokenFile = config.clan.core.vars.generators.api.files.token.path;
  pubKey = config.clan.core.vars.generators.api.files.pub.path;
in
{
  clan.core.vars.generators.api = { files.token = { }; files.pub.secret = false; script = "touch $out/token $out/pub"; };
  services.x.tokenFile = config.clan.core.vars.generators.api.files.token.path;
}
`,
    },
    expect: [],
  },
  {
    name: 'silencing: the ignore setting and # clan-vars: ignore comments on the line or the line above',
    files: {
      'm.nix': `{
  clan.core.vars.generators.g = {
    files.a.mode = "400"; # clan-vars: ignore invalid-mode
    # clan-vars: ignore invalid-needed-for, invalid-mode
    files.b.neededFor = "user";
    files.c.mode = "400";
    files.d.neededFor = "boot";
  };
}
`,
    },
    settings: { ignore: ['invalid-needed-for'] },
    expect: ['m.nix:6 invalid-mode'],
  },
]);
