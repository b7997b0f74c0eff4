// The vars state behind the view: real vars/ trees from clan-core (read only) and trees the tests write.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ClanVarsStatus } from '../../server/src/lsp/protocol';
import { clanVarsStatus } from '../../server/src/ide/vars/varsStatus';
import { FIXTURES } from '../helpers/secretsEnv';
import { removeTree, writeTree } from '../helpers/tempClan';
import { clanWith } from '../helpers/varsModel';
import { ownGenerators } from '../helpers/ownGenerators';

/** `machine generator state [file:state...]` lines (clan-core's own generators left out: see ownGenerators). */
function summary(s: ClanVarsStatus): string[] {
  const line = (m: string, g: ClanVarsStatus['shared'][number]) => `${m} ${g.name} ${g.state} ${g.files.map((f) => `${f.name}:${f.kind}:${f.state}`).join(' ')}`.trim();
  const own = (gs: ClanVarsStatus['shared']) => gs.filter((g) => ownGenerators([g.name]).length);
  return [...s.machines.flatMap((m) => own(m.generators).map((g) => line(m.name, g))), ...own(s.shared).map((g) => line('shared', g)), ...own(s.unassigned).map((g) => line('?', g))];
}

test('sops fixture without declarations: machines and generators from disk, all generated', async () => {
  const root = path.join(FIXTURES, 'sops-backend-service-dummy-test');
  const s = clanVarsStatus(await clanWith(root));
  assert.equal(s.backend, 'sops');
  assert.equal(s.backendSource, 'disk');
  assert.deepEqual(s.machines.map((m) => `${m.name}:${m.sources.join('+')}`), ['admin1:vars', 'peer1:vars']);
  assert.deepEqual(summary(s), [
    'admin1 dummy-generator generated generated-password:sops:generated host-id:public:generated',
    'peer1 dummy-generator generated generated-password:sops:generated host-id:public:generated',
    'peer1 new-service generated a-secret:sops:generated not-a-secret:public:generated',
  ]);
  assert.ok(s.machines[0].generators.filter((g) => ownGenerators([g.name]).length).every((g) => g.filesFromDisk && g.declarations.length === 0));
});

test('sops fixture with declarations: a declared file that is not on disk makes the generator partial', async () => {
  const root = path.join(FIXTURES, 'sops-backend-service-dummy-test');
  const clan = await clanWith(root, {
    'machines/peer1/configuration.nix': `{ clan.core.vars.generators.dummy-generator = {
      files.host-id.secret = false; files.generated-password = { }; files.extra = { };
      script = "x"; }; }`,
  });
  const s = clanVarsStatus(clan);
  const peer1 = s.machines.find((m) => m.name === 'peer1')!;
  const g = peer1.generators.find((x) => x.name === 'dummy-generator')!;
  assert.equal(g.state, 'partial');
  assert.deepEqual(g.files.map((f) => `${f.name}:${f.kind}:${f.state}`), ['extra:sops:missing', 'generated-password:sops:generated', 'host-id:public:generated']);
  assert.equal(g.files[0].path, path.join(root, 'vars/per-machine/peer1/dummy-generator/extra/secret'));
  assert.equal(g.validation.kind, 'none');
  assert.equal(g.declarations.length, 1);
});

test('age fixture: age backend detected, shared generators grouped separately', async () => {
  const s = clanVarsStatus(await clanWith(path.join(FIXTURES, 'age-backend')));
  assert.equal(s.backend, 'age');
  assert.deepEqual(summary(s), [
    'machine perm-generator generated perm-secret:age:generated',
    'machine test-generator generated activation-secret:age:generated service-secret:age:generated user-secret:age:generated',
    'shared shared-generator generated shared-secret:age:generated',
  ]);
});

test('public-only fixture and the shared yggdrasil fixture', async () => {
  const pub = clanVarsStatus(await clanWith(path.join(FIXTURES, 'public-vars-test-flake')));
  assert.deepEqual(summary(pub), ['test-machine test-generator generated test-file:public:generated', 'shared test-generator generated test-file:public:generated']);
  const ygg = clanVarsStatus(await clanWith(path.join(FIXTURES, 'sops-shared-yggdrasil')));
  assert.ok(summary(ygg).some((l) => l.startsWith('shared zerotier-controller generated')), summary(ygg).join('\n'));
});

test('validation hash: matches on the vanixiets tree with a literal validation, outdated when it changes, unknown when computed', async () => {
  const root = path.join(FIXTURES, 'validation-hash-vanixiets');
  const decl = (v: string) => ({ 'machines/cinnabar/sshd.nix': `{ clan.core.vars.generators.openssh-cert = { files."ssh.id_ed25519-cert.pub".secret = false; validation = ${v}; }; }` });
  const gen = async (v: string) => clanVarsStatus(await clanWith(root, decl(v))).machines[0].generators[0];
  const match = await gen('{ name = "cinnabar"; domains = { zt = "zt"; }; }');
  assert.equal(match.validation.kind, 'match');
  assert.equal(match.state, 'generated');
  const changed = await gen('{ name = "cinnabar"; domains = { zt = "zt"; lan = "lan"; }; }');
  assert.equal(changed.validation.kind, 'outdated');
  assert.equal(changed.state, 'outdated');
  const computed = await gen('{ name = config.networking.hostName; }');
  assert.equal(computed.validation.kind, 'unknown');
  assert.match(computed.validation.reason!, /cannot be known without evaluation/);
});

