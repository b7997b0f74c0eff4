// The machine model where the registry pipeline gives machines generators whose names are not known
// statically (a whole name computed, no `generator` written, one entry selected in several places
// of the matrix, a registry without a matrix, edits of the matrix), and imports a machine's module
// computes with a helper passed through specialArgs (several machines, a listed folder without
// default.nix). What clan does: `clan vars generate` evaluates the pipeline per machine, so a
// machine whose keys select such an entry has a generator of that entry's name, whatever it is.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fosskarHelpers } from '../helpers/fosskarHelpers';
import { openReasons } from '../../server/src/model/machineModel';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';
import { machinesReportOf, ownGenerators, ownMachines } from '../helpers/ownGenerators';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const GENERATORS_FILE = '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n';
const machine = (m: string) => `{ pkgs, ... }: {\n  clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).${m}; inherit pkgs; };\n}\n`;
const registry = (entries: string) => `{ pkgs ? null }: {\n${entries}}\n`;
const entry = (key: string, generator: string | null) => `  ${key} = { ${generator === null ? '' : `generator = ${generator}; `}files.value = { }; script = "touch $out/value"; };\n`;

/** A clan with the registry pipeline (the registry, the matrix when given, the generators file) and machines m0, m1, m2 importing it; read literally (its evaluation waits, as while one types). */
async function pipelineClan(registryText: string, matrix: string | null) {
  const files: Record<string, string> = {
    'flake.nix': '{ }',
    'lib/secret-registry.nix': registryText,
    'lib/vars-generators.nix': GENERATORS_FILE,
    'machines/m0/configuration.nix': machine('m0'),
    'machines/m1/configuration.nix': machine('m1'),
    'machines/m2/configuration.nix': machine('m2'),
  };
  if (matrix !== null) files['lib/machine-env-matrix.nix'] = matrix;
  const root = writeTree(files);
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  index.evaluations.deferMs = 3_600_000;
  await index.scan();
  return { root, index, clan: () => index.clan(root) };
}

const reasonsOf = (model: ReturnType<ReturnType<Awaited<ReturnType<typeof pipelineClan>>['clan']>['machineModel']>) =>
  Object.fromEntries([...model.machines.values()].map((v) => [v.name, openReasons(v)]));

test('machine model: a registry generator whose whole name is computed ("${...}") may be any name on the machines whose keys select it, and on no other', async () => {
  const c = await pipelineClan(registry(entry('wifi', '"wifi-psk"') + entry('star', '"${pkgs.system}"')), '{\n  m0 = [ "wifi" "star" ];\n  m1 = [ "wifi" ];\n  m2 = [ ];\n}\n');
  const model = c.clan().machineModel();
  // any name: an unknown of the machine, not a form of names ('*' fits every name)
  assert.deepEqual(reasonsOf(model).m0, ["the generator of registry key 'star', whose name is not known statically (lib/secret-registry.nix:3)"]);
  assert.deepEqual(model.machines.get('m0')!.patterns, []);
  assert.deepEqual(model.resolveDependency('m0', 'anything'), { found: 'maybe', unreadOn: ['m0'] });
  // m1's keys do not select it: a read of m1's own generators finds only wifi-psk
  assert.equal(model.mayBeDeclared('anything', ['m1']), false);
  assert.equal(model.mayBeDeclared('anything', ['m0']), true);
  assert.equal(model.mayBeDeclared('anything'), true);
});

test('machine model: a registry entry selected in two places of the matrix (two machines listing its key) gives both machines its generator, also where its name is not known', async () => {
  const c = await pipelineClan(registry(entry('wifi', '"wifi-psk"') + entry('dyn', null) + entry('vpn', '"vpn-${pkgs.system}"')), '{\n  m0 = [ "dyn" "vpn" ];\n  m1 = [ "dyn" "vpn" ];\n  m2 = [ "wifi" ];\n}\n');
  const model = c.clan().machineModel();
  const reasons = reasonsOf(model);
  const dyn = "the generator of registry key 'dyn', whose name is not known statically (lib/secret-registry.nix:3)";
  const vpn = "generator names of the form 'vpn-*' computed from values not known statically (lib/secret-registry.nix:4)";
  assert.deepEqual(reasons.m0, [dyn, vpn]);
  assert.deepEqual(reasons.m1, [dyn, vpn]);
  assert.deepEqual(reasons.m2, []);
  const vpnGen = c.clan().generators.find((g) => g.origin === 'registry' && g.name.pattern === 'vpn-*')!;
  assert.deepEqual(model.machinesOfGenerator(vpnGen), ['m0', 'm1']);
});

