// Writes a synthetic clan of realistic shape: a registry, a machine matrix, many machines and many
// generator files with dependencies between them.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SyntheticClan {
  root: string;
  registryFile: string;
  matrixFile: string;
  files: number;
  registryLines: number;
}

export function writeSyntheticClan(root: string, opts = { machines: 500, registryEntries: 2000, generatorFiles: 5000 }): SyntheticClan {
  const w = (rel: string, text: string) => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  };
  const key = (i: number) => `key-${String(i).padStart(4, '0')}`;
  let registry = '{ pkgs ? null }:\nlet\n  mkPromptedSecret = { generator, envVar ? null, ... }: { inherit generator envVar; };\nin\n{\n';
  for (let i = 0; i < opts.registryEntries; i++) {
    // two- and three-line entries alternate: 2,000 entries make a registry of about 5,000 lines
    registry +=
      i % 2 === 0
        ? `  ${key(i)} = mkPromptedSecret {\n    generator = "${key(i)}-gen"; envVar = "KEY_${i}"; };\n`
        : `  ${key(i)} = mkPromptedSecret {\n    generator = "${key(i)}-gen";\n    envVar = "KEY_${i}"; };\n`;
  }
  registry += '}\n';
  w('flake.nix', '{ outputs = { self, ... }: { }; }\n');
  w('lib/secret-registry.nix', registry);
  let matrix = 'let\n  sharedCore = [ "key-0000" "key-0001" "key-0002" ];\nin\n{\n';
  for (let m = 0; m < opts.machines; m++) {
    // eight distinct keys per machine, none of them in sharedCore (key-0000..key-0002)
    const keys = Array.from({ length: 8 }, (_, j) => `"${key(3 + ((m * 7 + j * 13) % (opts.registryEntries - 3)))}"`);
    matrix += `  machine-${m} = sharedCore ++ [ ${keys.join(' ')} ];\n`;
  }
  matrix += '}\n';
  w('lib/machine-env-matrix.nix', matrix);
  w('lib/vars-generators.nix', '{ keys, pkgs ? null }: builtins.listToAttrs [ ]\n');
  for (let m = 0; m < opts.machines; m++) {
    w(
      `machines/machine-${m}/configuration.nix`,
      `{ pkgs, ... }:\nlet\n  envMatrix = import ../../lib/machine-env-matrix.nix;\n  gens = import ../../lib/vars-generators.nix { keys = envMatrix.machine-${m}; inherit pkgs; };\nin\n{\n  imports = [ ../../modules/gen-${m % opts.generatorFiles}.nix ];\n  clan.core.vars.generators = gens;\n}\n`,
    );
  }
  for (let i = 0; i < opts.generatorFiles; i++) {
    const deps = i === 0 ? '' : `\n    dependencies = [ "gen-${Math.floor(i / 2)}" "${key(i % opts.registryEntries)}-gen" ];`;
    w(
      `modules/gen-${i}.nix`,
      `{\n  config,\n  lib,\n  pkgs,\n  ...\n}:\n{\n  clan.core.vars.generators."gen-${i}" = {${deps}\n    files.key = { };\n    files."key.pub".secret = false;\n    runtimeInputs = [ pkgs.openssh ];\n    script = ''\n      ssh-keygen -t ed25519 -N "" -f "$out/key"\n      mv "$out/key.pub" "$out/key.pub"\n    '';\n  };\n}\n`,
    );
  }
  return {
    root,
    registryFile: path.join(root, 'lib/secret-registry.nix'),
    matrixFile: path.join(root, 'lib/machine-env-matrix.nix'),
    files: 3 + opts.machines + opts.generatorFiles,
    registryLines: registry.split('\n').length,
  };
}
