// Hostile clans that name files outside themselves (security issue 52, finding 4): the registry
// pipeline imports a file outside the clan (relative, absolute, through a folder link), the registry
// file itself is a link to a key file, a `.nix` file and a folder link lead out, and a link leads
// into the Nix store. Each outside file holds SECRET, which no output may ever contain: the old
// checker printed it in "undefined variable" and evaluation-error messages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeTree } from './tempClan';

export const SECRET = 'S3CRETMARK3R';

export interface OutsideTree {
  base: string;
  /** The clan whose registry pipeline imports outside files, with `.nix` and folder links out. */
  clan: string;
  /** A clan whose registry file is a link to an age key file outside. */
  linkedRegistry: string;
  outside: string;
}

const MATRIX_WITH_TYPO = 'let core = [ "api" ]; in {\n  lea = coer ++ [ ];\n}\n';

export function outsideTree(): OutsideTree {
  const base = writeTree({
    // a .netrc: every word an undefined variable, the password among them
    'outside/netrc': `machine github.com login bob password ${SECRET}1\n`,
    // an age key file: one identifier
    'outside/keys.txt': `AGE-SECRET-KEY-1${SECRET}2QQQ\n`,
    'outside/thrower.nix': `throw "${SECRET}3"\n`,
    'outside/folder/thrower.nix': `throw "${SECRET}4"\n`,
    'outside/module.nix': `{ clan.core.vars.generators.${SECRET}5.dependencies = [ "${SECRET}6" ]; }\n`,
    'outside/modules/default.nix': `{ clan.core.vars.generators.${SECRET}7.dependencies = [ "${SECRET}8" ]; }\n`,
    'outside/registry.nix': `{ ${SECRET}9 = { generator = "x"; }; }\n`,
  });
  const outside = path.join(base, 'outside');
  const clan = path.join(base, 'clan');
  const files: Record<string, string> = {
    'flake.nix': '{ }\n',
    // one machine per outside file, each evaluated on its own
    'lib/machine-env-matrix.nix': '{\n  api = [ "api" ];\n  netrc = [ "netrc" ];\n  absolute = [ "absolute" ];\n  linked = [ "linked" ];\n}\n',
    'lib/vars-generators.nix': `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { inherit pkgs; };
in builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { files = registry.\${key}.files; }; }) keys)
`,
    // every outside file is forced: relative, absolute, and through a folder link of the clan
    'lib/secret-registry.nix': `{ pkgs ? null }:
let
  netrc = import ../../outside/netrc;
  thrown = import ${outside}/thrower.nix;
  linked = import ./linked-folder/thrower.nix;
  inner = import ./helpers.nix;
in
{
  api = { generator = inner.name; files.key = { }; };
  netrc = { generator = builtins.seq netrc "netrc"; files.key = { }; };
  absolute = { generator = builtins.seq thrown "absolute"; files.key = { }; };
  linked = { generator = builtins.seq linked "linked"; files.key = { }; };
}
`,
    // read through a link that stays inside the clan; its undefined variable shows the evaluation ran
    'common/helpers.nix': '{ name = "api-key"; other = helpr; }\n',
    'machines/a/configuration.nix': '{ clan.core.vars.generators.own.files.k = { }; }\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(clan, rel)), { recursive: true });
    fs.writeFileSync(path.join(clan, rel), text);
  }
  // a link that stays inside the clan is followed as before
  fs.symlinkSync('../common/helpers.nix', path.join(clan, 'lib/helpers.nix'));
  fs.symlinkSync(path.join(outside, 'folder'), path.join(clan, 'lib/linked-folder'));
  // a .nix file and a folder of modules leading out, and a link into the Nix store
  fs.symlinkSync(path.join(outside, 'module.nix'), path.join(clan, 'machines/a/linked.nix'));
  fs.symlinkSync(path.join(outside, 'modules'), path.join(clan, 'machines/ext'));
  fs.symlinkSync('/nix/store', path.join(clan, 'store'));

  const linkedRegistry = path.join(base, 'linked-registry');
  fs.mkdirSync(path.join(linkedRegistry, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(linkedRegistry, 'flake.nix'), '{ }\n');
  fs.writeFileSync(path.join(linkedRegistry, 'lib/machine-env-matrix.nix'), MATRIX_WITH_TYPO);
  fs.writeFileSync(path.join(linkedRegistry, 'lib/vars-generators.nix'), files['lib/vars-generators.nix']);
  fs.symlinkSync(path.join(outside, 'keys.txt'), path.join(linkedRegistry, 'lib/secret-registry.nix'));
  return { base, clan, linkedRegistry, outside };
}