test("machine model: each registry generator whose name is computed is on the machines whose keys select its own entry", async () => {
  const c = await pipelineClan(registry(entry('star', '"${pkgs.system}"') + entry('vpn', '"vpn-${pkgs.system}"') + entry('api', '"api-${pkgs.system}"')), '{\n  m0 = [ "star" ];\n  m1 = [ "vpn" ];\n  m2 = [ ];\n}\n');
  const model = c.clan().machineModel();
  const byPattern = (p: string) => c.clan().generators.find((g) => g.origin === 'registry' && g.name.pattern === p)!;
  assert.deepEqual(model.machinesOfGenerator(byPattern('*')), ['m0']);
  assert.deepEqual(model.machinesOfGenerator(byPattern('vpn-*')), ['m1']);
  // an entry no key selects: on no machine
  assert.deepEqual(model.machinesOfGenerator(byPattern('api-*')), []);
});

test('machine model: a registry without a matrix (not written yet): no machine gets its generators, also those whose names are not known', async () => {
  const c = await pipelineClan(registry(entry('wifi', '"wifi-psk"') + entry('dyn', null) + entry('vpn', '"vpn-${pkgs.system}"')), null);
  const model = c.clan().machineModel();
  assert.ok(c.clan().registry, 'the registry is read');
  assert.deepEqual(model.machines.get('m0')!.patterns, []);
  assert.ok(!model.machines.get('m0')!.generators.has('wifi-psk'));
  assert.ok(reasonsOf(model).m0.every((r) => !r.includes('registry key')), reasonsOf(model).m0.join('\n'));
});

test('machine model: after a matrix edit that stops (or starts) selecting an entry whose generator name is not known, the machine is what a fresh build says', async () => {
  const c = await pipelineClan(registry(entry('wifi', '"wifi-psk"') + entry('dyn', null)), '{\n  m0 = [ "wifi" "dyn" ];\n  m1 = [ "wifi" ];\n  m2 = [ ];\n}\n');
  const dyn = "the generator of registry key 'dyn', whose name is not known statically (lib/secret-registry.nix:3)";
  assert.deepEqual(reasonsOf(c.clan().machineModel()).m0, [dyn]);
  const edit = (matrix: string) => {
    c.index.updateFromText(`${c.root}/lib/machine-env-matrix.nix`, matrix);
    const updated = reasonsOf(c.clan().machineModel());
    c.index.engine.clear();
    c.index.models.clear();
    assert.deepEqual(updated, reasonsOf(c.clan().machineModel()), 'the updated model equals a fresh build');
    return updated;
  };
  // no longer selected: m0 is fully known again
  assert.deepEqual(edit('{\n  m0 = [ "wifi" ];\n  m1 = [ "wifi" ];\n  m2 = [ ];\n}\n').m0, []);
  // selected on m1 now
  const now = edit('{\n  m0 = [ "wifi" ];\n  m1 = [ "wifi" "dyn" ];\n  m2 = [ ];\n}\n');
  assert.deepEqual([now.m0, now.m1], [[], [dyn]]);
});

test('machine model: once the matrix is written (empty at first, then naming machines) and when it is deleted again, each machine has the registry generators a fresh build gives it', async () => {
  const c = await pipelineClan(registry(entry('wifi', '"wifi-psk"') + entry('api', '"api-key"')), null);
  const matrixFile = `${c.root}/lib/machine-env-matrix.nix`;
  const names = () => Object.fromEntries([...c.clan().machineModel().machines.values()].map((v) => [v.name, [...v.generators.keys()].filter((n) => n !== 'state-version').sort()]));
  const fresh = () => {
    c.index.engine.clear();
    c.index.models.clear();
    return names();
  };
  const none = { m0: [], m1: [], m2: [] };
  c.clan().machineModel();
  // written empty first (no machine named: the same machines, so the same module structure), then deleted
  c.index.updateFromText(matrixFile, '{ }\n');
  assert.deepEqual(names(), none);
  assert.deepEqual(fresh(), none);
  c.index.remove(matrixFile);
  assert.deepEqual(names(), none);
  c.index.updateFromText(matrixFile, '{ }\n');
  c.index.updateFromText(matrixFile, '{\n  m0 = [ "wifi" ];\n  m1 = [ "wifi" "api" ];\n}\n');
  const written = names();
  assert.deepEqual(written, fresh(), 'the updated model equals a fresh build');
  assert.deepEqual([written.m0, written.m1, written.m2], [['wifi-psk'], ['api-key', 'wifi-psk'], []]);
  c.index.remove(matrixFile);
  const deleted = names();
  assert.deepEqual(deleted, fresh(), 'the updated model equals a fresh build');
  assert.deepEqual(deleted, none);
});

