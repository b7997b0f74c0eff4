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
import { describeFile } from '../../client/src/vars/describeState';
import { generationOffer, generatorView, livePlacements, stateLabel } from '../../server/src/model/generatorView/generatorView';
import { stateWord, statesWord } from '../../server/src/lsp/features/codeLens';
import { fileHover } from '../../server/src/ide/hoverText';
import { machinesReport, machinesReportText } from '../../server/src/ide/machinesReport';
import { buildDependencyGraph } from '../../server/src/ide/graph/build';

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
    const s = await withPasswordStores(store, path.join(root, 'no-pass-store'), async () => clanVarsStatus(await clanWith(root, nix, { secretStore: 'password-store' })));
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

/** Runs `body` with the password stores at these folders (PASSAGE_DIR, PASSWORD_STORE_DIR), then puts them back. */
async function withPasswordStores<T>(passage: string, pass: string, body: () => Promise<T>): Promise<T> {
  const saved = [process.env.PASSAGE_DIR, process.env.PASSWORD_STORE_DIR];
  process.env.PASSAGE_DIR = passage;
  process.env.PASSWORD_STORE_DIR = pass;
  try {
    return await body();
  } finally {
    for (const [k, v] of [['PASSAGE_DIR', saved[0]], ['PASSWORD_STORE_DIR', saved[1]]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('password-store secrets on a machine with no password store are not known here, not missing: the generator is neither generated nor missing, in the vars view, its hover, the code lens words and the graph', async () => {
  const nix = {
    'machines/m/gens.nix': `{ clan.core.vars.generators = {
      tinc = { files.priv = { }; files.pub.secret = false; script = "x"; };
      fresh = { files.priv = { }; files.pub.secret = false; script = "x"; };
      plain = { files.pub.secret = false; script = "x"; };
    }; }`,
  };
  // tinc's public half is committed (as Lassulus' retiolum is), fresh has nothing, plain is all public
  const root = writeTree({ ...nix, 'vars/per-machine/m/tinc/pub/value': 'k', 'vars/per-machine/m/plain/pub/value': 'k' });
  const nowhere = path.join(root, 'no-such-store');
  try {
    const clan = await clanWith(root, nix, { secretStore: 'password-store' });
    const s = await withPasswordStores(nowhere, nowhere + '2', async () => clanVarsStatus(clan));
    const gens = Object.fromEntries(s.machines[0].generators.map((g) => [g.name, g]));
    assert.deepEqual(
      ['tinc', 'fresh', 'plain'].map((n) => `${n} ${gens[n].state} ${gens[n].files.map((f) => `${f.name}:${f.state}`).join(' ')}`),
      ['tinc unknown priv:unknown pub:generated', 'fresh partial priv:unknown pub:missing', 'plain generated pub:generated'],
    );
    assert.equal(gens.tinc.files.find((f) => f.name === 'priv')!.detail, `no password store on this machine (looked in ${nowhere} and ${nowhere}2)`);
    assert.deepEqual(describeFile(gens.tinc.files.find((f) => f.name === 'priv')!).long.split('\n').slice(0, 2), ['priv: secret (password-store), not known here', `expected at ${path.join(nowhere, 'clan-vars/per-machine/m/tinc/priv.age')}`]);
    const view = await withPasswordStores(nowhere, nowhere + '2', async () => generatorView(clan, 'tinc'));
    assert.equal(stateLabel(livePlacements(view)[0]), `priv not known here: no password store on this machine (looked in ${nowhere} and ${nowhere}2)`);
    assert.equal(stateWord('unknown'), 'state not known here');
    // over several machines: m's tinc (not known here), and the same placement as if on a second machine that has it generated
    const tincOnM = livePlacements(view)[0];
    assert.equal(statesWord([tincOnM, { ...tincOnM, machine: 'n', state: 'generated', files: tincOnM.files.map((f) => ({ ...f, state: 'generated' as const })) }]), '1/2 generated, 1 not known here');
    assert.equal(statesWord([tincOnM]), 'state not known here');
    // no Generate where the secrets are in a store not here (fresh too, whose public half is not committed): clan would make new ones, and a new public half
    const offers = await withPasswordStores(nowhere, nowhere + '2', async () => ['tinc', 'fresh', 'plain'].map((n) => generationOffer(generatorView(clan, n))));
    assert.deepEqual(offers, [
      { machine: 'm', generate: false, regenerate: false },
      { machine: 'm', generate: false, regenerate: false },
      { machine: 'm', generate: false, regenerate: true },
    ]);
    const hover = await withPasswordStores(nowhere, nowhere + '2', async () => fileHover(clan, 'tinc', 'priv'));
    assert.match(hover, /`clan-vars\/per-machine\/m\/tinc\/priv` — not known here: no password store on this machine/);
    const graph = await withPasswordStores(nowhere, nowhere + '2', async () => buildDependencyGraph(clan));
    const text = await withPasswordStores(nowhere, nowhere + '2', async () => machinesReportText(machinesReport(clan)));
    assert.ok(text.includes(`    vars (password-store): fresh partial, plain generated, state-version missing, tinc unknown\n  vars whose state is not known here: no password store on this machine (looked in ${nowhere} and ${nowhere}2)\n`), text);
    assert.deepEqual(Object.fromEntries(graph.nodes.filter((n) => ['tinc', 'fresh', 'plain'].includes(n.name)).map((n) => [n.name, n.state ?? 'none'])), { fresh: 'partial', plain: 'generated', tinc: 'none' });
  } finally {
    removeTree(root);
  }
});

test('with a password store on this machine, an entry it lacks is missing (clan vars generate would make it), one it has is generated', async () => {
  const nix = { 'machines/m/gens.nix': '{ clan.core.vars.generators.tinc = { files.priv = { }; files.pub.secret = false; script = "x"; }; }' };
  const root = writeTree({ ...nix, 'vars/per-machine/m/tinc/pub/value': 'k' });
  const store = writeTree({ 'README': 'an empty store' });
  try {
    const clan = await clanWith(root, nix, { secretStore: 'password-store' });
    const state = async () => (await withPasswordStores(path.join(root, 'none'), store, async () => clanVarsStatus(clan))).machines[0].generators.find((g) => g.name === 'tinc')!;
    assert.deepEqual((await state()).files.map((f) => `${f.name}:${f.state}`), ['priv:missing', 'pub:generated']);
    assert.equal((await state()).state, 'partial');
  } finally {
    removeTree(root);
    removeTree(store);
  }
});
