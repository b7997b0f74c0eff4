// What the machine model knows of a machine's generators where a generator set is computed: a clan
// service's computed name that is no template of what clan passes it, a generator set computed
// beside the registry pipeline, the registry pipeline's model kept up to date while the clan has
// no registry file, and a registry at a path the scan does not read (not ending in .nix).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { everyMachineKnown, openReasons } from '../../server/src/model/machineModel';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const gen = (name: string, extra = '') => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; ${extra} }; }\n`;

async function scanned(files: Record<string, string>, settings: Partial<AnalysisSettings> = {}) {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, { ...DEFAULT_SETTINGS, ...settings }, await NixParser.load());
  await index.scan();
  return { root, index };
}

/** `machine: generators | open: reasons` as the machines view shows them (clan-core's own generators left out). */
function machines(index: WorkspaceAnalysis, root: string): string[] {
  return machinesReport(index.clan(root)).machines.map((m) => `${m.name}: ${m.generators.filter((g) => g !== 'state-version').join(', ')}${m.unknowns.length ? ` | open: ${m.unknowns.join('; ')}` : ''}`);
}

/** The rules' findings, in a comparable form. */
function findings(index: WorkspaceAnalysis): string[] {
  return [...index.allProblems().values()].flat().map((p) => `${p.file}:${p.range.start.line} ${p.code} ${p.message}`).sort();
}

test("a clan service's computed generator name that is no template of what clan passes (a value of config): names of that form on the role's machines, beside the names made of the instance", async () => {
  const service = `{
  _class = "clan.service";
  manifest.name = "vpn";
  roles.peer.perInstance = { instanceName, ... }: {
    nixosModule = { config, ... }: {
      clan.core.vars.generators."vpn-\${instanceName}" = { files.k = { }; script = "echo > $out/k"; };
      clan.core.vars.generators."peer-\${config.networking.hostName}" = { files.k = { }; script = "echo > $out/k"; };
    };
  };
}
`;
  const { root, index } = await scanned({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {} } }),
    'clan.nix': `{ modules.vpn = ./services/vpn.nix; inventory.instances.home = { module = { name = "vpn"; input = "self"; }; roles.peer.machines.a = { }; }; }\n`,
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    'services/vpn.nix': service,
  });
  assert.deepEqual(machines(index, root), ["a: vpn-home | open: generator names of the form 'peer-*' computed from values not known statically (services/vpn.nix:7)", 'b: ']);
  const a = index.clan(root).machineModel().machines.get('a')!;
  assert.deepEqual(openReasons(a), ["generator names of the form 'peer-*' computed from values not known statically (services/vpn.nix:7)"]);
  assert.deepEqual(index.clan(root).machineModel().resolveDependency('a', 'peer-a'), { found: 'maybe' });
});

const registry = (entries: string) => `{ pkgs ? null }: {\n${entries}}\n`;
const entry = (key: string, generator: string) => `  ${key} = { generator = ${generator}; files.value = { }; script = "touch $out/value"; };\n`;
const PIPELINE = {
  'lib/secret-registry.nix': registry(entry('wifi', '"wifi-psk"') + entry('api', '"api-token"')),
  'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" "api" ];\n  m1 = [ "api" ];\n}\n',
  'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
  'machines/m0/configuration.nix': '{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\n}\n',
};

test('beside a registry pipeline the checker reads, a generator set computed from another value keeps its machine open; the pipeline closes the machines that import it', async () => {
  const { root, index } = await scanned({
    ...PIPELINE,
    // its generators from a value not known statically, not from the registry pipeline
    'machines/m1/configuration.nix': '{ config, ... }: {\n  imports = [ ./own.nix ];\n  clan.core.vars.generators = config.gens;\n}\n',
    'machines/m1/own.nix': gen('own', 'dependencies = [ "wifi-pk" ];'),
  });
  assert.deepEqual(machines(index, root), ['m0: api-token, wifi-psk', 'm1: api-token, own | open: generators computed in machines/m1/configuration.nix:3']);
  // m1 may have wifi-pk: its dependency is no sure error
  assert.deepEqual(index.clan(root).machineModel().resolveDependency('m1', 'wifi-pk'), { found: 'maybe', unreadOn: ['m1'] });
  assert.deepEqual(findings(index), []);
});

