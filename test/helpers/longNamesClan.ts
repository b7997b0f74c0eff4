// A clan whose names reach every "did you mean" of the rules: generators with unknown dependencies
// and reads of unknown generators and files, prompts, $in and $out paths, enum values, registry keys
// and variables, each one character from a declared name. With names of thousands of characters it
// is the hostile repository of issue 52 (a suggestion used to fill an edit-distance table of
// name × name cells for each candidate); with short names, a check that each path suggests.

/** Each rule code that suggests a name for what the clan below gets wrong. */
export const SUGGESTING_CODES = ['unknown-dependency', 'unknown-var-read', 'unknown-input', 'unknown-prompt', 'missing-output', 'unknown-registry-key', 'undefined-variable'];

/**
 * The files of the clan: `count` blocks, each with about a dozen names of `length` characters, one
 * per line (a line over 20,000 characters is skipped as generated content, so `length` stays under
 * 9,900: two names share the line of a read).
 */
export function longNamesClan(length: number, count: number): Record<string, string> {
  // a name of its own for each kind and block, and one that differs from it in its last character
  const name = (kind: string, i: number) => `${kind}${i}-`.padEnd(length, 'abcdefghijklmnopqrstuvwxyz'[i % 26]);
  const near = (s: string) => s.slice(0, -1) + 'Q';
  const variable = (i: number) => name('v', i).replace(/-/g, '_');
  let module = '{ config, ... }:\n{\n';
  let registry = '{ pkgs ? null }:\nlet\n  mk = { generator }: { inherit generator; };\n';
  let matrix = '{\n  m = [\n';
  for (let i = 0; i < count; i++) {
    const [g, f, p, e, next, nextFile] = [name('g', i), name('f', i), name('p', i), name('e', i), name('g', i + 1), name('f', i + 1)];
    module +=
      `  clan.core.vars.generators."${g}" = {\n    dependencies = [\n      "${near(g)}"\n      "${next}"\n    ];\n` +
      `    files."${f}".neededFor =\n      "${e}";\n    prompts."${p}".type =\n      "${e}";\n` +
      `    script = ''\n      cat $prompts/${near(p)}\n      cat $in/${near(next)}\n      cat $in/${next}/${near(nextFile)}\n      echo > $out/${near(f)}\n      echo > $out/other\n    '';\n  };\n` +
      `  environment.etc."x${i}".source =\n    config.clan.core.vars.generators."${near(g)}".files.x.path;\n` +
      `  environment.etc."y${i}".source =\n    config.clan.core.vars.generators."${g}".files."${near(f)}".path;\n`;
    registry += `  ${variable(i)} = 1;\n`;
    matrix += `    "${near(name('k', i))}"\n`;
  }
  registry += 'in\n{\n';
  for (let i = 0; i < count; i++) registry += `  ${name('k', i)} =\n    mk { generator =\n      "${name('r', i)}"; };\n  u${i} =\n    ${near(variable(i))};\n`;
  return {
    'flake.nix': `{
  inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
  outputs = { self, clan-core, ... }:
    let clan = clan-core.lib.clan { inherit self; meta.name = "x"; machines.m = { imports = [ ./machines/m/configuration.nix ]; }; };
    in { inherit (clan.config) nixosConfigurations; };
}
`,
    'machines/m/configuration.nix': module + '}\n',
    'lib/secret-registry.nix': registry + '}\n',
    'lib/machine-env-matrix.nix': matrix + '  ];\n}\n',
    'lib/vars-generators.nix': `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { inherit pkgs; };
in builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { inherit (registry.\${key}) files; }; }) keys)
`,
  };
}
