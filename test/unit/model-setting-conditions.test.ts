// Generators a clan service declares under a condition on its role's settings (clan-core's admin:
// `openssh-rsa = lib.mkIf settings.rsaHostKey.enable { ... }`, an mkEnableOption; sshd:
// `sshd-root-key = lib.mkIf settings.generateRootKey`): absent where the instance leaves the
// setting at a default that turns them off, listed where it turns them on, a "maybe" (an open
// reason naming the condition) where the setting is not known statically or the condition tests
// anything but the settings. A plain module's `lib.mkIf cfg.enable` (cfg = config.x) is read from
// the definitions of `x.enable` in the machine's modules: listed where they turn it on, a maybe
// otherwise (off in the modules read, none read, one not known).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, withNixStore, writeTree } from '../helpers/tempClan';
import { analyze, brief } from '../helpers/analyze';
import { generatorView } from '../../server/src/model/generatorView/generatorView';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** Each machine: `generators | reason | reason`. */
async function machines(files: Record<string, string>): Promise<Record<string, string>> {
  const root = writeTree({ 'flake.nix': '{ }', ...files });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return Object.fromEntries(machinesReport(index.clan(root)).machines.map((m) => [m.name, [m.generators.join(', '), ...m.unknowns].join(' | ')]));
}

/** The vars view of generator `name` in the clan at `root`: each machine's state and its files'. */
async function placements(root: string, name: string): Promise<string[]> {
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  return generatorView(index.clan(root), name).placements.map((p) => `${p.machine} ${p.state}: ${p.files.map((f) => `${f.name} ${f.state}`).join(', ')}`);
}

const noStateVersion = (...names: string[]) => Object.fromEntries(names.map((m) => [`machines/${m}/configuration.nix`, '{ clan.core.settings.state-version.enable = false; }\n']));

// clan-core at 148313f (the shipped summary): admin's ssh.nix and sshd read their settings' defaults from the services' interfaces
const LOCK = JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { 'clan-core': 'clan-core' } }, 'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: '148313f40dd9326ee4def21e68cf62214da742a3', narHash: 'sha256-o4IKVRpnpnCfZNDJ7Jpyd4PWCyCv1NY3IwW1Pn0JAL8=', lastModified: 1775938724 }, original: {} } } });

async function withClanCore(files: Record<string, string>): Promise<Record<string, string>> {
  const store = writeTree({ keep: '' });
  roots.push(store);
  return withNixStore(store, () => machines({ ...noStateVersion('a', 'b', 'c'), 'flake.lock': LOCK, ...files }));
}

test("clan-core's admin and sshd at 148313f: generators under a setting that defaults to off are absent, listed where the instance turns it on", async () => {
  const got = await withClanCore({
    'clan.nix': `{ config, ... }: {
  inventory.instances.admin = { module = { name = "admin"; input = "clan-core"; }; roles.default.machines.a = { }; roles.default.machines.b.settings.rsaHostKey.enable = true; roles.default.machines.c.settings.certificateSearchDomains = [ "example.org" ]; };
  inventory.instances.sshd = { module = { name = "sshd"; input = "clan-core"; }; roles.server.machines.a = { }; roles.server.machines.b.settings = { generateRootKey = true; hostKeys.rsa.enable = false; }; };
}\n`,
  });
  assert.deepEqual(got, {
    a: 'openssh, openssh-ca, openssh-cert, root-password',
    b: 'openssh, openssh-ca, openssh-cert, openssh-rsa, root-password, sshd-root-key',
    c: 'openssh, openssh-ca, openssh-cert, root-password',
  });
});

test("clan-core's admin at 148313f: a setting written with a value the syntax cannot read, or in inventory.json, decides as written", async () => {
  const got = await withClanCore({
    'inventory.json': JSON.stringify({ instances: { admin: { module: { name: 'admin', input: 'clan-core' }, roles: { default: { machines: { a: {}, b: { settings: { rsaHostKey: { enable: true } } } } } } } } }),
    'clan.nix': '{ config, ... }: {\n  inventory.instances.admin.roles.default.machines.c.settings.rsaHostKey.enable = config.my.flag;\n}\n',
  });
  assert.deepEqual(got, {
    a: 'openssh, root-password',
    b: 'openssh, openssh-rsa, root-password',
    c: "openssh, root-password | whether it has generator 'openssh-rsa': declared under a condition on settings.rsaHostKey.enable of instance 'admin', not known statically (clan-core:clanServices/admin/ssh.nix:64)",
  });
});

