{ config, lib, pkgs, ... }:
{
  clan.core.vars.generators = {
    openssh-ca = {
      share = true;
      files."id_ed25519".deploy = false;
      files."id_ed25519.pub".secret = false;
      runtimeInputs = [ pkgs.openssh ];
      script = ''
        ssh-keygen -t ed25519 -N "" -C "clan ca" -f "$out/id_ed25519"
      '';
    };

    openssh = {
      files."ssh.id_ed25519" = { };
      files."ssh.id_ed25519.pub".secret = false;
      runtimeInputs = [ pkgs.openssh ];
      script = ''
        ssh-keygen -t ed25519 -N "" -f "$out/ssh.id_ed25519"
      '';
    };

    openssh-cert = {
      dependencies = [
        "openssh"
        "openssh-ca"
      ];
      files."ssh.id_ed25519-cert.pub".secret = false;
      validation.name = config.networking.hostName;
      runtimeInputs = [ pkgs.openssh ];
      script = ''
        cp "$in/openssh/ssh.id_ed25519.pub" pub
        ssh-keygen -s "$in/openssh-ca/id_ed25519" -I host -h pub
        cp pub-cert.pub "$out/ssh.id_ed25519-cert.pub"
      '';
    };
  };
}
