// `clan-vars-lint --fetch-inputs` with the real nix: a clan whose machine imports a module of a
// local flake input is open until `nix flake archive` puts the input in a test store
// (NIX_STORE_DIR); then the store path nix wrote is the one the model computes from flake.lock's
// narHash, and the machine is known. nix missing and an input that does not exist: exit 2 with
// nix's own words, no stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { sourceStorePath } from '../../server/src/model/inputs/flakeInputs';
import { archivedInputs } from '../../server/src/actions/fetchInputs';
import { nixEnv, nixTestClan, removeNixTree } from '../helpers/nixTestStore';
import { REPO_ROOT, writeTree } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const bases: string[] = [];
after(() => bases.forEach(removeNixTree));

function lint(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface MachineJson {
  name: string;
  unknowns: string[];
}
const machines = (stdout: string) => (JSON.parse(stdout) as { machines: MachineJson[] }[])[0].machines.map((m) => [m.name, m.unknowns]);

test('--fetch-inputs: nix flake archive puts the input where the model looks (its narHash in NIX_STORE_DIR), and the machine is known', () => {
  const t = nixTestClan({ module: '{ services.openssh.enable = true; }\n', machine: '{ inputs, ... }: { imports = [ inputs.mod.nixosModules.default ]; }\n' });
  bases.push(t.base);
  const before = lint(['--machines', 'json', t.clan], t.env);
  assert.equal(before.code, 0, before.stderr);
  assert.deepEqual(machines(before.stdout), [['a', ["a module of flake input 'mod' (inputs.mod.nixosModules.default), not on this machine"]]]);

  const after_ = lint(['--fetch-inputs', '--allow-input-path', path.join(t.base, 'mod'), '--machines', 'json', t.clan], t.env);
  assert.equal(after_.code, 0, after_.stderr);
  assert.deepEqual(machines(after_.stdout), [['a', []]]);
  assert.match(after_.stderr, /fetching the flake inputs: \/\S*\/nix --extra-experimental-features "nix-command flakes" --option accept-flake-config false flake archive --json --no-update-lock-file\n/);
  assert.match(after_.stderr, /: 1 flake input \(direct and transitive\) in the Nix store\n/);

  // where nix put it is where sourceStorePath says, in the test store
  const lock = JSON.parse(fs.readFileSync(path.join(t.clan, 'flake.lock'), 'utf8')) as { nodes: { mod: { locked: { narHash: string } } } };
  const expected = sourceStorePath(lock.nodes.mod.locked.narHash, t.storeDir)!;
  const archive = spawnSync('nix', ['flake', 'archive', '--json', '--no-write-lock-file'], { cwd: t.clan, env: t.env, encoding: 'utf8' });
  assert.equal(archive.status, 0, archive.stderr);
  assert.equal((JSON.parse(archive.stdout) as { inputs: { mod: { path: string } } }).inputs.mod.path, expected);
  assert.equal(fs.readFileSync(path.join(expected, 'module.nix'), 'utf8'), '{ services.openssh.enable = true; }\n');
  assert.deepEqual(archivedInputs(archive.stdout), ['mod']);
});

test('--fetch-inputs: a lock naming an input that does not exist: exit 2, nix\'s error, nothing checked', () => {
  const lock = {
    nodes: {
      gone: { locked: { narHash: 'sha256-TPxciymBVRULqOjvqVgd6dTZm1iJy2PqtFqugNLg1qk=', path: '/nonexistent/clan-vars-input', type: 'path' }, original: { path: '/nonexistent/clan-vars-input', type: 'path' } },
      root: { inputs: { gone: 'gone' } },
    },
    root: 'root',
    version: 7,
  };
  const base = writeTree({
    'clan/flake.nix': '{ inputs.gone.url = "path:/nonexistent/clan-vars-input"; outputs = _: { }; }\n',
    'clan/flake.lock': JSON.stringify(lock),
    'clan/machines/a/configuration.nix': '{ }\n',
    'conf/nix.conf': '',
  });
  bases.push(base);
  const r = lint(['--fetch-inputs', '--allow-input-path', '/nonexistent/clan-vars-input', path.join(base, 'clan')], nixEnv(base, 'store'));
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /clan-vars-lint: nix: error: .*\/nonexistent\/clan-vars-input/);
  assert.match(r.stderr, /cannot fetch the flake inputs: nix flake archive failed \(exit code 1\)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(r.stdout, '');
});

test('--fetch-inputs without nix on PATH: exit 2 and says so', () => {
  const base = writeTree({ 'clan/flake.nix': '{ outputs = _: { }; }\n' });
  bases.push(base);
  const r = lint(['--fetch-inputs', path.join(base, 'clan')], { ...nixEnv(base, 'store'), PATH: path.join(base, 'empty-bin') });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot fetch the flake inputs: 'nix' was not found on PATH/);
  assert.equal(r.stdout, '');
});

test('--help says what --fetch-inputs runs, with what environment, and what it refuses; --allow-input-path', () => {
  const r = lint(['--help'], process.env);
  assert.equal(r.code, 0);
  const help = r.stdout.replace(/\s+/g, ' ');
  assert.match(help, /--fetch-inputs first fetch the inputs each DIR's flake\.lock locks into the Nix store/);
  assert.ok(help.includes("nix --extra-experimental-features 'nix-command flakes' --option accept-flake-config false flake archive --json --no-update-lock-file in DIR"), help);
  assert.match(help, /core\.fsmonitor=false and core\.hooksPath=\/dev\/null/);
  assert.match(help, /whose own git configuration names a program/);
  assert.match(help, /--allow-input-path PATH with --fetch-inputs: nix may copy this local input outside DIR into the Nix store \(repeatable\)/);
  const alone = lint(['--allow-input-path', '/x', '.'], process.env);
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--allow-input-path goes with --fetch-inputs/);
});
