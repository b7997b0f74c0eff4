// undefined-variable: variables bound nowhere in the files of the registry pipeline, found through
// evaluation (so also in files they import), with a did-you-mean from the names in scope.
import { runRuleCases } from '../helpers/ruleCases';

const GENERATORS = `{ keys, pkgs ? null }:
let registry = import ./secret-registry.nix { inherit pkgs; };
in builtins.listToAttrs (map (key: { name = registry.\${key}.generator; value = { inherit (registry.\${key}) files; }; }) keys)
`;

const REGISTRY = (entries: string) => `{ pkgs ? null }:
let
  mkPromptedSecret = { generator, secret ? true }: { inherit generator secret; files.key = { inherit secret; }; };
in
{
${entries}
}
`;

const clan = (files: Record<string, string>) => ({
  'flake.nix': '{ }',
  'lib/machine-env-matrix.nix': '{\n  lea = [ "api" ];\n}\n',
  'lib/vars-generators.nix': GENERATORS,
  ...files,
});

runRuleCases('undefined-variable', [
  {
    name: 'a misspelled helper in the registry, in an entry no machine uses',
    files: clan({
      'lib/secret-registry.nix': REGISTRY('  api = mkPromptedSecret { generator = "api-key"; };\n  mail = mkPromtedSecret { generator = "mail"; };'),
    }),
    only: ['undefined-variable'],
    expect: ['lib/secret-registry.nix:7 undefined-variable'],
    messages: [/'mkPromtedSecret' is not defined here.*undefined variable 'mkPromtedSecret'.*Did you mean 'mkPromptedSecret'\?/],
  },
  {
    name: 'every undefined variable of the file, also in inherit and in a function argument default',
    files: clan({
      'lib/secret-registry.nix': REGISTRY('  api = mkPromptedSecret { generator = "api-key"; };\n  x = { inherit pkg; };\n  y = { n ? mkPromptedSecrte }: n;'),
    }),
    only: ['undefined-variable'],
    expect: ['lib/secret-registry.nix:7 undefined-variable', 'lib/secret-registry.nix:8 undefined-variable'],
    messages: [/'pkg'.*Did you mean 'pkgs'\?/, /'mkPromptedSecrte'.*Did you mean 'mkPromptedSecret'\?/],
  },
  {
    name: 'in the matrix, and in a file the registry imports',
    files: clan({
      'lib/machine-env-matrix.nix': 'let core = [ "api" ]; in {\n  lea = coer ++ [ ];\n}\n',
      'lib/helpers.nix': '{\n  mk = generator: { inherit generator; files.key = { }; scrpit = script; };\n}\n',
      'lib/secret-registry.nix': '{ pkgs ? null }:\nlet h = import ./helpers.nix; in\n{\n  api = h.mk "api-key";\n}\n',
    }),
    only: ['undefined-variable'],
    expect: ['lib/machine-env-matrix.nix:2 undefined-variable', 'lib/helpers.nix:2 undefined-variable'],
    messages: [/'coer'.*Did you mean 'core'\?/],
  },
  {
    name: 'arguments, let, rec, with and built-ins are bound: nothing to report',
    files: clan({
      'lib/secret-registry.nix': REGISTRY(
        '  api = mkPromptedSecret { generator = "api-key"; };\n  r = rec { a = b; b = toString 1; };\n  w = with builtins; length [ pkgsName ];\n  f = { a ? b, b ? __head [ 1 ] }: a;',
      ),
    }),
    only: ['undefined-variable'],
    expect: [],
  },
]);
