{ config, lib, pkgs, ... }:
let
  envMatrix = import ../../../lib/machine-env-matrix.nix;
  varsGenerators = import ../../../lib/vars-generators.nix {
    keys = envMatrix.lea;
    inherit pkgs;
  };
in
{
  imports = [ ../../shared/openssh.nix ];

  # Assigned in the module body, computed in `let`: safe for cross-architecture evaluation.
  clan.core.vars.generators = varsGenerators;
}