test('a clan with a matrix and no registry file: after an edit of the matrix, the updated model and findings are those of a fresh build', async () => {
  const { root, index } = await scanned({
    'lib/machine-env-matrix.nix': '{\n  m0 = [ "wifi" ];\n  m1 = [ ];\n}\n',
    'machines/m0/configuration.nix': gen('own-0'),
    'machines/m1/configuration.nix': gen('own-1', 'dependencies = [ "own-0" ];'),
  });
  const before = findings(index);
  assert.deepEqual(machines(index, root), ['m0: own-0', 'm1: own-1']);
  const model = index.clan(root).machineModel();
  index.updateFromText(`${root}/lib/machine-env-matrix.nix`, '{\n  m0 = [ "wifi" "api" ];\n  m1 = [ "api" ];\n}\n');
  const updated = { machines: machines(index, root), findings: findings(index) };
  assert.notEqual(index.clan(root).machineModel(), model, 'a new model for the edited matrix');
  index.engine.clear();
  index.models.clear();
  assert.deepEqual(updated, { machines: machines(index, root), findings: findings(index) }, 'the updated model equals a fresh build');
  assert.deepEqual(updated.machines, ['m0: own-0', 'm1: own-1']);
  const unknownDependency = [`${root}/machines/m1/configuration.nix:0 unknown-dependency 'own-0' is a per-machine generator of 'm0', not of machine 'm1': declare it there too, or make it shared (share = true).`];
  assert.deepEqual(before, unknownDependency);
  assert.deepEqual(updated.findings, unknownDependency);
});

test('a registry at a path not ending in .nix (clan imports it all the same): its generators reach the machines the matrix gives them, before and after an edit of the matrix', async () => {
  const { 'lib/secret-registry.nix': registryText, ...rest } = PIPELINE;
  const { root, index } = await scanned({
    ...rest,
    'lib/secret-registry': registryText,
    'lib/vars-generators.nix': PIPELINE['lib/vars-generators.nix'].replace('./secret-registry.nix', './secret-registry'),
    'machines/m1/configuration.nix': gen('own', 'dependencies = [ "api-token" ];'),
  }, { registryPath: 'lib/secret-registry' });
  assert.deepEqual(machines(index, root), ['m0: api-token, wifi-psk', 'm1: api-token, own']);
  // m1's matrix keys give it api-token: its dependency is found
  assert.deepEqual(findings(index), []);
  index.updateFromText(`${root}/lib/machine-env-matrix.nix`, '{\n  m0 = [ "wifi" ];\n  m1 = [ "api" ];\n}\n');
  const updated = { machines: machines(index, root), findings: findings(index) };
  index.engine.clear();
  index.models.clear();
  assert.deepEqual(updated, { machines: machines(index, root), findings: findings(index) }, 'the updated model equals a fresh build');
  assert.deepEqual(updated, { machines: ['m0: wifi-psk', 'm1: api-token, own'], findings: [] });
});

// clan-core's wifi service, as it writes its names: one generator per network of the instance's settings
const WIFI = `{ lib, ... }:
{
  _class = "clan.service";
  manifest.name = "wifi";
  roles.default.perInstance = { instanceName, settings, ... }: {
    nixosModule = { pkgs, config, ... }:
      let
        secret_generator = name: networkCfg: {
          name = "wifi.\${name}";
          value = { prompts.network-name.type = "line"; share = true; };
        };
      in
      lib.mkIf (settings.networks != { }) {
        clan.core.vars.generators = lib.mapAttrs' secret_generator settings.networks;
      };
  };
}
`;

async function wifiClan(instances: string, extra: Record<string, string> = {}) {
  return scanned({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
    'clan.nix': `{ modules.wifi = ./services/wifi.nix; inventory.instances = ${instances}; }\n`,
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    'services/wifi.nix': WIFI,
    ...extra,
  });
}

