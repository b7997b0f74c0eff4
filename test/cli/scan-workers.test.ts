// The cold scan in worker threads (server/src/model/scan/scanPool.ts), through the built checker and
// server on a clan of more than 300 files (smaller ones are parsed on the main thread): the
// findings are exactly those of a scan without workers, and the server says it used them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { writeSyntheticClan } from '../../bench/synthetic';
import { TestClient } from '../helpers/lspClient';
import { removeTree, REPO_ROOT, writeTree } from '../helpers/tempClan';
import { slowText } from '../helpers/slowText';

const CHECKER = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-workers-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const clan = writeSyntheticClan(root, { machines: 30, registryEntries: 60, generatorFiles: 300, serviceModules: 120 });
// two mistakes: a dependency on a generator no machine has, and a matrix key the registry lacks
const module = path.join(root, 'modules', 'gen-250.nix');
fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace('"gen-220"', '"gen-nope"'));
fs.writeFileSync(clan.matrixFile, fs.readFileSync(clan.matrixFile, 'utf8').replace('"key-0001" "key-0002" ];', '"key-0001" "key-0002" "key-missing" ];'));

/** `workers`: CLAN_VARS_SCAN_WORKERS ('': not set, as many as the cores give). */
function lint(workers: '0' | '' | '3'): string {
  const r = spawnSync(process.execPath, [CHECKER, '--format', 'json', root], { encoding: 'utf8', env: { ...process.env, CLAN_VARS_CACHE_DIR: 'off', CLAN_VARS_SCAN_WORKERS: workers } });
  assert.equal(r.status, 1, r.stderr);
  return r.stdout;
}

test('scan workers: the checker finds the same with and without them', () => {
  assert.ok(clan.files > 300, `${clan.files} files: too few for workers`);
  const without = lint('0');
  const codes = JSON.parse(without).diagnostics.map((d: { code: string }) => d.code).sort();
  assert.deepEqual([...new Set(codes)], ['unknown-dependency', 'unknown-registry-key']);
  // the pool's own number (one on two cores), and three workers sharing the files out of turn
  assert.equal(lint(''), without);
  assert.equal(lint('3'), without);
});

test('scan workers: a file whose analysis throws in a worker is reported as in the main thread (internal-error, exit 2)', () => {
  const failing = path.join(root, 'modules', 'gen-100.nix');
  const runs = (['0', '3'] as const).map((workers) => {
    const r = spawnSync(process.execPath, [CHECKER, '--format', 'json', root], { encoding: 'utf8', env: { ...process.env, CLAN_VARS_CACHE_DIR: 'off', CLAN_VARS_SCAN_WORKERS: workers, CLAN_VARS_TEST_ANALYSIS_THROW: 'modules/gen-100.nix' } });
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(`internal error: ${failing} could not be analysed: deliberate failure`), r.stderr);
    return r.stdout;
  });
  const failed = JSON.parse(runs[1]).diagnostics.filter((d: { code: string }) => d.code === 'internal-error');
  assert.deepEqual(failed.map((d: { file: string }) => d.file), ['modules/gen-100.nix']);
  assert.equal(runs[1], runs[0]);
});

test('scan workers: the server parses in worker threads and publishes the same findings', { skip: os.availableParallelism() < 2 ? 'one core: no workers' : false }, async () => {
  const saved = process.env.CLAN_VARS_CACHE_DIR;
  process.env.CLAN_VARS_CACHE_DIR = 'off';
  // as many workers as CLAN_VARS_SCAN_WORKERS says, whatever the cores
  const client = await TestClient.start(root, { env: { ...process.env, CLAN_VARS_SCAN_WORKERS: '2' } });
  try {
    await client.waitReady(120_000);
    const indexed = client.logs.find((l) => l.startsWith('indexed'));
    assert.match(indexed ?? '', new RegExp(`indexed ${clan.files} \\.nix files .*parsed in 2 worker threads`));
    const found = await client.waitForDiagnostics(module, (d) => d.some((x) => x.code === 'unknown-dependency'), 60_000);
    assert.ok(found.some((d) => String(d.message).includes("'gen-nope'")));
  } finally {
    await client.stop();
    if (saved === undefined) delete process.env.CLAN_VARS_CACHE_DIR;
    else process.env.CLAN_VARS_CACHE_DIR = saved;
  }
});

