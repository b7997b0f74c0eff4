// Writes a synthetic clan shaped like real ones: a secret registry built by a helper function, a
// machine matrix, the real registry pipeline (`vars-generators.nix` looks every key up and builds
// its generator), machines that import their own generator modules and service modules, three
// generators per module depending on each other and on shared registry generators, and service
// modules reading generated files. It is correct: the checker finds nothing in it, so every
// finding a benchmark waits for is one its edit caused.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SyntheticClan {
  root: string;
  registryFile: string;
  matrixFile: string;
  files: number;
  bytes: number;
  generators: number;
  registryLines: number;
  machines: number;
}

export interface SyntheticShape {
  machines: number;
  registryEntries: number;
  generatorFiles: number;
  serviceModules: number;
}

/** The shape at `scale`: 1 is 500 machines, a 2,000-entry registry, 15,000 generators in 5,000 files and 2,500 service modules (8,004 files). */
export function shapeAt(scale: number): SyntheticShape {
  return { machines: Math.round(500 * scale), registryEntries: Math.round(2000 * scale), generatorFiles: Math.round(5000 * scale), serviceModules: Math.round(2500 * scale) };
}

export const key = (i: number) => `key-${String(i).padStart(4, '0')}`;

export function writeSyntheticClan(root: string, shape: SyntheticShape = shapeAt(1)): SyntheticClan {
  let bytes = 0;
  let files = 0;
  const w = (rel: string, text: string) => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
    files++;
  };
  const { machines: M, registryEntries: R, generatorFiles: G, serviceModules: S } = shape;
  let registry = `{ pkgs ? null }:
let
  mkPromptedSecret =
    {
      generator,
      envVar ? null,
      fileAttr ? "key",
      promptAttr ? "value",
      description ? generator,
      secret ? true,
    }:
    {
      inherit generator envVar;
      files.\${fileAttr} = { inherit secret; };
      prompts.\${promptAttr} = {
        inherit description;
        type = if secret then "hidden" else "line";
      };
      script = ''cat "$prompts/\${promptAttr}" > "$out/\${fileAttr}"'';
      share = false;
    };
in
{
`;
  for (let i = 0; i < R; i++) {
    // two- and three-line entries alternate: 2,000 entries make a registry of about 5,000 lines
    registry +=
      i % 2 === 0
        ? `  ${key(i)} = mkPromptedSecret {\n    generator = "${key(i)}-gen"; envVar = "KEY_${i}"; };\n`
        : `  ${key(i)} = mkPromptedSecret {\n    generator = "${key(i)}-gen";\n    envVar = "KEY_${i}"; secret = ${i % 3 === 0 ? 'false' : 'true'}; };\n`;
  }
  registry += '}\n';
  w('flake.nix', '{\n  inputs = { };\n  outputs = { self, ... }: { };\n}\n');
  w('lib/secret-registry.nix', registry);
  let matrix = 'let\n  sharedCore = [ "key-0000" "key-0001" "key-0002" ];\nin\n{\n';
  for (let m = 0; m < M; m++) {
    // eight distinct keys per machine besides sharedCore (key-0000..key-0002)
    const keys = Array.from({ length: 8 }, (_, j) => `"${key(3 + ((m * 7 + j * 13) % (R - 3)))}"`);
    matrix += `  machine-${m} = sharedCore ++ [ ${keys.join(' ')} ];\n`;
  }
  matrix += '}\n';
  w('lib/machine-env-matrix.nix', matrix);
  w(
    'lib/vars-generators.nix',
    `# Pure: a list of registry keys -> the clan.core.vars.generators attrset.
{ keys, pkgs ? null }:
let
  registry = import ./secret-registry.nix { inherit pkgs; };
  entryFor = key: if registry ? \${key} then registry.\${key} else throw "Unknown secret key in envMatrix: \${key}";
  mkGenerator = entry: { inherit (entry) files prompts script share; };
in
builtins.listToAttrs (
  map (key: {
    name = (entryFor key).generator;
    value = mkGenerator (entryFor key);
  }) keys
)
`,
  );
  for (let m = 0; m < M; m++) {
    const imports: string[] = [];
    for (let i = m; i < G; i += M) imports.push(`../../modules/gen-${i}.nix`);
    for (let j = m; j < S; j += M) imports.push(`../../modules/services/svc-${j}.nix`);
    w(
      `machines/machine-${m}/configuration.nix`,
      `{ pkgs, ... }:
let
  envMatrix = import ../../lib/machine-env-matrix.nix;
  gens = import ../../lib/vars-generators.nix { keys = envMatrix.machine-${m}; inherit pkgs; };
in
{
  imports = [
${imports.map((i) => `    ${i}`).join('\n')}
  ];
  clan.core.vars.generators = gens;
  networking.hostName = "machine-${m}";
}
`,
    );
  }
  for (let i = 0; i < G; i++) {
    // gen-i lives on machine i mod M, like gen-(i - M): a dependency within the machine, and one on a shared-core registry generator
    const deps = i >= M ? `"gen-${i - M}" "${key(1 + (i % 2))}-gen"` : `"${key(1 + (i % 2))}-gen"`;
    w(
      `modules/gen-${i}.nix`,
      `{
  config,
  lib,
  pkgs,
  ...
}:
{
  clan.core.vars.generators."gen-${i}" = {
    dependencies = [ ${deps} ];
    files.key = { };
    files."key.pub".secret = false;
    runtimeInputs = [ pkgs.openssh ];
    script = ''
      ssh-keygen -t ed25519 -N "" -C "gen-${i}" -f "$out/key"
    '';
  };

  clan.core.vars.generators."gen-${i}-token" = {
    prompts.token = {
      description = "API token for service ${i}";
      type = "hidden";
    };
    files.token.owner = "svc-${i}";
    script = ''
      cat "$prompts/token" > "$out/token"
    '';
  };

  clan.core.vars.generators."gen-${i}-cert" = {
    dependencies = [ "gen-${i}" ];
    files."cert.pem".secret = false;
    runtimeInputs = [ pkgs.openssl ];
    script = ''
      openssl req -new -x509 -key "$in/gen-${i}/key" -subj "/CN=gen-${i}" -days 3650 -out "$out/cert.pem"
    '';
  };
}
`,
    );
  }
  for (let j = 0; j < S; j++) {
    // svc-j is imported by machine j mod M, which has gen-j
    w(
      `modules/services/svc-${j}.nix`,
      `{ config, lib, pkgs, ... }:
let
  cfg = config.services.svc-${j};
in
{
  options.services.svc-${j}.enable = lib.mkEnableOption "service ${j}";
  config = lib.mkIf cfg.enable {
    systemd.services.svc-${j} = {
      wantedBy = [ "multi-user.target" ];
      serviceConfig.LoadCredential = [
        "key:\${config.clan.core.vars.generators."gen-${j}".files.key.path}"
        "token:\${config.clan.core.vars.generators."gen-${j}-token".files.token.path}"
      ];
      script = "exec \${pkgs.hello}/bin/hello";
    };
  };
}
`,
    );
  }
  return {
    root,
    registryFile: path.join(root, 'lib/secret-registry.nix'),
    matrixFile: path.join(root, 'lib/machine-env-matrix.nix'),
    files,
    bytes,
    generators: 3 * G,
    registryLines: registry.split('\n').length,
    machines: M,
  };
}

/** The .nix files under `root`, relative to it, sorted. */
export function listNixFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.nix')).sort();
}
