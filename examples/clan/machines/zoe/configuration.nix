{
  config,
  lib,
  pkgs,
  ...
}:
{
  imports = [ ../../modules/shared/openssh.nix ];

  clan.core.vars.generators.borgbackup = {
    # deliberate typo: the generator is called "openssh", not "open-ssh"
    dependencies = [ "open-ssh" ];
    files."borgbackup.ssh" = { };
    files."borgbackup.ssh.pub".secret = false;
    runtimeInputs = [ pkgs.openssh ];
    script = ''
      ssh-keygen -t ed25519 -N "" -f "$out/borgbackup.ssh"
    '';
  };
}