const SERVICE = {
  'services/keys/default.nix': `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "keys";
  roles.peer.interface = { lib, ... }: {
    options.extra.enable = lib.mkEnableOption "an extra key";
    options.names = lib.mkOption { default = [ ]; };
    options.plain = lib.mkOption { default = true; };
  };
  imports = [ ./gens.nix ];
}\n`,
  'services/keys/gens.nix': `{
  roles.peer.perInstance = { settings, ... }: {
    nixosModule = { config, lib, ... }: let
      gens = {
        listed = { files.k = { }; };
      };
    in {
      clan.core.vars.generators.extra = lib.mkIf settings.extra.enable { files.k = { }; };
      clan.core.vars.generators.named = lib.mkIf (settings.names != [ ] && settings.plain) { files.k = { }; };
      clan.core.vars.generators.notPlain = lib.mkIf (!settings.plain) { files.k = { }; };
      clan.core.vars.generators.byConfig = lib.mkIf config.services.foo.enable { files.k = { }; };
      clan.core.vars.generators = lib.mkIf settings.plain gens;
    };
  };
}\n`,
  'modules/plain.nix': `{ config, lib, ... }: {
  clan.core.vars.generators.module-gen = lib.mkIf config.my.enable { files.k = { }; };
}\n`,
  'machines/a/configuration.nix': '{ imports = [ ../../modules/plain.nix ]; my.enable = true; clan.core.settings.state-version.enable = false; }\n',
};

test("a clan service of the clan: conditions on its role's settings (nested, negated, a list compared with [ ], and) decide per machine; one on anything else is a maybe; a plain module's mkIf on an option the machine turns on keeps its generator", async () => {
  const got = await machines({
    ...SERVICE,
    ...noStateVersion('b', 'c'),
    'clan.nix': `{
  modules.keys = ./services/keys;
  inventory.instances.keys = { module = { name = "keys"; input = "self"; }; roles.peer.machines = { a = { }; b.settings = { extra.enable = true; names = [ "x" ]; }; c.settings.plain = false; }; };
}\n`,
  });
  const byConfig = () => `whether it has generator 'byConfig': declared under a condition not on the service's settings (services/keys/gens.nix:11)`;
  assert.deepEqual(got, {
    a: `listed, module-gen | ${byConfig()}`,
    b: `extra, listed, named | ${byConfig()}`,
    c: `notPlain | ${byConfig()}`,
  });
});

test("a read of a generator its service declares under a setting that is off (guarded the same way, as sshd writes it) is no unknown-var-read; a read of one no module declares still is", async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    ...noStateVersion('a'),
    'services/rsa/default.nix': `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "rsa";
  roles.server.interface = { lib, ... }: { options.hostKeys.rsa.enable = lib.mkEnableOption "rsa"; };
  roles.server.perInstance = { settings, ... }: {
    nixosModule = { config, lib, ... }: {
      clan.core.vars.generators.rsa-key = lib.mkIf settings.hostKeys.rsa.enable { files.key = { }; script = "touch $out/key"; };
      services.openssh.hostKeys = lib.optional settings.hostKeys.rsa.enable { path = config.clan.core.vars.generators.rsa-key.files.key.path; };
      environment.etc.x.source = config.clan.core.vars.generators.other-key.files.key.path;
    };
  };
}\n`,
    'clan.nix': '{ modules.rsa = ./services/rsa; inventory.instances.rsa = { module = { name = "rsa"; input = "self"; }; roles.server.machines.a = { }; }; }\n',
  });
  roots.push(root);
  assert.deepEqual(brief((await analyze(root)).found).filter((f) => f.includes('unknown-var-read')), ['services/rsa/default.nix:9 unknown-var-read']);
});

