# Pure: a list of registry keys -> the clan.core.vars.generators attrset.
{ keys, pkgs ? null }:
let
  registry = import ./secret-registry.nix { inherit pkgs; };
  entryFor =
    key:
    if registry ? ${key} then registry.${key} else throw "Unknown secret key in envMatrix: ${key}";
  mkGenerator =
    entry:
    {
      inherit (entry) files script share;
    }
    // (if entry ? prompts then { inherit (entry) prompts; } else { })
    // (if entry ? runtimeInputs then { inherit (entry) runtimeInputs; } else { });
in
builtins.listToAttrs (
  map (key: {
    name = (entryFor key).generator;
    value = mkGenerator (entryFor key);
  }) keys
)