test('scan workers: a file imported as a part of the clan is read as one though a worker parsed it before the file importing it was indexed', () => {
  // read in this order: a-inventory.nix, flake.nix, z-instances.nix, then the folders; each of
  // the first two becomes a part of the clan only once flake.nix (then a-inventory.nix) is indexed
  const files: Record<string, string> = {
    'flake.nix': '{ outputs = { self, clan-core, ... }: { clan = clan-core.lib.clan { inherit self; modules.mesh = ./services/mesh.nix; inventory = import ./a-inventory.nix; }; }; }\n',
    'a-inventory.nix': '{ machines = { a.machineClass = "nixos"; b.machineClass = "nixos"; }; instances = import ./z-instances.nix; }\n',
    'z-instances.nix': '{ mesh = { module = { name = "mesh"; input = "self"; }; roles.peer.machines.a = { }; }; }\n',
    'services/mesh.nix': '{ _class = "clan.service"; roles.peer.perInstance = { ... }: { nixosModule = { clan.core.vars.generators.mesh-key = { }; }; }; }\n',
  };
  for (let i = 0; i < 420; i++) files[`fill/f-${String(i).padStart(3, '0')}.nix`] = `{ imports = [ ]; services.f${i}.enable = true; }\n`;
  const clanRoot = writeTree(files, 'clan-vars-parts-');
  try {
    const machines = (workers: '0' | '3') => {
      const r = spawnSync(process.execPath, [CHECKER, '--machines', 'json', clanRoot], { encoding: 'utf8', env: { ...process.env, CLAN_VARS_CACHE_DIR: 'off', CLAN_VARS_SCAN_WORKERS: workers } });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const without = machines('0');
    const clans = JSON.parse(without) as { machines: { name: string; generators: string[] }[] }[];
    const mesh = clans[0].machines.map((m) => `${m.name}: ${m.generators.includes('mesh-key')}`);
    assert.deepEqual(mesh, ['a: true', 'b: false']);
    assert.equal(machines('3'), without);
  } finally {
    removeTree(clanRoot);
  }
});

test('scan workers: the main thread takes the batches a busy worker has not begun, and finds the same', { skip: os.availableParallelism() < 2 ? 'one core: no workers' : false }, async () => {
  // read first, a file the worker spends its whole parse budget on (about 1.2 s): meanwhile the
  // main thread reads the others, and parses the batches posted after it instead of waiting
  const files: Record<string, string> = { 'a-slow.nix': slowText(0, 1), 'flake.nix': '{ outputs = _: { }; }\n' };
  for (let i = 0; i < 420; i++) files[`machines/m${String(i).padStart(3, '0')}.nix`] = `{ clan.core.vars.generators.g${i}.dependencies = [ "g${i + 1}" ]; }\n`;
  const clanRoot = writeTree(files, 'clan-vars-take-');
  try {
    const lint = (workers: '0' | '1') => {
      const r = spawnSync(process.execPath, [CHECKER, '--format', 'json', clanRoot], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CLAN_VARS_CACHE_DIR: 'off', CLAN_VARS_SCAN_WORKERS: workers, CLAN_VARS_DEBUG_TIMES: '1' } });
      assert.equal(r.status, 1, r.stderr); // the last generator's dependency is unknown
      assert.ok(r.stderr.includes(`skipping ${path.join(clanRoot, 'a-slow.nix')}: could not be parsed`), r.stderr);
      return { stdout: r.stdout, times: /times: .*/.exec(r.stderr)?.[0] ?? '' };
    };
    const without = lint('0');
    assert.deepEqual(JSON.parse(without.stdout).diagnostics.map((d: { file: string; code: string }) => `${d.file} ${d.code}`), ['machines/m419.nix unknown-dependency']);
    const withOne = lint('1');
    // every batch but the slow file's (32 files a batch) is taken once the main thread has read the files
    const taken = Number(/parsed in 1 worker threads, (\d+) of their files taken by the main thread/.exec(withOne.times)?.[1]);
    assert.ok(taken >= 420 - 64, withOne.times);
    assert.equal(withOne.stdout, without.stdout);
    // the server's scan takes them too, a file at a time between requests
    const saved = process.env.CLAN_VARS_CACHE_DIR;
    process.env.CLAN_VARS_CACHE_DIR = 'off';
    const client = await TestClient.start(clanRoot, { env: { ...process.env, CLAN_VARS_SCAN_WORKERS: '1' } });
    try {
      await client.waitReady(120_000);
      const indexed = client.logs.find((l) => l.startsWith('indexed')) ?? '';
      const byServer = Number(/parsed in 1 worker threads and (\d+) of them on the main thread/.exec(indexed)?.[1]);
      assert.ok(byServer >= 420 - 64, indexed);
      const found = await client.waitForDiagnostics(path.join(clanRoot, 'machines/m419.nix'), (d) => d.some((x) => x.code === 'unknown-dependency'), 60_000);
      assert.ok(found.some((d) => String(d.message).includes("'g420'")));
    } finally {
      await client.stop();
      if (saved === undefined) delete process.env.CLAN_VARS_CACHE_DIR;
      else process.env.CLAN_VARS_CACHE_DIR = saved;
    }
  } finally {
    removeTree(clanRoot);
  }
});
