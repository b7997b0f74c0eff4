// Generator sets built the ways people build them, computed by the evaluator: each case is a module
// and the generators found in it (name [deps] {files} <prompts>, `?` when the files are unknown),
// with how many generator sets stay unknown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import { NixParser } from '../../server/src/syntax/nixParser';
import { generatorCases, type GeneratorCase } from '../helpers/generatorCases';

const cases: GeneratorCase[] = [
  {
    name: 'lib.genAttrs over a list',
    nix: `{ lib, ... }: { clan.core.vars.generators = lib.genAttrs [ "wg-a" "wg-b" ] (n: { files.key = { }; dependencies = [ "wg-root" ]; }); }`,
    expect: ['wg-a [wg-root] {key}', 'wg-b [wg-root] {key}'],
  },
  {
    name: "lib.mapAttrs' over a let-bound set, names and files interpolated",
    nix: `{ lib, pkgs, ... }:
let users = { alice = { }; bob = { }; }; in
{
  clan.core.vars.generators = lib.mapAttrs' (user: _: lib.nameValuePair "\${user}-mail" {
    files."\${user}-password" = { };
    script = "xkcdpass > $out/\${user}-password";
  }) users;
}`,
    expect: ['alice-mail [] {alice-password}', 'bob-mail [] {bob-password}'],
  },
  {
    name: 'builtins.listToAttrs with map',
    nix: `{ pkgs, ... }: let repos = [ "web" "api" ]; in {
  clan.core.vars.generators = builtins.listToAttrs (map (r: { name = "deploy-key-\${r}"; value = { files.private = { }; files.public.secret = false; }; }) repos);
}`,
    expect: ['deploy-key-api [] {private,public}', 'deploy-key-web [] {private,public}'],
  },
  {
    // one of the commonest idioms: the generators share the body's parts (its option paths, files, script)
    name: 'lib.listToAttrs with map over a literal list, the body written once',
    nix: `{ lib, ... }: {
  clan.core.vars.generators = lib.listToAttrs (map (n: lib.nameValuePair "x-\${n}" { files.key = { }; files.key.mode = "0400"; script = "echo > $out/key"; }) [ "a" "b" ]);
}`,
    expect: ['x-a [] {key}', 'x-b [] {key}'],
  },
  {
    name: "lib.mapAttrs' over a literal set",
    nix: `{ lib, ... }: {
  clan.core.vars.generators = lib.mapAttrs' (n: v: lib.nameValuePair "db-\${n}" { files.password = { owner = v; }; prompts.password.type = "hidden"; script = "cp $prompts/password $out/password"; }) { pg = "postgres"; my = "mysql"; };
}`,
    expect: ['db-my [] {password} <password>', 'db-pg [] {password} <password>'],
  },
  {
    name: 'lib.genAttrs over a literal list, files with settings',
    nix: `{ lib, ... }: {
  clan.core.vars.generators = lib.genAttrs [ "wg-a" "wg-b" "wg-c" ] (n: { files.key.mode = "0400"; files."key.pub".secret = false; runtimeInputs = [ ]; script = "wg genkey > $out/key"; });
}`,
    expect: ['wg-a [] {key,key.pub}', 'wg-b [] {key,key.pub}', 'wg-c [] {key,key.pub}'],
  },
  {
    name: 'inherit of let-bound generators',
    nix: `let db = { files.password = { }; }; cache = { files.token = { }; dependencies = [ "db" ]; }; in { clan.core.vars.generators = { inherit db cache; }; }`,
    expect: ['cache [db] {token}', 'db [] {password}'],
  },
  {
    name: 'a name interpolated from a let-bound literal',
    nix: `{ config, ... }: let user = "alex"; in { clan.core.vars.generators."user-password-\${user}" = { files.hash = { }; prompts.password.type = "hidden"; }; }`,
    expect: ['user-password-alex [] {hash} <password>'],
  },
  {
    name: 'prompts built with genAttrs inside a literal generator',
    nix: `{ lib, ... }: { clan.core.vars.generators.api = { prompts = lib.genAttrs [ "token" "secret" ] (p: { type = "hidden"; }); files.env = { }; }; }`,
    expect: ['api [] {env} <secret,token>'],
  },
  {
    name: 'a generator written as a submodule function',
    nix: `{ clan.core.vars.generators.ssh = { config, ... }: { files.id = { }; files."id.pub".secret = false; script = "ssh-keygen -f $out/id"; }; }`,
    expect: ['ssh [] {id,id.pub}'],
  },
  {
    name: 'a helper function such as mkUser',
    nix: `{ lib, ... }:
let mkUser = name: { "user-\${name}" = { files.password = { }; prompts.password.type = "hidden"; }; }; in
{ clan.core.vars.generators = mkUser "ada" // mkUser "linus"; }`,
    expect: ['user-ada [] {password} <password>', 'user-linus [] {password} <password>'],
  },
  {
    name: 'a helper that builds one generator body',
    nix: `{ lib, ... }: let mkKey = file: { files.\${file} = { }; }; in { clan.core.vars.generators.tls = mkKey "cert"; }`,
    expect: ['tls [] {cert}'],
  },
  {
    name: 'behind config = lib.mkIf with an unknown condition, in lib.mkMerge',
    nix: `{ config, lib, ... }: let cfg = config.services.x; in {
  options.services.x.enable = lib.mkEnableOption "x";
  config = lib.mkIf cfg.enable { clan.core.vars.generators = lib.mkMerge [ (lib.genAttrs [ "p" ] (_: { })) { q = { dependencies = [ "p" ]; }; } ]; };
}`,
    expect: ['p [] {}', 'q [p] {}'],
  },
  {
    name: 'mkIf false removes the generators it guards',
    nix: `{ lib, ... }: { clan.core.vars.generators = lib.mkIf false (lib.genAttrs [ "never" ] (_: { })); }`,
    expect: [],
  },
  {
    name: 'over an option value: the names stay a pattern',
    nix: `{ config, lib, ... }: { clan.core.vars.generators = lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-smb" { files.password = { }; }) config.services.samba.users; }`,
    expect: ['*-smb [] {password}'],
  },
  {
    name: 'over an empty literal set: no generator, not even the pattern',
    nix: `{ lib, ... }: { clan.core.vars.generators = lib.mapAttrs' (u: _: lib.nameValuePair "\${u}-smb" { files.password = { }; }) { }; }`,
    expect: [],
  },
  {
    name: 'files from an unknown value: the generator is known, its files are not',
    nix: `{ config, lib, ... }: { clan.core.vars.generators = lib.genAttrs [ "x" ] (_: { files = config.myFiles; }); }`,
    expect: ['x [] {?}'],
  },
  {
    name: 'a name from a service instance stays a pattern',
    nix: `{ roles.default.perInstance = { instanceName, ... }: { nixosModule = { clan.core.vars.generators."tor_\${instanceName}" = { files.hostname = { }; }; }; }; }`,
    expect: ['tor_* [] {hostname}'],
  },
];

generatorCases('evaluated generators', cases, true);

test('evaluated generator names point at the string that computes them', async () => {
  const parser = await NixParser.load();
  const nix = `{ lib, ... }:\nlet users = [ "ada" ];\nin {\n  clan.core.vars.generators = builtins.listToAttrs (map (u: { name = "pw-\${u}"; value = { }; }) users);\n}\n`;
  const tree = parser.parse(nix);
  const facts = extractFile('/x.nix', tree, { registry: false, matrix: false }, nix, parser);
  tree.delete();
  assert.equal(facts.generators.length, 1);
  const g = facts.generators[0];
  assert.equal(g.name.name, 'pw-ada');
  assert.equal(g.evaluated, true);
  const line = nix.split('\n')[g.name.range.start.line];
  assert.equal(line.slice(g.name.range.start.character, g.name.range.end.character), '"pw-${u}"');
});