test('a setting merged over the definitions of one instance: lists joined, Booleans that disagree not known, a value written above the setting not known', async () => {
  const got = await machines({
    ...SERVICE,
    ...noStateVersion('d', 'e', 'f', 'g'),
    'clan.nix': `{ config, ... }: {
  imports = [ ./more.nix ];
  modules.keys = ./services/keys;
  inventory.instances.keys = { module = { name = "keys"; input = "self"; }; roles.peer.machines = { d.settings.names = [ ]; e.settings.plain = true; f.settings.extra = config.x; g.settings.names = [ "x" ]; }; };
}\n`,
    'more.nix': `{ config, ... }: { inventory.instances.keys.roles.peer.machines = { d.settings.names = [ "y" ]; e.settings.plain = false; g.settings.names = config.q; }; }\n`,
  });
  const byConfig = `whether it has generator 'byConfig': declared under a condition not on the service's settings (services/keys/gens.nix:11)`;
  const plain = (g: string, line: number) => `whether it has generator '${g}': declared under a condition on settings.plain of instance 'keys', not known statically (services/keys/gens.nix:${line})`;
  assert.deepEqual(got, {
    a: 'module-gen',
    // [ ] and [ "y" ] join to a list with an element; plain is true by default
    d: `listed, named | ${byConfig}`,
    // plain is true in one definition and false in the other: not known; named also needs names, empty by default: absent
    e: ` | ${plain('notPlain', 10)} | ${byConfig} | ${plain('listed', 12)}`,
    // extra is written as a value not known: extra.enable is not known either
    f: `listed | whether it has generator 'extra': declared under a condition on settings.extra.enable of instance 'keys', not known statically (services/keys/gens.nix:8) | ${byConfig}`,
    // a list in one definition and a value not known in the other: not known, though a list with an element is in it
    g: `listed | whether it has generator 'named': declared under a condition on settings.names of instance 'keys', not known statically (services/keys/gens.nix:9) | ${byConfig}`,
  });
});