test("a clan service's names made of the names of a set in its settings (wifi's networks): one per name written for the role and for the machine, merged", async () => {
  const { root, index } = await wifiClan(`{
    home = {
      module = { name = "wifi"; input = "self"; };
      roles.default.machines.a = { };
      roles.default.machines.b.settings.networks.office = { };
      roles.default.settings.networks = { home = { }; cafe.autoConnect = false; };
    };
  }`);
  assert.deepEqual(machines(index, root), ['a: wifi.cafe, wifi.home', 'b: wifi.cafe, wifi.home, wifi.office', 'c: ']);
  // a dependency on a network the instance does not name is an error found
  assert.deepEqual(index.clan(root).machineModel().resolveDependency('a', 'wifi.garage').found, 'no');
});

test("a set of settings whose names are not all written (a name computed, a value imported, nothing written) leaves the service's names unknown, never a guess", async () => {
  const cases: [string, string][] = [
    ["roles.default.settings.networks = import ./networks.nix;", "import"],
    ['roles.default.settings.networks = { home = { }; ${lib.head [ "x" ]} = { }; };', 'a computed name'],
    ['roles.default.settings = { };', 'nothing written'],
  ];
  for (const [settings, what] of cases) {
    const { root, index } = await wifiClan(`{ home = { module = { name = "wifi"; input = "self"; }; roles.default.machines.a = { }; ${settings} }; }`, { 'networks.nix': '{ home = { }; }\n' });
    assert.deepEqual(machines(index, root), ["a:  | open: generator names of the form 'wifi.*' computed from values not known statically (services/wifi.nix:9)", 'b: ', 'c: '], what);
  }
});

test('two definitions of one instance (in two files): the names of the set are those both write', async () => {
  const { root, index } = await wifiClan(`{
    home = { module = { name = "wifi"; input = "self"; }; roles.default.machines.a = { }; roles.default.settings.networks.home = { }; };
  }; imports = [ ./more.nix ]`, { 'more.nix': '{ inventory.instances.home.roles.default.settings.networks.guest = { }; }\n' });
  assert.deepEqual(machines(index, root), ['a: wifi.guest, wifi.home', 'b: ', 'c: ']);
});

/** Machines a and b, one own clan service `name` and one instance of it, a in `role`: `settings` written in the instance, `more` in a second file of the clan. */
function serviceClan(name: string, service: string, instance: string, role: string, settings: string, more = '') {
  return scanned({
    'inventory.json': JSON.stringify({ machines: { a: {}, b: {} } }),
    'clan.nix': `{ modules.${name} = ./services/${name}.nix; inventory.instances.${instance} = { module = { name = "${name}"; input = "self"; }; roles.${role}.machines.a = { }; ${settings} }; imports = [ ./more.nix ]; }\n`,
    'more.nix': `{ ${more} }\n`,
    'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
    [`services/${name}.nix`]: service,
  });
}

// dguibert's iwd service (clan-core's matrix-synapse writes its users so): a name made of an
// attribute of each entry of a set setting, which is the entry's name unless the entry writes it
const IWD = `{ lib, ... }:
{
  _class = "clan.service";
  manifest.name = "iwd";
  roles.default = {
    interface = { lib, ... }: {
      options.networks = lib.mkOption {
        type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
          options.ssid = lib.mkOption { type = lib.types.str; default = name; };
          options.label = lib.mkOption { type = lib.types.str; default = "x"; };
        }));
        default = { };
      };
    };
    perInstance = { settings, ... }: {
      nixosModule = { config, ... }:
        let
          secret_generator = name: value: {
            name = "iwd.\${value.ssid}";
            value = { files.psk = { }; script = "echo > $out/psk"; };
          };
        in
        { clan.core.vars.generators = lib.mapAttrs' secret_generator settings.networks; };
    };
  };
}
`;

