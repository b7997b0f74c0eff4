// A generator is every declaration the module system merges under its name: the same name in
// several modules, and computed names (`"wg-${name}"`, `${name}`) that evaluate to it. A check that
// concludes something is missing (a prompt, a dependency, a file, runtimeInputs, `secret = false`)
// reads all of them that may be on a machine of the generator. Each case has a declaration that
// could be merged in (silent) beside one that cannot (the finding stays).
import { runRuleCases } from '../helpers/ruleCases';

const FLAKE = `{
  outputs = { clan-core, ... }: {
    clan = clan-core.lib.clan {
      machines.a.imports = [ ./a.nix ];
      machines.b.imports = [ ./b.nix ];
    };
  };
}
`;

/** A module with one generator written as `clan.core.vars.generators.<name> = { <body> };`, `name` as written (quoted, interpolated). */
const gen = (name: string, body: string, args = 'name') => `{ ${args}, pkgs, ... }:\n{\n  clan.core.vars.generators.${name} = {\n${body}\n  };\n}\n`;

runRuleCases('merged declarations', [
  {
    name: 'unknown-prompt: a computed name declared in two modules gets the prompt the second declares; a pattern that cannot be the name gives none',
    files: {
      'wg.nix': gen('"wg-${name}"', `    files.key = { };\n    script = ''\n      cat $prompts/psk > $out/key\n    '';`),
      'wg-prompts.nix': gen('"wg-${name}"', `    prompts.psk.type = "hidden";`),
      'db.nix': gen('"db-${name}"', `    files.key = { };\n    script = ''\n      cat $prompts/pw > $out/key\n    '';`),
      'cache.nix': gen('"cache-${name}"', `    prompts.pw = { };`),
      'mail.nix': gen('"mail-${name}"', `    files.key = { };\n    script = ''\n      cat $prompts/pasword > $out/key\n    '';`),
      'mail-prompts.nix': gen('"mail-${name}"', `    prompts.password = { };`),
    },
    expect: ['db.nix:6 unknown-prompt', 'mail.nix:6 unknown-prompt'],
    only: ['unknown-prompt'],
    messages: [/Generator 'db-\*' declares no prompts/, /declares no prompt 'pasword'.*Did you mean 'password'\?/],
  },
  {
    name: 'unknown-prompt: a literal name and a pattern that matches it merge both ways; so does a name computed from anything',
    files: {
      'vpn.nix': gen('vpn-home', `    files.key = { };\n    script = ''\n      cat $prompts/token > $out/key\n    '';`),
      'vpn-prompts.nix': gen('"vpn-${name}"', `    prompts.token = { };`),
      'key.nix': gen('"key-${name}"', `    files.key = { };\n    script = ''\n      cat $prompts/pass > $out/key\n    '';`),
      'key-a.nix': gen('key-a', `    prompts.pass = { };`),
      'any.nix': gen('${name}', `    prompts.seed = { };`),
      'tok.nix': gen('tok', `    files.key = { };\n    script = ''\n      cat $prompts/seed $prompts/nope > $out/key\n    '';`),
    },
    expect: ['tok.nix:6 unknown-prompt'],
    only: ['unknown-prompt'],
    messages: [/declares no prompt 'nope'/],
  },
  {
    name: 'unknown-prompt, missing-runtime-input, unknown-input, missing-output: a computed name merges into a generator on a machine both are on, not into one of another machine',
    files: {
      'flake.nix': FLAKE,
      'a.nix': `{ ... }:\n{\n  imports = [ ./t.nix ./more.nix ];\n}\n`,
      'b.nix': `{ ... }:\n{\n  imports = [ ./u.nix ];\n}\n`,
      'more.nix': gen('"${name}"', `    prompts.pw = { };\n    prompts.extra.persist = true;\n    dependencies = [ "dep" ];\n    runtimeInputs = [ pkgs.pwgen ];`),
      'dep.nix': gen('dep', `    files.x = { };\n    script = "touch $out/x";`),
      't.nix': gen('t', `    files.key = { };\n    files.extra = { };\n    script = ''\n      cat $prompts/pw $in/dep/x > $out/key\n      pwgen 8 >> $out/key\n    '';`),
      'u.nix': gen('u', `    files.key = { };\n    files.extra = { };\n    script = ''\n      cat $prompts/pw $in/dep/x > $out/key\n      pwgen 8 >> $out/key\n    '';`),
    },
    expect: ['u.nix:5 missing-output', 'u.nix:7 unknown-input', 'u.nix:7 unknown-prompt', 'u.nix:8 missing-runtime-input'],
    only: ['unknown-prompt', 'missing-runtime-input', 'unknown-input', 'missing-output'],
  },
  {
    name: 'unknown-prompt: a computed name with a script of its own is another generator (two scripts would be conflicting definitions of one)',
    files: {
      'tok.nix': gen('tok', `    files.key = { };\n    script = ''\n      cat $prompts/seed > $out/key\n    '';`),
      'any.nix': gen('"${name}"', `    prompts.seed = { };\n    files.x = { };\n    script = ''\n      cat $prompts/seed > $out/x\n    '';`),
    },
    expect: ['tok.nix:6 unknown-prompt'],
    only: ['unknown-prompt'],
  },
  {
    name: 'unknown-input, missing-runtime-input: dependencies and runtimeInputs a matching computed name declares are merged in',
    files: {
      'ca.nix': gen('ca', `    files.key = { };\n    script = "touch $out/key";`),
      'cert.nix': gen('"cert-${name}"', `    files.crt = { };\n    script = ''\n      cat $in/ca/key > $out/crt\n      openssl version >> $out/crt\n    '';`),
      'cert-deps.nix': gen('cert-web', `    dependencies = [ "ca" ];\n    runtimeInputs = [ pkgs.openssl ];`),
      'tls.nix': gen('"tls-${name}"', `    files.crt = { };\n    script = ''\n      cat $in/ca/key > $out/crt\n      openssl version >> $out/crt\n    '';`),
      'web-deps.nix': gen('web-tls', `    dependencies = [ "ca" ];\n    runtimeInputs = [ pkgs.openssl ];`),
    },
    expect: ['tls.nix:6 unknown-input', 'tls.nix:7 missing-runtime-input'],
    only: ['unknown-input', 'missing-runtime-input'],
  },
  {
    name: 'missing-output, undeclared-output: a persisted prompt or a file a computed name that could be it declares is merged in',
    files: {
      'wifi.nix': gen('wifi-home', `    files.password = { };\n    files.ssid = { };\n    script = ''\n      echo home > $out/ssid\n      echo x > $out/all\n    '';`),
      'wifi-prompts.nix': gen('"wifi-${name}"', `    prompts.password.persist = true;`),
      'all.nix': gen('${name}', `    files.all = { };`),
      'vpn.nix': gen('vpn-home', `    files.password = { };\n    files.ssid = { };\n    script = ''\n      echo home > $out/ssid\n      echo x > $out/al\n    '';`),
      'mail.nix': gen('"mail-${name}"', `    prompts.password.persist = true;`),
    },
    expect: ['vpn.nix:4 missing-output', 'vpn.nix:8 undeclared-output'],
    only: ['missing-output', 'undeclared-output'],
  },
  {
    name: 'secret-value-access: secret = false from a computed name that could be the generator (a pattern, or a name computed from anything)',
    files: {
      'gen.nix': `{ name, ... }:\n{\n  clan.core.vars.generators.net-home = { files.id = { }; script = "touch $out/id"; };\n  clan.core.vars.generators."net-\${name}".files.id.secret = false;\n  clan.core.vars.generators.vpn-home = { files.id = { }; script = "touch $out/id"; };\n}\n`,
      'any.nix': `{ name, ... }:\n{\n  clan.core.vars.generators.\${name}.files.id.secret = false;\n}\n`,
      'use.nix': `{ config, ... }:\n{\n  a = config.clan.core.vars.generators.net-home.files.id.value;\n  b = config.clan.core.vars.generators.vpn-home.files.id.value;\n}\n`,
    },
    expect: [],
    only: ['secret-value-access'],
  },
  {
    name: 'secret-value-access: a computed name that cannot be the generator leaves its file secret',
    files: {
      'gen.nix': `{ name, ... }:\n{\n  clan.core.vars.generators.vpn-home = { files.id = { }; script = "touch $out/id"; };\n  clan.core.vars.generators."wan-\${name}".files.id.secret = false;\n}\n`,
      'use.nix': `{ config, ... }:\n{\n  b = config.clan.core.vars.generators.vpn-home.files.id.value;\n}\n`,
    },
    expect: ['use.nix:3 secret-value-access'],
    only: ['secret-value-access'],
  },
  {
    name: 'unknown-var-read: a file a computed name declares on the same machine is merged in; on another machine it is not',
    files: {
      'flake.nix': FLAKE,
      'a.nix': `{ config, name, ... }:\n{\n  clan.core.vars.generators.ssh = { files.key = { }; script = "touch $out/key"; };\n  clan.core.vars.generators."s\${name}".files.cert = { };\n  x = config.clan.core.vars.generators.ssh.files.cert.path;\n}\n`,
      'b.nix': `{ config, ... }:\n{\n  clan.core.vars.generators.ssh = { files.key = { }; script = "touch $out/key"; };\n  x = config.clan.core.vars.generators.ssh.files.cert.path;\n}\n`,
    },
    expect: ['b.nix:4 unknown-var-read'],
    only: ['unknown-var-read'],
  },
  {
    name: 'shared-depends-on-machine: share = true from a name computed from anything, which could be the dependency',
    files: {
      'm.nix': `{\n  clan.core.vars.generators.ca = { share = true; dependencies = [ "root-a" ]; files.k = { }; script = "touch $out/k"; };\n  clan.core.vars.generators.root-a = { files.k = { }; script = "touch $out/k"; };\n}\n`,
      'any.nix': `{ name, ... }:\n{\n  clan.core.vars.generators.\${name}.share = true;\n}\n`,
    },
    expect: [],
    only: ['shared-depends-on-machine'],
  },
  {
    name: 'shared-depends-on-machine: a computed name that cannot be the dependency leaves it per-machine',
    files: {
      'm.nix': `{ name, ... }:\n{\n  clan.core.vars.generators.ca = { share = true; dependencies = [ "host-a" ]; files.k = { }; script = "touch $out/k"; };\n  clan.core.vars.generators.host-a = { files.k = { }; script = "touch $out/k"; };\n  clan.core.vars.generators."root-\${name}".share = true;\n}\n`,
    },
    expect: ['m.nix:3 shared-depends-on-machine'],
    only: ['shared-depends-on-machine'],
    messages: [/depends on 'host-a'/],
  },
  {
    name: 'shared-definition-mismatch: a machine with a computed name that could be the shared generator is not compared (what it has cannot be told); machines without one are',
    files: {
      'machines/a/wifi.nix': `{ clan.core.vars.generators.wifi = { share = true; prompts.password = { type = "hidden"; persist = true; }; }; }`,
      'machines/b/wifi.nix': `{ clan.core.vars.generators.wifi = { share = true; prompts.password = { persist = true; }; }; }`,
      'machines/b/type.nix': `{ name, ... }: { clan.core.vars.generators."wi\${name}".prompts.password.type = "hidden"; }`,
      'machines/c/wifi.nix': `{ clan.core.vars.generators.wifi = { share = true; prompts.password = { persist = true; }; }; }`,
      'machines/c/type.nix': `{ name, ... }: { clan.core.vars.generators."lan-\${name}".prompts.password.type = "hidden"; }`,
    },
    expect: ['machines/c/wifi.nix:1 shared-definition-mismatch'],
    only: ['shared-definition-mismatch'],
    messages: [/Machines a and c have different definitions for shared generator 'wifi' \(differ in: prompts\)/],
  },
  {
    name: 'shared-definition-mismatch: the first machine compared is the one whose extra declaration makes the difference: reported there, on the declaration the others lack',
    files: {
      'modules/porkbun.nix': `{ clan.core.vars.generators.porkbun = { share = true; prompts.apikey = { type = "hidden"; persist = true; }; }; }`,
      'machines/a/configuration.nix': `{ imports = [ ../../modules/porkbun.nix ./proxy.nix ]; }`,
      'machines/a/proxy.nix': `{ clan.core.vars.generators.porkbun.prompts.apikey.description = "the API key"; }`,
      'machines/b/configuration.nix': `{ imports = [ ../../modules/porkbun.nix ]; }`,
      'machines/c/configuration.nix': `{ imports = [ ../../modules/porkbun.nix ]; }`,
    },
    expect: ['machines/a/proxy.nix:1 shared-definition-mismatch'],
    only: ['shared-definition-mismatch'],
    messages: [/Machines a and b have different definitions for shared generator 'porkbun' \(differ in: prompts\)/],
  },
]);