test("an edit that takes a service generator's condition away, or puts it back: the machine model equals a fresh build's", async () => {
  const service = (cond: string) => `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "solo";
  roles.peer.perInstance = { ... }: {
    nixosModule = { config, lib, ... }: {
      clan.core.vars.generators.solo = ${cond}{ files.k = { }; };
    };
  };
}\n`;
  // the same length with and without the condition: the service's roles keep their ranges, so only the generator changed
  const on = 'lib.mkIf config.my.enable ';
  const off = ' '.repeat(on.length);
  const root = writeTree({
    'flake.nix': '{ }',
    ...noStateVersion('a', 'b'),
    'services/solo/default.nix': service(on),
    'clan.nix': '{ modules.solo = ./services/solo; inventory.instances.solo = { module = { name = "solo"; input = "self"; }; roles.peer.machines.a = { }; }; }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const report = () => Object.fromEntries(machinesReport(index.clan(root)).machines.map((m) => [m.name, [m.generators.join(', '), ...m.unknowns].join(' | ')]));
  const fresh = () => {
    index.models.clear();
    return report();
  };
  const maybe = "whether it has generator 'solo': declared under a condition not on the service's settings (services/solo/default.nix:6)";
  assert.deepEqual(report(), { a: ` | ${maybe}`, b: '' });
  for (const [cond, a] of [[off, 'solo'], [on, ` | ${maybe}`], [off, 'solo']] as const) {
    index.updateFromText(`${root}/services/solo/default.nix`, service(cond));
    const incremental = report();
    assert.deepEqual(incremental, { a, b: '' });
    assert.deepEqual(fresh(), incremental);
  }
});

test('a setting of another type than its condition reads, settings written as a whole otherwise, and one machine in two instances of a service', async () => {
  const got = await machines({
    ...SERVICE,
    ...noStateVersion('g', 'h', 'i', 'k'),
    'clan.nix': `{ config, ... }: {
  modules.keys = ./services/keys;
  inventory.instances.keys = { module = { name = "keys"; input = "self"; }; roles.peer.machines = { g.settings.plain = [ "x" ]; h.settings.names = true; i.settings.plain = false; }; };
  inventory.instances.keys2 = { module = { name = "keys"; input = "self"; }; roles.peer.machines.i = { }; };
  inventory.instances.keys3 = { module = { name = "keys"; input = "self"; }; roles.peer.machines.k = { }; roles.peer.settings = config.z; };
}\n`,
  });
  const byConfig = `whether it has generator 'byConfig': declared under a condition not on the service's settings (services/keys/gens.nix:11)`;
  const open = (g: string, setting: string, instance: string, line: number) =>
    `whether it has generator '${g}': declared under a condition on settings.${setting} of instance '${instance}', not known statically (services/keys/gens.nix:${line})`;
  assert.deepEqual(got, {
    a: 'module-gen',
    // a list where a Boolean is read: not known; names is empty by default, so named is absent whatever plain is
    g: ` | ${open('notPlain', 'plain', 'keys', 10)} | ${byConfig} | ${open('listed', 'plain', 'keys', 12)}`,
    // a Boolean where a list is read: not known
    h: `listed | ${open('named', 'names', 'keys', 9)} | ${byConfig}`,
    // plain is false in keys and true by default in keys2: each generator is on through one of them
    i: `listed, notPlain | ${byConfig}`,
    // settings written as a whole as a value not known: no setting is known
    k: ` | ${open('extra', 'extra.enable', 'keys3', 8)} | ${open('named', 'names', 'keys3', 9)} | ${open('notPlain', 'plain', 'keys3', 10)} | ${byConfig} | ${open('listed', 'plain', 'keys3', 12)}`,
  });
});

test("a dependency on a service's generator under a condition, from a machine without it: shared where the condition holds resolves, shared where it may hold may, per machine does not", async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    ...noStateVersion('a'),
    'services/pub/default.nix': `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "pub";
  roles.peer.interface = { lib, ... }: { options.on = lib.mkEnableOption "on"; };
  roles.peer.perInstance = { settings, ... }: {
    nixosModule = { config, lib, ... }: {
      clan.core.vars.generators.pub-shared = lib.mkIf settings.on { share = true; files.k = { }; script = "touch $out/k"; };
      clan.core.vars.generators.pub-own = lib.mkIf settings.on { files.k = { }; script = "touch $out/k"; };
      clan.core.vars.generators.pub-maybe = lib.mkIf config.x.enable { share = true; files.k = { }; script = "touch $out/k"; };
      clan.core.vars.generators.pub-maybe-own = lib.mkIf config.x.enable { files.k = { }; script = "touch $out/k"; };
    };
  };
}\n`,
    'clan.nix': '{ modules.pub = ./services/pub; inventory.instances.pub = { module = { name = "pub"; input = "self"; }; roles.peer.machines.a.settings.on = true; }; }\n',
    'machines/b/configuration.nix': `{ clan.core.settings.state-version.enable = false;
  clan.core.vars.generators.user = { dependencies = [ "pub-shared" "pub-own" "pub-maybe" "pub-maybe-own" ]; files.k = { }; script = "touch $out/k"; };
}\n`,
  });
  roots.push(root);
  const found = (await analyze(root)).found.filter((f) => f.code === 'unknown-dependency');
  // pub-shared and pub-maybe are not reported: shared on a, and maybe shared on a
  assert.deepEqual(
    found.map((f) => `${f.file}:${f.line} ${f.message.split('. ')[0]}`),
    ["machines/b/configuration.nix:2 'pub-own' is a per-machine generator of 'a', not of machine 'b': declare it there too, or make it shared (share = true)", "machines/b/configuration.nix:2 No generator named 'pub-maybe-own' is declared for machine 'b', nor as a shared generator"],
  );
});

test("one generator under conditions in two roles of a service: each machine's own role's condition decides", async () => {
  const role = (r: string) => `  roles.${r}.interface = { lib, ... }: { options.on = lib.mkEnableOption "on"; };
  roles.${r}.perInstance = { settings, ... }: { nixosModule = { lib, ... }: { clan.core.vars.generators.both = lib.mkIf settings.on { files.k = { }; }; }; };\n`;
  const got = await machines({
    ...noStateVersion('m', 'n', 'o'),
    'services/two/default.nix': `{ lib, ... }: {\n  _class = "clan.service";\n  manifest.name = "two";\n${role('client')}${role('server')}}\n`,
    'clan.nix': '{ modules.two = ./services/two; inventory.instances.two = { module = { name = "two"; input = "self"; }; roles.client.machines = { m = { }; o = { }; }; roles.server.machines = { n.settings.on = true; o.settings.on = true; }; }; }\n',
  });
  // m's client role leaves it off: the server role's place, which m has not, does not decide for m
  assert.deepEqual(got, { m: '', n: 'both', o: 'both' });
});

