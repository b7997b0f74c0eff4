// restart-units-on-darwin: what clan-core does with files.<f>.restartUnits on a nix-darwin machine
// at the revision the flake pins (declared on NixOS only from 2025-06-10 to 2025-12-16, rejected on
// darwin since), where a platform test keeps it from darwin, and which machines a module of one
// class (a clan service's nixosModule or darwinModule) reaches.
import { runRuleCases } from '../helpers/ruleCases';
import { clanCorePinnedAt } from '../helpers/tempClan';

/** A clan with darwin machine mac and nixos machine box; a clan service instance with both in its role. */
const FLAKE = `{
  outputs = { self, clan-core, ... }: {
    clan = clan-core.lib.clan {
      inherit self;
      inventory.machines.mac.machineClass = "darwin";
      machines.mac.imports = [ ./mac.nix ];
      machines.box.imports = [ ./box.nix ];
      modules.svc = ./svc.nix;
      inventory.instances.svc = { module.name = "svc"; module.input = "self"; roles.default.machines = { mac = { }; box = { }; }; };
    };
  };
}
`;

/** flake.lock pinning clan-core at `lastModified`. */
const lock = clanCorePinnedAt;
const gen = (name: string, restartUnits: string) => `  clan.core.vars.generators.${name} = { files.key.restartUnits = ${restartUnits}; script = "touch $out/key"; };`;

runRuleCases('darwin rules', [
  {
    name: 'restart-units-on-darwin: with a clan-core that declares restartUnits on NixOS only (2025-06-10 to 2025-12-16), any setting on darwin, [ ] too, is an unknown option; on NixOS it is fine',
    files: {
      'flake.nix': FLAKE,
      'flake.lock': lock(1760000000),
      'svc.nix': '{ _class = "clan.service"; manifest.name = "svc"; roles.default = { }; }',
      'mac.nix': `{\n${gen('a', '[ ]')}\n${gen('b', '[ "sshd.service" ]')}\n}\n`,
      'box.nix': `{\n${gen('c', '[ ]')}\n${gen('d', '[ "sshd.service" ]')}\n}\n`,
    },
    expect: ['mac.nix:2 restart-units-on-darwin', 'mac.nix:3 restart-units-on-darwin'],
    severities: ['error', 'error'],
    only: ['restart-units-on-darwin'],
    messages: [/The option `clan\.core\.vars\.generators\.a\.files\.key\.restartUnits' does not exist/],
  },
  {
    name: 'restart-units-on-darwin: with a clan-core from 2025-12-16 on, a list with units is rejected on darwin; [ ] and a list that may be empty are not',
    files: {
      'flake.nix': FLAKE,
      'flake.lock': lock(1780000000),
      'svc.nix': '{ _class = "clan.service"; manifest.name = "svc"; roles.default = { }; }',
      'mac.nix': `{ lib, config, ... }: {\n${gen('a', '[ ]')}\n${gen('b', '[ "sshd.service" ]')}\n${gen('c', 'lib.optional config.services.x.enable "x.service"')}\n${gen('d', '[ "a.service" ] ++ config.extraUnits')}\n}\n`,
    },
    expect: ['mac.nix:3 restart-units-on-darwin', 'mac.nix:5 restart-units-on-darwin'],
    severities: ['warning', 'warning'],
    only: ['restart-units-on-darwin'],
    messages: [/not supported on Darwin systems/],
  },
  {
    name: 'restart-units-on-darwin: a platform test elsewhere in the file, or one that holds on darwin, does not keep the setting from darwin; one that holds off darwin does',
    files: {
      'flake.nix': FLAKE,
      'svc.nix': '{ _class = "clan.service"; manifest.name = "svc"; roles.default = { }; }',
      'mac.nix': `{ lib, pkgs, ... }: {
  environment.etc.x = lib.mkIf pkgs.stdenv.isDarwin { text = "x"; };
${gen('a', '[ "sshd.service" ]')}
${gen('b', 'lib.mkIf pkgs.stdenv.isDarwin [ "sshd.service" ]')}
${gen('c', 'lib.mkIf pkgs.stdenv.isLinux [ "sshd.service" ]')}
${gen('d', 'lib.mkIf (!pkgs.stdenv.hostPlatform.isDarwin) [ "sshd.service" ]')}
  clan.core.vars.generators.e = lib.mkIf pkgs.stdenv.isLinux { files.key.restartUnits = [ "x.service" ]; script = "touch $out/key"; };
  clan.core.vars.generators.f = lib.mkMerge [
    (lib.mkIf pkgs.stdenv.isLinux { files.key.restartUnits = [ "x.service" ]; })
    (lib.mkIf pkgs.stdenv.isDarwin { files.key.restartUnits = [ "y.service" ]; })
    { script = "touch $out/key"; }
  ];
}
`,
    },
    expect: ['mac.nix:10 restart-units-on-darwin', 'mac.nix:3 restart-units-on-darwin', 'mac.nix:4 restart-units-on-darwin'],
    only: ['restart-units-on-darwin'],
  },
  {
    name: "restart-units-on-darwin: a clan service's darwinModule reaches the darwin machines of its role, its nixosModule does not",
    files: {
      'flake.nix': FLAKE,
      'svc.nix': `{ ... }: {
  _class = "clan.service";
  manifest.name = "svc";
  roles.default.perInstance = { ... }: {
    darwinModule = { clan.core.vars.generators.c = { files.key.restartUnits = [ "x.service" ]; script = "touch $out/key"; }; };
    nixosModule = { clan.core.vars.generators.d = { files.key.restartUnits = [ "x.service" ]; script = "touch $out/key"; }; };
  };
}
`,
    },
    expect: ['svc.nix:5 restart-units-on-darwin'],
    only: ['restart-units-on-darwin'],
    messages: [/machine 'mac' is nix-darwin/],
  },
]);