test("machine model: a registry generator whose name is computed and not shared is of its entry's machines alone: another machine's dependency on a name of its form is not found there", async () => {
  const c = await pipelineClan(registry(entry('wifi', '"wifi-psk"') + entry('vpn', '"vpn-${pkgs.system}"')), '{\n  m0 = [ "vpn" ];\n  m1 = [ "wifi" ];\n  m2 = [ ];\n}\n');
  const model = c.clan().machineModel();
  assert.deepEqual(model.resolveDependency('m0', 'vpn-x86_64-linux'), { found: 'maybe' });
  assert.equal(model.resolveDependency('m1', 'vpn-x86_64-linux').found, 'no');
  assert.deepEqual(model.resolveDependency('m1', 'wifi-psk'), { found: 'machine' });
});

/** fosskar's helpers (test/unit/model-arg-imports.test.ts): `imports = nflib.scanPaths <folder> { };` with nflib = config.flake.lib from specialArgs. */
const HELPERS = fosskarHelpers(['configuration.nix'], ['a', 'b']);
const gen = (name: string) => `{ clan.core.vars.generators.${name} = { files.k = { }; script = "echo > $out/k"; }; }\n`;

test("model: two machines each importing nflib.scanPaths ./. { } at the same place of their configuration.nix get each its own folder's modules", async () => {
  const scan = '{ nflib, ... }:\n{\n  imports = nflib.scanPaths ./. { };\n}\n';
  const report = await machinesReportOf({ ...HELPERS, 'machines/a/configuration.nix': scan, 'machines/a/net.nix': gen('net'), 'machines/b/configuration.nix': scan, 'machines/b/web.nix': gen('web') }, roots);
  const of = (name: string) => report.machines.find((m) => m.name === name)!;
  assert.deepEqual([ownGenerators(of('a').generators), of('a').unknowns], [['net'], []]);
  assert.deepEqual([ownGenerators(of('b').generators), of('b').unknowns], [['web'], []]);
  // its modules: configuration.nix and the one file the helper lists, nothing else
  assert.deepEqual([of('a').modules, of('b').modules], [2, 2]);
});

test('model: scanPaths listing a folder without default.nix (Nix: importing it fails) keeps the machine open, naming the import and the folder', async () => {
  const machines = await ownMachines(
    { ...HELPERS, 'machines/a/configuration.nix': '{ nflib, ... }:\n{\n  imports = nflib.scanPaths ./. { };\n}\n', 'machines/a/net.nix': gen('net'), 'machines/a/extra/notes.txt': 'not a module\n', 'machines/b/configuration.nix': gen('b-own') },
    roots,
  );
  assert.deepEqual(machines.a.unknowns, ['a module not known statically (nflib.scanPaths ./. { }): folder without default.nix: machines/a/extra']);
  assert.deepEqual(machines.b, { generators: ['b-own'], unknowns: [] });
});

test("model: a clan service's own argument is not one of the machines' specialArgs (clan evaluates a service apart from the machines): an import the service computes with it keeps its machines open", async () => {
  const machines = await ownMachines(
    {
      ...HELPERS,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan (import ./clan.nix); }; }\n',
      'clan.nix': '{ modules.svc = ./services/svc.nix; inventory.instances.home = { module = { name = "svc"; input = "self"; }; roles.peer.machines.b = { }; }; }\n',
      'services/svc.nix': '{ nflib, ... }: {\n  _class = "clan.service";\n  manifest.name = "svc";\n  roles.peer.perInstance = { ... }: { nixosModule = { imports = nflib.scanPaths ../shared { }; }; };\n}\n',
      'shared/x.nix': gen('x'),
      // a machine's own module computing the same import with the specialArg: evaluated
      'machines/a/configuration.nix': '{ nflib, ... }:\n{\n  imports = nflib.scanPaths ../../shared { };\n}\n',
    },
    roots,
  );
  assert.deepEqual(machines.a, { generators: ['x'], unknowns: [] });
  assert.deepEqual(machines.b, { generators: [], unknowns: ['a module not known statically (nflib.scanPaths ../shared { })'] });
});

test('machine model: a shared generator of a computed name that no machine imports: any machine may take a name of its form from it (clan shares it across machines)', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/m0/configuration.nix': '{ }\n',
    'modules/s.nix': '{ config, ... }: { clan.core.vars.generators."s-${config.x}" = { share = true; files.k = { }; script = "echo > $out/k"; }; }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const model = index.clan(root).machineModel();
  assert.deepEqual(reasonsOf(model), { m0: [] });
  assert.deepEqual(model.resolveDependency('m0', 's-foo'), { found: 'maybe' });
  assert.deepEqual(model.resolveDependency('m0', 't-foo'), { found: 'no', perMachineOn: [] });
});
