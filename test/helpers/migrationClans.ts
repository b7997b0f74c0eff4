// Small clans written the way real facts-era and sops-nix clans are (issue 60's classes), each with
// the values clan's facts and sops-nix stored for it: for the migration tests' firing cases, the walk
// over stored values and the end-to-end move.

import { writeTree } from './tempClan';

export const FLAKE = `{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "classes"; }; }\n`;
/** A clan secret as the stand-in clan reads it (sops/secrets/<name>/secret). */
export const fakeSecret = (value: string) => JSON.stringify({ data: 'ENC[AES256_GCM,data:FAKE]', fake_plaintext_base64: Buffer.from(value).toString('base64'), sops: { version: 'fake' } });
/** A sops file as the stand-in sops reads it. */
export const fakeSops = (doc: Record<string, string>) => JSON.stringify({ fake_plaintext: doc });

/** One value clan's facts or sops-nix stored, and what the migration does with it. */
export interface Stored {
  machine: string;
  /** The facts service or sops-nix secret it belongs to, as the clan declares it. */
  of: string;
  /** The file that holds it, relative to the clan. */
  file: string;
  /** The file's content. */
  content: string;
  /** The value `clan vars get` gives once it is moved. */
  value: string;
  /** The var it becomes, or null when the script names it as a step by hand. */
  varId: string | null;
}

export interface TestClan {
  name: string;
  /** The Nix files. */
  nix: Record<string, string>;
  stored: Stored[];
}

const secretAt = (machine: string, of: string, name: string, value: string, varId: string | null): Stored => ({ machine, of, file: `sops/secrets/${name}/secret`, content: fakeSecret(value), value, varId });
const publicAt = (machine: string, of: string, fact: string, value: string, varId: string | null): Stored => ({ machine, of, file: `machines/${machine}/facts/${fact}`, content: value, value, varId });

/** The files of a test clan, stored values included, for writeTree. */
export const treeOf = (c: TestClan): Record<string, string> => ({ 'flake.nix': FLAKE, ...c.nix, ...Object.fromEntries(c.stored.map((s) => [s.file, s.content])) });

export const ROOT_PASSWORD = `{ config, pkgs, ... }:
{
  clan.core.facts.services.root-password = {
    secret.password = { };
    secret.password-hash = { };
    generator.path = [ pkgs.xkcdpass pkgs.mkpasswd ];
    generator.script = ''
      xkcdpass --numwords 3 --delimiter - > $secrets/password
      mkpasswd -m sha-512 < $secrets/password > $secrets/password-hash
    '';
  };
  sops.secrets."\${config.networking.hostName}-password-hash".neededForUsers = true;
  users.users.root.hashedPasswordFile = config.sops.secrets."\${config.networking.hostName}-password-hash".path;
}
`;

export const IWD = `{ config, lib, ... }:
let
  networks = { home.ssid = "Home"; work.ssid = "Work"; };
in
{
  config = lib.mkMerge [
    { networking.wireless.iwd.enable = true; }
    (lib.mkMerge (lib.mapAttrsToList (name: value: {
      clan.core.facts.services."iwd.\${name}" = {
        secret."iwd.\${name}" = { };
        generator.prompt = "Wifi password for \${value.ssid}";
        generator.script = ''
          echo "$prompt_value" > $secrets/iwd.\${name}
        '';
      };
    }) networks))
  ];
}
`;

export const BORG = `{ config, pkgs, ... }:
let
  service = "borgbackup";
  name = service;
  keyPath = config.clan.core.facts.services.\${name}.secret."borgbackup.ssh".path;
in
{
  clan.core.facts.services.\${name} = {
    secret."borgbackup.ssh" = { };
    public."borgbackup.ssh.pub" = { };
    generator.path = [ pkgs.openssh ];
    generator.script = ''
      ssh-keygen -t ed25519 -N "" -f $secrets/borgbackup.ssh
      mv $secrets/borgbackup.ssh.pub $facts/borgbackup.ssh.pub
    '';
  };
  services.borgbackup.jobs.main.environment.BORG_RSH = "ssh -i \${keyPath}";
}
`;

