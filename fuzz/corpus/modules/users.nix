{ lib, ... }:
{
  clan.core.vars.generators = lib.foldl' (acc: user: acc // {
    "user-${user}" = {
      prompts.password.type = "hidden";
      files.hash.neededFor = "users";
      script = "cat $prompts/password > $out/hash";
    };
  }) { } [ "ada" "linus" "grace" ];
}
