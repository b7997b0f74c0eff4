// fosskar's nixfiles helpers, as written there: `imports = nflib.scanPaths <folder> { };` with
// `nflib = config.flake.lib` from the clan's specialArgs and `flake.lib = import ../../lib { inherit lib; };`
// (lib/default.nix, lib/scan-paths.nix, the flake-parts module exposing them, the clan's inventory).
// `excluded`: the names scanPaths always leaves out; `machines`: the inventory's machines.

export function fosskarHelpers(excluded: string[], machines: string[]): Record<string, string> {
  return {
    'lib/default.nix': 'args: import ./scan-paths.nix args\n',
    'lib/scan-paths.nix': `{ lib, ... }:
{
  scanPaths =
    path:
    { exclude ? [ ] }:
    let
      alwaysExcluded = [ ${excluded.map((e) => JSON.stringify(e)).join(' ')} ];
      allFiles = builtins.attrNames (
        lib.attrsets.filterAttrs (
          filename: _type:
          (!lib.any (excluded: filename == excluded) (exclude ++ alwaysExcluded))
          && ((_type == "directory") || ((filename != "default.nix") && (lib.strings.hasSuffix ".nix" filename)))
        ) (builtins.readDir path)
      );
    in
    map (f: (path + "/\${f}")) allFiles;
}
`,
    'modules/flake-parts/lib.nix': '{ lib, ... }:\n{\n  flake.lib = import ../../lib { inherit lib; };\n}\n',
    'inventory/inventory.nix': `{ self, inputs, config, ... }:\n{\n  flake.clan = {\n    inherit self;\n    specialArgs = {\n      inherit inputs;\n      nflib = config.flake.lib;\n    };\n${machines.map((m) => `    inventory.machines.${m} = { };\n`).join('')}  };\n}\n`,
  };
}