export const USER_PASSWORD = `{ pkgs, ... }:
{
  clan.core.facts.services.user-password = {
    secret.user-password = { };
    secret.user-password-hash = { };
    generator.path = [ pkgs.xkcdpass pkgs.mkpasswd ];
    generator.script = ''
      xkcdpass > $secrets/user-password
      mkpasswd -s -m sha-512 < $secrets/user-password > $secrets/user-password-hash
    '';
  };
}
`;

const WIFI = `{
  clan.core.facts.services.home-wifi = {
    secret.psk = { };
    generator.prompt = "Password of the home network";
    generator.script = ''
      if [ -n "\${"$"}{prompt_value-}" ]; then printf '%s' "$prompt_value" > $secrets/psk; else pwgen 16 > $secrets/psk; fi
    '';
  };
}
`;

const APP = `{ config, ... }:
{
  sops.secrets.app-env = { sopsFile = ../secrets/app.env; format = "dotenv"; };
  systemd.services.app.serviceConfig.EnvironmentFile = config.sops.secrets.app-env.path;
}
`;

const WG = `{ config, ... }:
{
  sops.secrets."\${config.networking.hostName}-wg-key".owner = "systemd-network";
  networking.wireguard.interfaces.wg0.privateKeyFile = config.sops.secrets."\${config.networking.hostName}-wg-key".path;
}
`;

const APP_ENV: Stored = { machine: 'alpha', of: 'sops-nix secret app-env', file: 'secrets/app.env', content: fakeSops({ API_TOKEN: 't0k3n', DB_URL: 'postgres://db' }), value: 'API_TOKEN=t0k3n\nDB_URL=postgres://db\n', varId: 'app-env/value' };

