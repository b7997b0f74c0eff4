{
  description = "Example clan for Clan Vars: a secret registry, a machine matrix and generators";

  inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
  inputs.nixpkgs.follows = "clan-core/nixpkgs";

  outputs =
    { self, clan-core, nixpkgs, ... }:
    let
      clan = clan-core.lib.clan {
        inherit self;
        meta.name = "example";
        machines = {
          lea = { imports = [ ./modules/hosts/lea ]; };
          emily = { imports = [ ./modules/hosts/emily ]; };
          zoe = { imports = [ ./machines/zoe/configuration.nix ]; };
        };
      };
    in
    {
      inherit (clan.config) nixosConfigurations darwinConfigurations clanInternals;
    };
}