test("a condition on the machines of another role, as clan-core's sshd client writes it (anyCertificateEnabled = lib.any (m: m.settings.certificate.enable or true) (builtins.attrValues (roles.server.machines or { }))): listed where some server has it, absent where none does, a maybe where a server's value or the servers are not known", async () => {
  const service = (cond: string) => `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "ssh";
  roles.server.interface = { lib, ... }: { options.certificate.enable = lib.mkOption { type = lib.types.bool; default = true; }; };
  roles.client.perInstance = { settings, roles, ... }: {
    nixosModule = { lib, ... }: let
      anyCertificateEnabled = lib.any (machineConfig: machineConfig.settings.certificate.enable or true) (builtins.attrValues (roles.server.machines or { }));
    in { clan.core.vars.generators.ca = lib.mkIf ${cond} { files.k = { }; }; };
  };
}\n`;
  const clan = (servers: string | null, extra = '') => `{ config, ... }: { modules.ssh = ./services/ssh; inventory.machines = { m = { }; n = { }; o = { }; p = { }; }; inventory.instances.ssh = { module = { name = "ssh"; input = "self"; }; roles.client.machines = { m = { }; n = { }; }; ${servers === null ? '' : `roles.server.machines = ${servers};`} ${extra} }; }\n`;
  const run = (cond: string, servers: string | null, extra?: string, more: Record<string, string> = {}) => machines({ ...noStateVersion('m', 'n', 'o', 'p'), 'services/ssh/default.nix': service(cond), 'clan.nix': clan(servers, extra), ...more });
  // o at the default, p off: some server has it
  assert.deepEqual(await run('anyCertificateEnabled', '{ o = { }; p.settings.certificate.enable = false; }'), { m: 'ca', n: 'ca', o: '', p: '' });
  // every server off, or no server: none has it
  assert.deepEqual(await run('anyCertificateEnabled', '{ o.settings.certificate.enable = false; }'), { m: '', n: '', o: '', p: '' });
  assert.deepEqual(await run('anyCertificateEnabled', '{ }'), { m: '', n: '', o: '', p: '' });
  assert.deepEqual(await run('anyCertificateEnabled', null), { m: '', n: '', o: '', p: '' });
  // the servers of another definition of the instance (inventory.json) count as the module system merges them
  const json = (machine: string) => ({ 'inventory.json': JSON.stringify({ instances: { ssh: { roles: { server: { machines: { [machine]: {} } } } } } }) });
  assert.deepEqual(await run('anyCertificateEnabled', null, '', json('o')), { m: 'ca', n: 'ca', o: '', p: '' });
  assert.deepEqual(await run('anyCertificateEnabled', '{ o.settings.certificate.enable = false; }', '', json('p')), { m: 'ca', n: 'ca', o: '', p: '' });
  // negated: the client's own CA where no server has certificates
  assert.deepEqual(await run('(!anyCertificateEnabled)', '{ o.settings.certificate.enable = false; }'), { m: 'ca', n: 'ca', o: '', p: '' });
  assert.deepEqual(await run('(!anyCertificateEnabled)', '{ o = { }; }'), { m: '', n: '', o: '', p: '' });
  // a server's value not known, or servers by a tag no machine's tags tell
  const maybe = "declared under a condition on settings.certificate.enable of role 'server''s machines of instance 'ssh', not known statically (services/ssh/default.nix:8)";
  assert.deepEqual(await run('anyCertificateEnabled', '{ o.settings.certificate.enable = config.x; }'), { m: ` | whether it has generator 'ca': ${maybe}`, n: ` | whether it has generator 'ca': ${maybe}`, o: '', p: '' });
  const tagged = await run('anyCertificateEnabled', '{ }', 'roles.server.tags = config.serverTags;');
  assert.match(tagged.m!, /^ \| .*whether it has generator 'ca': declared under a condition on settings\.certificate\.enable of role 'server''s machines/);
  // servers not known in one definition, o a server in another: o's certificates do not tell what the others' are
  const half = await run('anyCertificateEnabled', null, 'roles.server.tags = config.serverTags;', json('o'));
  assert.match(half.m!, /^ \| .*whether it has generator 'ca': declared under a condition on settings\.certificate\.enable of role 'server''s machines/);
});

test("a condition written as || of tests of the settings (dguibert's copy of an older sshd: searchDomains != [ ] || allowEmptyDomain): listed where a side holds, absent where none does, a maybe where no side holds and one is not known", async () => {
  const service = `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "ssh";
  roles.client.interface = { lib, ... }: { options.on = lib.mkOption { type = lib.types.bool; default = true; }; options.certificate = { allowEmptyDomain = lib.mkEnableOption "*"; searchDomains = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; }; }; };
  roles.client.perInstance = { settings, ... }: {
    nixosModule = { lib, ... }: { clan.core.vars.generators.ca = lib.mkIf (settings.on && (settings.certificate.searchDomains != [ ] || settings.certificate.allowEmptyDomain)) { files.k = { }; }; };
  };
}\n`;
  const got = await machines({
    ...noStateVersion('m', 'n', 'o', 'p', 'q', 'r', 's', 't'),
    'services/ssh/default.nix': service,
    'clan.nix': `{ config, ... }: { modules.ssh = ./services/ssh; inventory.instances.ssh = { module = { name = "ssh"; input = "self"; }; roles.client.machines = {
    m.settings.certificate.allowEmptyDomain = true;
    n.settings.certificate.searchDomains = [ "example.org" ];
    o = { };
    p.settings.certificate.searchDomains = config.domains;
    q.settings = { on = false; certificate.searchDomains = config.domains; };
    r.settings.certificate = { searchDomains = config.domains; allowEmptyDomain = true; };
    s.settings.on = config.on;
    t.settings.certificate.allowEmptyDomain = config.empty;
  }; }; }\n`,
  });
  assert.deepEqual(got, {
    m: 'ca',
    n: 'ca',
    o: '',
    p: " | whether it has generator 'ca': declared under a condition on settings.certificate.searchDomains of instance 'ssh', not known statically (services/ssh/default.nix:6)",
    q: '',
    r: 'ca',
    s: '',
    t: " | whether it has generator 'ca': declared under a condition on settings.certificate.allowEmptyDomain of instance 'ssh', not known statically (services/ssh/default.nix:6)",
  });
});

test("files and prompts a service declares under a condition on its settings (files.x = lib.mkIf settings.x { ... }): a machine's vars want them only where the condition holds", async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    ...noStateVersion('m1', 'm2', 'm3', 'm4'),
    'services/hp/default.nix': `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "hp";
  roles.server.interface = { lib, ... }: { options.oidc.enable = lib.mkOption { default = false; }; options.agent.enable = lib.mkOption { default = true; }; };
  roles.server.perInstance = { settings, ... }: {
    nixosModule = { lib, ... }: {
      clan.core.vars.generators.hp = {
        files = {
          cookie.secret = false;
          oidc = lib.mkIf settings.oidc.enable { secret = false; owner = "hs"; };
        };
        files.agent = lib.mkIf settings.agent.enable { secret = false; };
        prompts.oidc-pw = lib.mkIf settings.oidc.enable { persist = true; };
        script = "touch $out/cookie";
      };
    };
  };
}\n`,
    'clan.nix': `{ config, ... }: { modules.hp = ./services/hp; inventory.instances.hp = { module = { name = "hp"; input = "self"; };
  roles.server.machines = { m1 = { }; m2.settings.oidc.enable = true; m3.settings.oidc.enable = config.x; m4.settings = { oidc.enable = config.x; agent.enable = false; }; }; }; }\n`,
    // every machine has cookie and agent; m4 has oidc too
    ...Object.fromEntries(['m1', 'm2', 'm3', 'm4'].flatMap((m) => ['cookie', 'agent', ...(m === 'm4' ? ['oidc'] : [])].map((f) => [`vars/per-machine/${m}/hp/${f}/value`, 'x']))),
  });
  assert.deepEqual(
    await placements(root, 'hp'),
    [
      // oidc is off by default: its file and its prompt's are not wanted
      'm1 generated: cookie generated, agent generated',
      // on: both are wanted, and missing
      'm2 partial: cookie generated, oidc missing, agent generated, oidc-pw missing',
      // not known: not wanted where not on disk, wanted where it is; agent is off on m4, and its value on disk not wanted
      'm3 generated: cookie generated, agent generated',
      'm4 generated: cookie generated, oidc generated',
    ],
  );
});