test("a clan service's names made of an attribute of each entry of a set setting, which defaults to the entry's name: the attribute where written, else the name", async () => {
  const clanWith = (settings: string, service = IWD, more = '') => serviceClan('iwd', service, 'wifi', 'default', settings, more);
  const written = await clanWith('roles.default.settings.networks = { home = { }; office.ssid = "Office WiFi"; }; roles.default.machines.a.settings.networks.cafe = { ssid = "Cafe"; };');
  assert.deepEqual(machines(written.index, written.root), ['a: iwd.Cafe, iwd.Office WiFi, iwd.home', 'b: ']);
  // written for the role only, beside another role's settings and a definition without the role: the role's own
  const peer = IWD.replace('roles.default = {', 'roles.peer = { };\n  roles.default = {');
  const roleOnly = await clanWith('roles.default.settings.networks.home.ssid = "Home"; roles.peer.machines.b.settings.networks.home.ssid = "Peer";', peer, 'inventory.instances.wifi.roles.peer.settings.networks.home.ssid = "Peer";');
  assert.deepEqual(machines(roleOnly.index, roleOnly.root), ['a: iwd.Home', 'b: ']);
  const open = "a:  | open: generator names of the form 'iwd.*' computed from values not known statically (services/iwd.nix:19)";
  for (const [settings, what] of [
    ['roles.default.settings.networks.home.ssid = lib.toUpper "h";', 'the attribute computed'],
    ['roles.default.settings.networks.home = import ./home.nix;', 'the entry imported'],
    ['roles.default.settings.networks = { inherit home; };', 'the entry inherited'],
    ['roles.default.settings.networks.home.ssid = "A"; roles.default.machines.a.settings.networks.home.ssid = "B";', 'two different strings'],
  ] as const) {
    const c = await clanWith(settings);
    assert.deepEqual(machines(c.index, c.root), [open, 'b: '], what);
  }
  // an attribute with another default, or a type whose entries are no submodules of their name, makes no name
  for (const [from, to] of [
    ['iwd.${value.ssid}', 'iwd.${value.label}'],
    ['{ name, ... }: {', '{ ... }: {'],
    ['lib.types.attrsOf (lib.types.submodule', 'lib.types.listOf (lib.types.submodule'],
  ] as const) {
    const c = await clanWith('roles.default.settings.networks.home = { };', IWD.replace(from, to));
    assert.deepEqual(machines(c.index, c.root), [open, 'b: '], to);
  }
});

// clan-core's dyndns service, as it writes its names: a function bound in a let makes each name of
// an entry's attributes, which have no default a name could be made of
const DYNDNS = `{ lib, ... }:
{
  _class = "clan.service";
  manifest.name = "dyndns";
  roles.default = {
    interface = { lib, ... }: {
      options.settings = lib.mkOption {
        type = lib.types.attrsOf (lib.types.submodule ({ ... }: {
          options.provider = lib.mkOption { type = lib.types.str; };
          options.domain = lib.mkOption { type = lib.types.str; };
        }));
        default = { };
      };
    };
    perInstance = { settings, ... }: {
      nixosModule = { config, ... }:
        let
          name = "dyndns";
          cfg = settings;
          secret_id = opt: "\${name}-\${opt.provider}-\${opt.domain}";
          secret_generator = _: opt: {
            name = secret_id opt;
            value = { share = true; prompts.\${secret_id opt}.type = "hidden"; };
          };
        in
        { clan.core.vars.generators = lib.mkIf (cfg.settings != { }) (lib.mapAttrs' secret_generator cfg.settings); };
    };
  };
}
`;

test("a clan service's names made by a function bound in a let, of attributes its instance's entries write: filled in where written, open where not", async () => {
  const clanWith = (settings: string) => serviceClan('dyndns', DYNDNS, 'dns', 'default', settings);
  const written = await clanWith('roles.default.settings.settings = { "all-gchq.icu" = { provider = "porkbun"; domain = "gchq.icu"; }; blog.provider = "porkbun"; blog.domain = "qubasa.blog"; };');
  assert.deepEqual(machines(written.index, written.root), ['a: dyndns-porkbun-gchq.icu, dyndns-porkbun-qubasa.blog', 'b: ']);
  const unwritten = await clanWith('roles.default.settings.settings.blog.provider = "porkbun";');
  assert.deepEqual(machines(unwritten.index, unwritten.root), ["a:  | open: generator names of the form 'dyndns-*-*' computed from values not known statically (services/dyndns.nix:22)", 'b: ']);
});

