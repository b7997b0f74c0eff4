{ lib, ... }:
{
  clan.core.vars.generators = lib.genAttrs [ "wg-lan" "wg-wan" ] (name: {
    files.private.mode = "0400";
    files.public.secret = false;
    dependencies = [ "tls-web" ];
    script = ''
      cat $in/tls-web/cert > /dev/null
      echo private > $out/private
      echo public > $out/public
    '';
  });
}