test("a file one role of a service declares under a condition on its settings is no file of the generator on a machine with only the other role", async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    ...noStateVersion('srv', 'cli'),
    'services/two/default.nix': `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "two";
  roles.server.interface = { lib, ... }: { options.tls = lib.mkEnableOption "tls"; };
  roles.server.perInstance = { settings, ... }: {
    nixosModule = { lib, ... }: { clan.core.vars.generators.two = { files.key = { }; files.cert = lib.mkIf settings.tls { secret = false; }; script = "touch $out/key $out/cert"; }; };
  };
  roles.client.perInstance = { ... }: {
    nixosModule = { ... }: { clan.core.vars.generators.two = { files.key = { }; script = "touch $out/key"; }; };
  };
}\n`,
    'clan.nix': '{ modules.two = ./services/two; inventory.instances.two = { module = { name = "two"; input = "self"; }; roles.server.machines.srv.settings.tls = true; roles.client.machines.cli = { }; }; }\n',
  });
  assert.deepEqual(
    await placements(root, 'two'),
    // the server's cert is wanted where tls is on; the client declares none, whatever the server's settings
    ['cli missing: key missing', 'srv missing: key missing, cert missing'],
  );
});

test("a condition on a setting three sets deep (settings.tls.acme.enable): a value written at any set above it leaves it not known, the interface's default standing in for none", async () => {
  const service = `{ lib, ... }: {
  _class = "clan.service";
  manifest.name = "web";
  roles.server.interface = { lib, ... }: { options.tls.acme.enable = lib.mkEnableOption "acme"; };
  roles.server.perInstance = { settings, ... }: { nixosModule = { lib, ... }: { clan.core.vars.generators.acme = lib.mkIf settings.tls.acme.enable { files.k = { }; }; }; };
}\n`;
  const got = await machines({
    ...noStateVersion('p', 'q', 'r', 's'),
    'services/web/default.nix': service,
    'clan.nix': `{ config, ... }: { modules.web = ./services/web; inventory.instances.web = { module = { name = "web"; input = "self"; }; roles.server.machines = { p.settings.tls.acme.enable = true; q.settings.tls.acme = config.x; r.settings.tls = config.y; s = { }; }; }; }\n`,
  });
  const open = `whether it has generator 'acme': declared under a condition on settings.tls.acme.enable of instance 'web', not known statically (services/web/default.nix:5)`;
  // s writes nothing: the interface's default, off
  assert.deepEqual(got, { p: 'acme', q: ` | ${open}`, r: ` | ${open}`, s: '' });
});