// adeci's restic and harmonia services, as they write their names: a setting's default from the
// role's interface, and the machine's name as clan sets it in clan-core's settings
const RESTIC = `{ lib, ... }:
{
  _class = "clan.service";
  manifest.name = "restic";
  roles.client = {
    interface = { lib, ... }: {
      options.passwordGenerator = lib.mkOption { type = lib.types.str; default = "restic-password"; };
      options.credentialsGenerator = lib.mkOption { type = lib.types.str; default = "restic-credentials"; };
    };
    perInstance = { instanceName, settings, ... }: {
      nixosModule = { config, pkgs, ... }:
        let
          machineName = config.clan.core.settings.machine.name;
        in
        {
          clan.core.vars.generators.\${settings.passwordGenerator} = { files.password = { }; script = "echo > $out/password"; };
          clan.core.vars.generators.\${settings.credentialsGenerator} = { files.env = { }; script = "echo > $out/env"; };
          clan.core.vars.generators."\${instanceName}-\${machineName}" = { share = true; files.key = { }; script = "echo > $out/key"; };
        };
    };
  };
}
`;

test("a clan service's names from a setting's default in the role's interface and from clan-core's machine name setting; a setting written but not as a string leaves its name unknown", async () => {
  const clanWith = (settings: string) => serviceClan('restic', RESTIC, 'backup', 'client', settings);
  const written = await clanWith('roles.client.settings.credentialsGenerator = "b2-env";');
  assert.deepEqual(machines(written.index, written.root), ['a: b2-env, backup-a, restic-password', 'b: ']);
  // the machine's names are known: a name of the same form elsewhere is not one of them
  const model = written.index.clan(written.root).machineModel();
  assert.equal(model.machines.get('a')!.named?.size, 3);
  const computed = await clanWith('roles.client.settings.credentialsGenerator = "${lib.toLower "B2"}-env";');
  assert.deepEqual(machines(computed.index, computed.root), ['a: backup-a, restic-password | open: a generator set with computed names (services/restic.nix)', 'b: ']);
});

test("a shared generator of a service's computed names: where one machine's names cannot be filled in, a name of that form is 'maybe' on any machine; each role's set of names is its own", async () => {
  const service = `{ lib, ... }:
{
  _class = "clan.service";
  manifest.name = "vpn";
  roles.server.perInstance = { settings, ... }: {
    nixosModule = { ... }: { clan.core.vars.generators = lib.mapAttrs' (n: _: { name = "vpn-\${n}"; value = { share = true; files.k = { }; script = "echo > $out/k"; }; }) settings.nets; };
  };
  roles.client.perInstance = { settings, ... }: {
    nixosModule = { ... }: { clan.core.vars.generators = lib.mapAttrs' (n: _: { name = "vpn-client-\${n}"; value = { files.k = { }; script = "echo > $out/k"; }; }) settings.nets; };
  };
}
`;
  const clanWith = (bSettings: string) =>
    scanned({
      'inventory.json': JSON.stringify({ machines: { a: {}, b: {}, c: {} } }),
      'clan.nix': `{ modules.vpn = ./services/vpn.nix; inventory.instances.home = { module = { name = "vpn"; input = "self"; }; roles.server.machines.a = { }; roles.server.settings.nets.home = { }; roles.client.machines.c = { }; roles.client.settings.nets.cafe = { }; }; inventory.instances.work = { module = { name = "vpn"; input = "self"; }; roles.server.machines.b = { }; ${bSettings} }; }\n`,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
      'services/vpn.nix': service,
    });
  const known = await clanWith('roles.server.settings.nets.office = { };');
  assert.deepEqual(machines(known.index, known.root), ['a: vpn-home', 'b: vpn-office', 'c: vpn-client-cafe']);
  assert.equal(known.index.clan(known.root).machineModel().resolveDependency('c', 'vpn-garage').found, 'no');
  const open = await clanWith('roles.server.settings.nets = import ./nets.nix;');
  assert.equal(open.index.clan(open.root).machineModel().resolveDependency('c', 'vpn-garage').found, 'maybe');
});

