{ config, lib, pkgs, ... }:
let
  envMatrix = import ../../../lib/machine-env-matrix.nix;
in
{
  imports = [
    ../../shared/openssh.nix
    # deliberate mistake: generators through importApply in `imports` recurse in clan's
    # cross-architecture clanInternals evaluation
    (lib.modules.importApply ../../../lib/vars-generators.nix { keys = envMatrix.emily; })
  ];
}
