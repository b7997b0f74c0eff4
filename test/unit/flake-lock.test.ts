// A clan's flake.lock is read in one place (workspace/flakeLock.ts), through the bounded reader:
// a lock that is a FIFO, a link to /dev/zero or to a FIFO, a directory or a huge file gives "no
// lock" at once, for the clan-core pin (workspace/clanCorePin.ts) and the flake inputs
// (model/flakeInputs.ts) alike, in the analysis core and in the built checker. Each hostile read runs
// in a child process with a time limit, so a read that blocks shows as a failure, not a hung run.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parseFlakeLock } from '../../server/src/base/flakeLock';
import { clanCorePin } from '../../server/src/model/inputs/clanCorePin';
import { flakeInputs } from '../../server/src/model/inputs/flakeInputs';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const LOCK = {
  root: 'root',
  version: 7,
  nodes: {
    root: { inputs: { 'clan-core': 'clan-core' } },
    'clan-core': { locked: { type: 'git', url: 'https://git.clan.lol/clan/clan-core', rev: 'abc', lastModified: 1780056185, narHash: 'garbage' } },
  },
};

/** The hostile kinds of flake.lock, each made in `root`. */
const HOSTILE: [string, (root: string) => void][] = [
  ['a FIFO', (root) => execFileSync('mkfifo', [path.join(root, 'flake.lock')])],
  ['a link to /dev/zero', (root) => fs.symlinkSync('/dev/zero', path.join(root, 'flake.lock'))],
  [
    'a link to a FIFO',
    (root) => {
      execFileSync('mkfifo', [path.join(root, 'pipe')]);
      fs.symlinkSync(path.join(root, 'pipe'), path.join(root, 'flake.lock'));
    },
  ],
  ['a directory', (root) => fs.mkdirSync(path.join(root, 'flake.lock'))],
  [
    'a sparse 3 GB file',
    (root) => {
      const fd = fs.openSync(path.join(root, 'flake.lock'), 'w');
      fs.ftruncateSync(fd, 3 * 1024 ** 3);
      fs.closeSync(fd);
    },
  ],
];

/** Runs `clanCorePin` and `flakeInputs` on `root` in a child process; what they gave, or why the child failed. */
function readInChild(root: string): { pin: unknown; inputs: unknown } | string {
  const code = `
    const { clanCorePin } = require(${JSON.stringify(path.join(REPO_ROOT, 'server/src/model/inputs/clanCorePin'))});
    const { flakeInputs } = require(${JSON.stringify(path.join(REPO_ROOT, 'server/src/model/inputs/flakeInputs'))});
    const root = ${JSON.stringify(root)};
    const inputs = flakeInputs(root, null);
    process.stdout.write(JSON.stringify({ pin: clanCorePin(root), inputs: { dirs: [...inputs.dirs], missing: inputs.missing } }));`;
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '--max-old-space-size=512', '-e', code], { encoding: 'utf8', timeout: 20_000, cwd: REPO_ROOT });
  if (r.status !== 0) return `the child ${r.signal ? `was killed (${r.signal}: timed out)` : `exited with ${r.status}`}: ${r.stderr.slice(-500)}`;
  return JSON.parse(r.stdout);
}

test('flake.lock: one reader for the pin and the inputs', () => {
  const root = writeTree({ 'flake.lock': JSON.stringify(LOCK) });
  roots.push(root);
  assert.deepEqual(clanCorePin(root), { lastModified: 1780056185, rev: 'abc' });
  const found = flakeInputs(root, null, root);
  assert.deepEqual([found.dirs, found.missing, [...found.locked.values()]], [new Map(), ['clan-core'], [{ name: 'clan-core', key: 'git.clan.lol/clan/clan-core', rev: 'abc', lastModified: 1780056185, narHash: null }]]);
  // names that are also Object.prototype's: no node is taken from the prototype
  const proto = { root: 'root', nodes: { root: { inputs: { 'clan-core': 'constructor', x: '__proto__' } } } };
  fs.writeFileSync(path.join(root, 'flake.lock'), JSON.stringify(proto));
  assert.equal(clanCorePin(root), null);
  const none = (r: ReturnType<typeof flakeInputs>) => [r.dirs, r.missing, r.locked];
  assert.deepEqual(none(flakeInputs(root, null, root)), [new Map(), [], new Map()]);
  for (const broken of ['{ not json', 'null', '[]', '{"nodes": 3}', '{"nodes": {"root": {"inputs": 7}}}']) {
    fs.writeFileSync(path.join(root, 'flake.lock'), broken);
    assert.equal(clanCorePin(root), null, broken);
    assert.deepEqual(none(flakeInputs(root, null, root)), [new Map(), [], new Map()], broken);
  }
});

test('flake.lock: a FIFO, a link to /dev/zero or a FIFO, a directory, a huge file: no lock, at once', () => {
  for (const [what, make] of HOSTILE) {
    const root = writeTree({ 'flake.nix': '{ }' });
    roots.push(root);
    make(root);
    const started = performance.now();
    const got = readInChild(root);
    assert.deepEqual(got, { pin: null, inputs: { dirs: [], missing: [] } }, `${what}: ${typeof got === 'string' ? got : ''}`);
    assert.ok(performance.now() - started < 15_000, what);
  }
});

test('flake.lock: the built checker on a clan whose flake.lock is a FIFO finishes and reports the clan', () => {
  // a facts service: facts-leftover asks for the clan-core pin
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/m/configuration.nix': '{ clan.core.facts.services.ssh = { secret.key = { }; generator.script = "x"; }; }\n',
  });
  roots.push(root);
  execFileSync('mkfifo', [path.join(root, 'flake.lock')]);
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js'), '--no-cache', '--format', 'json', root], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, `the checker hung on the FIFO flake.lock: ${r.stderr}`);
  const codes = JSON.parse(r.stdout).diagnostics.map((d: { code: string }) => d.code);
  assert.ok(codes.includes('facts-leftover'), r.stdout);
});

test("flake.lock: an input that follows another's (`stylix` follows `dotfiles/stylix`) is the node it follows; a follows path that names nothing, or loops, is none", () => {
  const lock = parseFlakeLock(
    JSON.stringify({
      root: 'root',
      version: 7,
      nodes: {
        root: { inputs: { dotfiles: 'dotfiles', stylix: ['dotfiles', 'stylix'], deep: ['dotfiles', 'nixpkgs'], lost: ['dotfiles', 'nothing'], loop: ['loop'] } },
        dotfiles: { inputs: { stylix: 'stylix_2', nixpkgs: ['stylix'] }, locked: { type: 'github', owner: 'o', repo: 'dotfiles', rev: '1' } },
        stylix_2: { locked: { type: 'github', owner: 'nix-community', repo: 'stylix', rev: '2' } },
      },
    }),
  )!;
  const byName = Object.fromEntries(lock.rootInputs().map(([name, ref]) => [name, lock.node(ref)?.locked?.repo ?? null]));
  assert.deepEqual(byName, { dotfiles: 'dotfiles', stylix: 'stylix', deep: 'stylix', lost: null, loop: null });
});