test("a setting a service's name is made of, written as a set (or a set of names not all known) in any definition of the instance or for the machine, or a setting whose name is computed: no default stands in for it, and the name is not known", async () => {
  const clanWith = (settings: string, more = '') => serviceClan('restic', RESTIC, 'backup', 'client', settings, more);
  const plain = await clanWith('');
  assert.deepEqual(machines(plain.index, plain.root), ['a: backup-a, restic-credentials, restic-password', 'b: ']);
  const open = '| open: a generator set with computed names (services/restic.nix)';
  const cases: [string, string, string][] = [
    // the set's own setting: only the names made of it are not known
    ['roles.client.settings.credentialsGenerator.x = "y";', '', `a: backup-a, restic-password ${open}`],
    ['roles.client.machines.a.settings.credentialsGenerator.x = "y";', '', `a: backup-a, restic-password ${open}`],
    ['roles.client.settings.credentialsGenerator = import ./x.nix;', '', `a: backup-a, restic-password ${open}`],
    ['', 'inventory.instances.backup.roles.client.settings.credentialsGenerator.x = "y";', `a: backup-a, restic-password ${open}`],
    // another machine's set leaves this machine's name as the default makes it
    ['roles.client.machines.b.settings.credentialsGenerator.x = "y";', '', 'a: backup-a, restic-credentials, restic-password'],
    // a name computed below the settings may be any setting's: none is known
    ['roles.client.settings.${"credentialsGenerator"} = "y";', '', `a: backup-a ${open}`],
    ['roles.client.settings.credentialsGenerator.${"x"} = "y";', '', `a: backup-a ${open}`],
    ['roles.client.machines.a.settings.${"passwordGenerator"} = "y";', '', `a: backup-a ${open}`],
  ];
  for (const [settings, more, a] of cases) {
    const written = await clanWith(settings, more);
    assert.deepEqual(machines(written.index, written.root)[0], a, settings + more);
  }
});

test("a role's machine whose name is computed (roles.client.machines.${m}): the role may be on any machine, each is open on the instance", async () => {
  const written = await serviceClan('restic', RESTIC, 'backup', 'client', 'roles.client.machines.${"b"} = { };');
  const [a, b] = machines(written.index, written.root);
  assert.ok(a.includes('open:') && b.includes('open:'), `${a}\n${b}`);
  assert.ok(b.includes("instance 'backup'"), b);
});

test("a service's names made for one machine by two instances, and a set setting with one entry's name not known beside one known: each instance's names, and open where any is not known", async () => {
  const two = await serviceClan('restic', RESTIC, 'backup', 'client', '', 'inventory.instances.offsite = { module = { name = "restic"; input = "self"; }; roles.client.machines.a = { }; };');
  assert.deepEqual(machines(two.index, two.root), ['a: backup-a, offsite-a, restic-credentials, restic-password', 'b: ']);
  const partly = await serviceClan('iwd', IWD, 'wifi', 'default', 'roles.default.settings.networks = { home.ssid = lib.toUpper "h"; office = { }; };');
  assert.deepEqual(machines(partly.index, partly.root), ["a:  | open: generator names of the form 'iwd.*' computed from values not known statically (services/iwd.nix:19)", 'b: ']);
});

test('every machine known: a clan of known machines is, one open machine makes it not, and a clan with no machine is not', async () => {
  const known = await scanned({ 'machines/a/configuration.nix': '{ clan.core.vars.generators.k = { files.k = { }; script = "echo > $out/k"; }; }\n', 'machines/b/configuration.nix': '{ }\n' });
  assert.deepEqual(machines(known.index, known.root), ['a: k', 'b: ']);
  assert.equal(everyMachineKnown(known.index.clan(known.root).machineModel()), true);
  const oneOpen = await scanned({
    'machines/a/configuration.nix': '{ clan.core.vars.generators.k = { files.k = { }; script = "echo > $out/k"; }; }\n',
    'machines/b/configuration.nix': '{ inputs, ... }: { imports = [ inputs.elsewhere.nixosModules.default ]; }\n',
  });
  const [a, b] = machines(oneOpen.index, oneOpen.root);
  assert.ok(a === 'a: k' && b.startsWith('b:  | open: '), `${a}\n${b}`);
  assert.equal(everyMachineKnown(oneOpen.index.clan(oneOpen.root).machineModel()), false);
  const none = await scanned({ 'modules/x.nix': '{ }\n' });
  assert.equal(everyMachineKnown(none.index.clan(none.root).machineModel()), false);
});
