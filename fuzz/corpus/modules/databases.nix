{ lib, ... }:
let
  owners = { postgres = "postgres"; mysql = "mysql"; };
in
{
  clan.core.vars.generators = lib.mkMerge [
    (lib.mapAttrs' (db: owner: lib.nameValuePair "db-${db}" {
      files.password = { inherit owner; };
      prompts.password.type = "hidden";
      script = "cp $prompts/password $out/password";
    }) owners)
    (builtins.listToAttrs (map (n: { name = "backup-${n}"; value = { dependencies = [ "db-${n}" ]; files.key = { }; script = "cat $in/db-${n}/password > $out/key"; }; }) [ "postgres" "mysql" ]))
  ];
}
