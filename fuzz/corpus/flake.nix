# Generators built from literal lists and sets, as real clans write them (fuzz/workspace.ts).
{
  inputs.clan-core.url = "github:clan-lol/clan-core";
  outputs = { self, clan-core, ... }: {
    inherit (clan-core.lib.clan { inherit self; meta.name = "lists"; }.config) nixosConfigurations clanInternals;
  };
}
