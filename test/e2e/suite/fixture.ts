// The seeded mistakes of the fixture clan (test/e2e/fixtures/clan, see its README) and an edit
// that fixes each one. Scenarios find them by text, so the fixture can grow without breaking them.

export interface SeededMistake {
  file: string;
  code: string;
  /** Text the diagnostic's range covers. */
  text: string;
  /** Replacing `find` with `replace` fixes the mistake. */
  fix: { find: string; replace: string };
}

export const SEEDED: SeededMistake[] = [
  {
    file: 'lib/machine-env-matrix.nix',
    code: 'unknown-registry-key',
    text: '"opneai"',
    fix: { find: '"opneai"', replace: '"openai"' },
  },
  {
    file: 'machines/bo/configuration.nix',
    code: 'unknown-dependency',
    text: '"wireguard-kye"',
    fix: { find: '"wireguard-kye"', replace: '"wireguard-key"' },
  },
  {
    file: 'modules/hosts/ada/default.nix',
    code: 'import-apply-generators',
    text: 'lib.modules.importApply',
    fix: {
      find: `let
  envMatrix = import ../../../lib/machine-env-matrix.nix;
in
{
  imports = [
    ../../shared/wireguard.nix
    (lib.modules.importApply ../../../lib/vars-generators.nix { keys = envMatrix.ada; })
  ];
}`,
      replace: `let
  envMatrix = import ../../../lib/machine-env-matrix.nix;
  varsGenerators = import ../../../lib/vars-generators.nix { keys = envMatrix.ada; };
in
{
  imports = [ ../../shared/wireguard.nix ];
  clan.core.vars.generators = varsGenerators;
}`,
    },
  },
];