/** Each class on a clan of its own (issue 60's items 1 to 5; item 6 is about readers, which store nothing). */
export const CLASS_CLANS: TestClan[] = [
  {
    name: "1: neededForUsers through the machine's name, one module on two machines",
    nix: { 'machines/alpha/configuration.nix': '{ imports = [ ../../modules/root-password.nix ]; }\n', 'machines/beta/configuration.nix': '{ imports = [ ../../modules/root-password.nix ]; }\n', 'modules/root-password.nix': ROOT_PASSWORD },
    stored: ['alpha', 'beta'].flatMap((m) => [secretAt(m, 'facts service root-password', `${m}-password`, `${m} pw`, 'root-password/password'), secretAt(m, 'facts service root-password', `${m}-password-hash`, `$6$${m}`, 'root-password/password-hash')]),
  },
  {
    name: "1: neededForUsers through the machine's name, set in the machine's own configuration",
    nix: {
      'machines/beta/configuration.nix': `{ config, ... }:\n{\n  imports = [ ../../modules/user.nix ];\n  sops.secrets = {\n    "\${config.networking.hostName}-user-password-hash" = { neededForUsers = true; };\n  };\n}\n`,
      'modules/user.nix': USER_PASSWORD,
    },
    stored: [secretAt('beta', 'facts service user-password', 'beta-user-password', 'horse', 'user-password/user-password'), secretAt('beta', 'facts service user-password', 'beta-user-password-hash', '$6$u', 'user-password/user-password-hash')],
  },
  {
    name: "1: neededForUsers through the machine's name, of a service of clan-core's the machine reads",
    nix: {
      'machines/alpha/configuration.nix': `{ config, inputs, ... }:\n{\n  imports = [ inputs.clan-core.clanModules.root-password ];\n  sops.secrets."\${config.networking.hostName}-password-hash".neededForUsers = true;\n  users.users.root.hashedPasswordFile = config.clan.core.facts.services.root-password.secret.password-hash.path;\n}\n`,
    },
    stored: [secretAt('alpha', "facts service root-password (clan-core's)", 'alpha-password-hash', '$6$core', 'root-password/password-hash')],
  },
  {
    name: "1: a sops-nix secret through the machine's name that is no fact",
    nix: { 'machines/alpha/configuration.nix': '{ imports = [ ../../modules/wg.nix ]; }\n', 'machines/beta/configuration.nix': '{ imports = [ ../../modules/wg.nix ]; }\n', 'modules/wg.nix': WG },
    stored: ['alpha', 'beta'].map((m) => secretAt(m, `sops-nix secret ${m}-wg-key`, `${m}-wg-key`, `${m} wg key`, 'wg-key/value')),
  },
  { name: '2: a prompted facts script', nix: { 'machines/alpha/configuration.nix': '{ imports = [ ../../modules/wifi.nix ]; }\n', 'modules/wifi.nix': WIFI }, stored: [secretAt('alpha', 'facts service home-wifi', 'alpha-psk', 'typed psk', 'home-wifi/psk')] },
  {
    name: '3: a dotenv sops-nix secret, a public fact of no service',
    nix: { 'machines/alpha/configuration.nix': '{ imports = [ ../../modules/app.nix ]; }\n', 'modules/app.nix': APP },
    stored: [APP_ENV, publicAt('alpha', "openssh (clan-core's, not in the clan)", 'ssh.id_ed25519.pub', 'ssh-ed25519 HOST', null)],
  },
  {
    name: '4: facts services named by a function over networks',
    nix: { 'machines/alpha/configuration.nix': '{ imports = [ ../../modules/iwd.nix ]; }\n', 'modules/iwd.nix': IWD },
    stored: ['home', 'work'].map((n) => secretAt('alpha', `facts service iwd.${n}`, `alpha-iwd.${n}`, `${n} psk`, null)),
  },
  {
    name: '5: a facts service named through let-bound strings',
    nix: { 'machines/alpha/configuration.nix': '{ imports = [ ../../modules/borg.nix ]; }\n', 'modules/borg.nix': BORG },
    stored: [secretAt('alpha', 'facts service borgbackup', 'alpha-borgbackup.ssh', 'BORG KEY', 'borgbackup/borgbackup.ssh'), publicAt('alpha', 'facts service borgbackup', 'borgbackup.ssh.pub', 'ssh-ed25519 BORG', 'borgbackup/borgbackup.ssh.pub')],
  },
];

/** Every class on one clan of two machines. */
export const EVERY_CLASS: TestClan = {
  name: 'every class',
  nix: {
    'machines/alpha/configuration.nix': `{ imports = [ ../../modules/root-password.nix ../../modules/wifi.nix ../../modules/app.nix ../../modules/iwd.nix ../../modules/borg.nix ../../modules/wg.nix ]; }\n`,
    'machines/beta/configuration.nix': `{ config, ... }:\n{\n  imports = [ ../../modules/root-password.nix ../../modules/user.nix ];\n  sops.secrets."\${config.networking.hostName}-user-password-hash".neededForUsers = true;\n}\n`,
    'modules/root-password.nix': ROOT_PASSWORD,
    'modules/user.nix': USER_PASSWORD,
    'modules/wifi.nix': WIFI,
    'modules/app.nix': APP,
    'modules/iwd.nix': IWD,
    'modules/borg.nix': BORG,
    'modules/wg.nix': WG,
  },
  stored: [
    ...CLASS_CLANS[0].stored,
    ...CLASS_CLANS[1].stored,
    secretAt('alpha', 'sops-nix secret alpha-wg-key', 'alpha-wg-key', 'alpha wg key', 'wg-key/value'),
    ...CLASS_CLANS[4].stored,
    ...CLASS_CLANS[5].stored,
    ...CLASS_CLANS[6].stored.slice(0, 1),
    ...CLASS_CLANS[7].stored,
  ],
};

/** A clan of the migration tests (FLAKE and `files`) in a temporary folder, added to `roots` (removed after the tests). */
export function migrationClan(roots: string[], files: Record<string, string>): string {
  const root = writeTree({ 'flake.nix': FLAKE, ...files });
  roots.push(root);
  return root;
}
