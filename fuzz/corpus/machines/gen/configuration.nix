{ lib, ... }:
{
  imports = [
    ../../modules/wireguard.nix
    ../../modules/databases.nix
    ../../modules/users.nix
  ];
  clan.core.vars.generators = lib.listToAttrs (
    map (n: lib.nameValuePair "tls-${n}" {
      files.key.mode = "0400";
      files.cert.secret = false;
      script = "echo key > $out/key; echo cert > $out/cert";
    }) [ "web" "api" "mail" ]
  );
}