// A module of the machine's own: `lib.mkIf cfg.enable` with `cfg = config.my.svc` (or `config.my.svc.enable`
// written out) reads `my.svc.enable` from the definitions in the machine's modules, with the module
// system's priorities. Each machine: what it defines, and what the model must say of `svc`.
test("a plain module's generator under `lib.mkIf cfg.enable`: listed where the machine's modules turn the option on, a maybe where they turn it off or that is not known", async () => {
  const module = `{ config, lib, ... }: let cfg = config.my.svc; in {
  options.my.svc.enable = lib.mkEnableOption "svc";
  config = lib.mkIf cfg.enable { clan.core.vars.generators.svc = { files.k = { }; script = "touch $out/k"; }; };
}\n`;
  const machine = (defs: string) => `{ lib, ... }: { imports = [ ../../modules/svc.nix ../../modules/defaults.nix ]; clan.core.settings.state-version.enable = false; ${defs} }\n`;
  const got = await machines({
    'modules/svc.nix': module,
    'modules/defaults.nix': '{ lib, ... }: { my.other.enable = lib.mkDefault true; services.x = import ./x.nix; }\n',
    'modules/lowdefault.nix': '{ lib, ... }: { my.svc.enable = lib.mkDefault false; }\n',
    'modules/off.nix': '{ lib, ... }: { my.svc.enable = lib.mkForce false; }\n',
    'modules/opaque.nix': '{ lib, ... }: { my = import ./my-settings.nix; }\n',
    'machines/none/configuration.nix': machine(''),
    'machines/on/configuration.nix': machine('my.svc.enable = true;'),
    'machines/nested/configuration.nix': machine('my.svc = { enable = lib.mkDefault true; };'),
    'machines/forced/configuration.nix': machine('my.svc.enable = true; imports = [ ../../modules/off.nix ];'),
    'machines/conditional/configuration.nix': machine('my.svc.enable = lib.mkIf true (lib.mkIf false true);'),
    'machines/computed/configuration.nix': machine('my.svc.enable = builtins.pathExists ./x;'),
    'machines/opaque/configuration.nix': machine('my.svc.enable = true; imports = [ ../../modules/opaque.nix ];'),
    'machines/disagree/configuration.nix': machine('my.svc.enable = true; config.my.svc.enable = false;'),
    'machines/override/configuration.nix': machine('my.svc.enable = true; imports = [ ../../modules/lowdefault.nix ];'),
    'machines/open/configuration.nix': machine('imports = [ (import ./computed.nix) ];'),
    'machines/openOn/configuration.nix': machine('my.svc.enable = true; imports = [ (import ./computed.nix) ];'),
  });
  const why = (m: string, r: string) => `whether it has generator 'svc': declared under a condition on my.svc.enable, ${r} (modules/svc.nix:3)`;
  assert.equal(got.none, ` | ${why('none', 'which no module of the machine sets (its default is not read)')}`);
  assert.equal(got.on, 'svc');
  assert.equal(got.nested, 'svc');
  assert.equal(got.forced, ` | ${why('forced', 'which the modules read turn off (a clan service or a module written inline may turn it on)')}`);
  assert.equal(got.conditional, ` | ${why('conditional', 'set in a way not known statically')}`);
  assert.equal(got.computed, ` | ${why('computed', 'set in a way not known statically')}`);
  assert.equal(got.opaque, ` | ${why('opaque', 'which modules/opaque.nix may set (it sets my in a way not read)')}`);
  assert.equal(got.disagree, ` | ${why('disagree', 'set to true and to false at one priority')}`);
  assert.equal(got.override, 'svc');
  assert.match(got.open, /^ \| .*whether it has generator 'svc': declared under a condition on my\.svc\.enable, and the machine has modules not read, which may set it/);
  assert.match(got.openOn, /^svc \| /);
});

