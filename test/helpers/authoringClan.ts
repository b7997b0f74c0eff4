// A small clan for the authoring features (hover, completion, navigation, symbols, code lens):
// two machines declaring generators, a registry and a matrix, and vars on disk (lea generated,
// emily with an outdated validation hash).
import { createHash } from 'node:crypto';
import { writeTree } from './tempClan';

export const LEA = `{ config, pkgs, ... }:
{
  imports = [ ../../modules/common.nix ];
  clan.core.vars.generators.ca = {
    share = true;
    files."ca.key" = { deploy = false; };
    files."ca.crt".secret = false;
    runtimeInputs = [ pkgs.openssl ];
    script = ''
      openssl genpkey -algorithm ed25519 > "$out/ca.key"
    '';
  };
  clan.core.vars.generators.ssh = {
    dependencies = [ "ca" ];
    files.key = { neededFor = "users"; };
    files."key.pub".secret = false;
    prompts.pass = { type = "hidden"; persist = true; };
    validation = { name = "lea"; domains.zt = "zt"; };
    script = ''
      cat $in/ca/ca.key > $out/key
      cat $prompts/pass > /dev/null
    '';
  };
  services.x.keyFile = config.clan.core.vars.generators.ssh.files.key.path;
}
`;

export const EMILY = `{ clan.core.vars.generators.ssh.files.key = { }; }\n`;

export const REGISTRY = `{ pkgs ? null }:
let
  mkPromptedSecret = { generator, envVar ? null, ... }@args: args;
in
{
  gmail = mkPromptedSecret { generator = "gmail-app-password"; envVar = "GMAIL_APP_PASSWORD"; domain = "mail"; kind = "app-password"; };
  host-name = { generator = "host-name"; envVar = "HOST_NAME"; secret = false; fileAttr = "name"; };
}
`;

export const MATRIX = `{
  lea = [ "gmail" "host-name" ];
  emily = [ "gmail" ];
}
`;

export const LEA_HASH = createHash('sha256').update('{"domains":{"zt":"zt"},"name":"lea"}').digest('hex');

export function authoringClan(extra: Record<string, string> = {}): string {
  return writeTree({
    'flake.nix': '{ }',
    'clan.nix': '{ vars.settings.secretStore = "sops"; }\n',
    'modules/common.nix': '{ }\n',
    'lib/secret-registry.nix': REGISTRY,
    'lib/machine-env-matrix.nix': MATRIX,
    'machines/lea/configuration.nix': LEA,
    'machines/emily/configuration.nix': EMILY,
    'vars/per-machine/lea/ssh/key/secret': '{}',
    'vars/per-machine/lea/ssh/pass/secret': '{}',
    'vars/per-machine/lea/ssh/key.pub/value': 'ssh-ed25519 AAAA',
    'vars/per-machine/lea/ssh/.validation-hash': LEA_HASH,
    'vars/per-machine/emily/ssh/key/secret': '{}',
    'vars/per-machine/emily/ssh/pass/secret': '{}',
    'vars/per-machine/emily/ssh/key.pub/value': 'ssh-ed25519 BBBB',
    'vars/per-machine/emily/ssh/.validation-hash': 'deadbeef',
    ...extra,
  });
}

/** Cuts the `$0` marker out of `text`: the text without it and the marker's position. */
export function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const i = marked.indexOf('$0');
  if (i === -1) throw new Error('no $0 marker');
  const before = marked.slice(0, i).split('\n');
  return { text: marked.slice(0, i) + marked.slice(i + 2), position: { line: before.length - 1, character: before[before.length - 1].length } };
}