test('machines from the matrix, machines/ directories, inventory.json and Nix inventory; registry generators per machine', async () => {
  const nix = {
    'flake.nix': `{ outputs = { clan-core, ... }: clan-core.lib.clan { inventory.machines.from-flake = { tags = [ "x" ]; }; machines.from-clan-arg = { }; }; }`,
    'clan.nix': '{ clan = { inventory = { machines = { inv-a = { }; inv-b.deploy.targetHost = "h"; }; }; }; }',
    'lib/secret-registry.nix': '{ api = { generator = "api-key"; fileAttr = "key"; secret = true; }; }',
    'lib/machine-env-matrix.nix': '{ lea = [ "api" ]; }',
    'machines/dirhost/configuration.nix': '{ clan.core.vars.generators.local = { files.v.secret = false; }; }',
    'modules/common.nix': '{ clan.core.vars.generators.everywhere = { files.x = { }; }; clan.core.vars.generators.wifi = { share = true; files.psk = { }; }; }',
  };
  const root = writeTree({ ...nix, 'inventory.json': JSON.stringify({ machines: { 'from-json': {} } }), 'vars/per-machine/old/gone/f/value': 'v' });
  try {
    const s = clanVarsStatus(await clanWith(root, nix));
    assert.deepEqual(
      s.machines.map((m) => `${m.name}:${m.sources.join('+')}`),
      ['dirhost:machines-dir', 'from-clan-arg:inventory+modules', 'from-flake:inventory', 'from-json:inventory', 'inv-a:inventory', 'inv-b:inventory', 'lea:matrix', 'old:vars'],
    );
    assert.deepEqual(summary(s), [
      'dirhost local missing v:public:missing',
      'lea api-key missing key:sops:missing',
      // a machine the clan no longer declares: its vars are orphaned
      'old gone orphaned f:public:generated',
      'shared wifi missing psk:sops:missing',
      '? everywhere unknown',
    ]);
    assert.equal(s.backendSource, 'default');
  } finally {
    removeTree(root);
  }
});

test('dependents are listed (what a regeneration re-runs), and password-store entries are found outside the repo', async () => {
  const nix = {
    'machines/m/gens.nix': `{ clan.core.vars.generators = {
      ca = { files.key = { }; };
      cert = { dependencies = [ "ca" ]; files.crt.secret = false; };
      bundle = { dependencies = [ "cert" ]; files.b.secret = false; };
    }; }`,
  };
  const root = writeTree(nix);
  const store = writeTree({ 'clan-vars/per-machine/m/ca/key.age': 'x' });
  try {
    const saved = process.env.PASSAGE_DIR;
    process.env.PASSAGE_DIR = store;
    let s: ClanVarsStatus;
    try {
      s = clanVarsStatus(await clanWith(root, nix, { secretStore: 'password-store' }));
    } finally {
      if (saved === undefined) delete process.env.PASSAGE_DIR;
      else process.env.PASSAGE_DIR = saved;
    }
    const gens = Object.fromEntries(s.machines[0].generators.map((g) => [g.name, g]));
    assert.deepEqual(gens.ca.dependents, ['bundle', 'cert']);
    assert.deepEqual(gens.bundle.dependents, []);
    assert.equal(gens.ca.state, 'generated');
    assert.equal(gens.ca.files[0].path, path.join(store, 'clan-vars/per-machine/m/ca/key.age'));
    assert.equal(s.backendSource, 'setting');
  } finally {
    removeTree(root);
    removeTree(store);
  }
});

test("the clan's own vars.settings.secretStore names the backend when the setting is auto; the deprecated machine-level one does not", async () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ 'clan.nix': '{ vars.settings.secretStore = "age"; }' }, 'age', 'clan'],
    [{ 'flake.nix': '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { clan = { vars.settings.secretStore = "password-store"; }; }; }' }, 'password-store', 'clan'],
    [{ 'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { vars.settings = { secretStore = "age"; }; }; }' }, 'age', 'clan'],
    [{ 'machines/m/configuration.nix': '{ clan.core.vars.settings.secretStore = "age"; }' }, 'sops', 'default'],
    [{ 'clan.nix': '{ vars.settings.secretStore = "custom"; }' }, 'sops', 'default'],
  ];
  for (const [nix, backend, source] of cases) {
    const root = writeTree(nix);
    try {
      const s = clanVarsStatus(await clanWith(root, nix));
      assert.equal(`${s.backend} ${s.backendSource}`, `${backend} ${source}`, JSON.stringify(nix));
    } finally {
      removeTree(root);
    }
  }
});