test("a plain module's generator under `!cfg.enable`, and a file under `lib.mkIf cfg.extra.enable`: decided by the machine's definitions as the generator's own condition is", async () => {
  const module = `{ config, lib, flag ? true, ... }: let cfg = config.my.svc; in {
  clan.core.vars.generators.byArg = lib.mkIf flag { files.k = { }; script = "touch $out/k"; };
  clan.core.vars.generators.legacy = lib.mkIf (!cfg.enable) { files.k = { }; script = "touch $out/k"; };
  clan.core.vars.generators.svc = { files.k = { }; files.extra = lib.mkIf cfg.extra.enable { }; script = "touch $out/k $out/extra"; };
}\n`;
  const machine = (defs: string) => `{ imports = [ ../../modules/svc.nix ]; clan.core.settings.state-version.enable = false; ${defs} }\n`;
  const tree = {
    'flake.nix': '{ }',
    'modules/svc.nix': module,
    'machines/on/configuration.nix': machine('my.svc.enable = true; my.svc.extra.enable = true;'),
    'machines/none/configuration.nix': machine(''),
  };
  const got = await machines(tree);
  // a condition of another kind (a function's argument) keeps its generator listed, as before
  assert.equal(got.on, 'byArg, svc');
  assert.equal(got.none, "byArg, svc | whether it has generator 'legacy': declared under a condition on my.svc.enable, which no module of the machine sets (its default is not read) (modules/svc.nix:3)");
  assert.deepEqual(await placements(writeTree(tree), 'svc'), ['none missing: k missing', 'on missing: k missing, extra missing']);
});
