// The fetch-inputs command's parts without the editor: the argv (an array, never a shell string),
// refusing in an untrusted workspace or without nix, the clan runner starting nix as a child process
// (real nix on a local flake; cancel ending the whole process group; a failure's last stderr lines),
// nix's JSON read as data only, and the hook that forgets what was read of a clan's inputs. The
// plan on hostile trees: fetch-inputs-hostile.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ClanRunner } from '../../client/src/vars/clanRunner';
import { archiveLauncher, planFetch } from '../../client/src/vars/fetchInputsRun';
import { NixParser } from '../../server/src/syntax/nixParser';
import { ExternalModuleReader } from '../../server/src/model/inputs/externalModules';
import { archivedInputs, archiveFailure, fetchInputsArgv } from '../../server/src/actions/fetchInputs';
import { flakeNixRefs } from '../../server/src/actions/flakeNixRefs';
import { nixTestClan, removeNixTree } from '../helpers/nixTestStore';
import { removeTree, writeTree } from '../helpers/tempClan';

const bases: string[] = [];
after(() => bases.forEach(removeNixTree));

test('plan: the argv in the clan root; untrusted workspace or no nix on PATH: refused, nothing to run', async () => {
  const binDir = writeTree({ nix: '#!/bin/sh\n' });
  bases.push(binDir);
  fs.chmodSync(path.join(binDir, 'nix'), 0o755);
  const nix = path.join(binDir, 'nix');
  const argv = [nix, '--extra-experimental-features', 'nix-command flakes', '--option', 'accept-flake-config', 'false', 'flake', 'archive', '--json', '--no-update-lock-file'];
  assert.deepEqual(fetchInputsArgv(nix), argv);
  const plan = await planFetch('/clan', true, flakeNixRefs, { PATH: binDir });
  assert.ok('run' in plan, JSON.stringify(plan));
  assert.deepEqual(plan.run, { argv, cwd: '/clan', label: 'fetch flake inputs' });
  assert.deepEqual(plan.outside, []);
  const untrusted = await planFetch('/clan', false, flakeNixRefs, { PATH: binDir });
  assert.ok('refuse' in untrusted && /untrusted workspace/.test(untrusted.refuse), JSON.stringify(untrusted));
  const noNix = await planFetch('/clan', true, flakeNixRefs, { PATH: path.join(binDir, 'none') });
  assert.ok('refuse' in noNix && /'nix' was not found on PATH/.test(noNix.refuse), JSON.stringify(noNix));
});

test('nix flake archive --json output: input names read as data; anything else is null', () => {
  const out = JSON.stringify({ path: '/nix/store/a-source', inputs: { srvos: { path: '/nix/store/b-source', inputs: { nixpkgs: { path: '/nix/store/c-source', inputs: {} } } }, disko: { path: '/nix/store/d-source', inputs: {} } } });
  assert.deepEqual(archivedInputs(out), ['srvos', 'srvos/nixpkgs', 'disko']);
  assert.deepEqual(archivedInputs('{"path":"/nix/store/a-source"}'), []);
  for (const bad of ['', 'not json', '[]', 'null', '{"inputs":{}}', '{"path":"/x","inputs":{"a":{}}}', '{"path":"/x","inputs":3}', '{"path":"/x","inputs":{"a":{"path":"/y","inputs":{"__proto__":1}}}}']) {
    assert.equal(archivedInputs(bad), null, bad);
  }
});

function runner(lines: string[], env: NodeJS.ProcessEnv = process.env) {
  const logs: string[] = [];
  const archive = archiveLauncher((l) => lines.push(l), env);
  const r = new ClanRunner(() => {
    throw new Error('the terminal launcher is not for nix');
  }, { log: (l) => logs.push(l) });
  return { r, archive, logs };
}

test('runner + real nix: archives a clan whose input is a local path flake (outside the clan: the plan lists it)', async () => {
  const t = nixTestClan({ module: '{ }\n', machine: '{ }\n' });
  bases.push(t.base);
  const plan = await planFetch(t.clan, true, flakeNixRefs, t.env); // the child gets the test store
  assert.ok('run' in plan, JSON.stringify(plan));
  assert.deepEqual(plan.outside.map((i) => [i.node, i.kind, i.path]), [['mod', 'path', path.join(t.base, 'mod')]]);
  const lines: string[] = [];
  const { r, archive } = runner(lines, plan.env);
  const result = await r.run({ ...plan.run, launch: archive.launch });
  assert.equal(result.outcome, 'ok', `${result.message} ${lines.join('\n')}`);
  assert.deepEqual(archivedInputs(archive.result()!.stdout), ['mod']);
  assert.ok(fs.existsSync(path.join(t.storeDir)), 'the test store was written');
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('runner: cancel ends nix and what it started (its process group); outcome cancelled', async () => {
  const dir = writeTree({});
  bases.push(dir);
  const pidFile = path.join(dir, 'grandchild.pid');
  // a stand-in for nix that starts a fetcher (a grandchild), says so on stderr, and waits
  const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
process.stderr.write('copying path from git\\n');
setInterval(() => {}, 1000);`;
  const lines: string[] = [];
  const { r, archive } = runner(lines);
  const started = r.run({ argv: [process.execPath, '-e', script], cwd: dir, label: 'fetch flake inputs', launch: archive.launch });
  while (!lines.length) await new Promise((res) => setTimeout(res, 20)); // waits for the line, not a fixed time
  const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
  assert.ok(alive(grandchild));
  assert.equal(r.cancel(), true);
  const result = await started;
  assert.equal(result.outcome, 'cancelled');
  assert.deepEqual(lines, ['copying path from git']);
  for (let i = 0; i < 100 && alive(grandchild); i++) await new Promise((res) => setTimeout(res, 20));
  assert.equal(alive(grandchild), false, 'the fetcher nix started was ended too');
});

test('runner: a failing nix gives its last stderr lines; a missing one is said, not thrown', async () => {
  const lines: string[] = [];
  const { r, archive } = runner(lines);
  const script = `for (let i = 1; i <= 12; i++) console.error('line ' + i); console.error("error: unable to download 'https://github.com/x/y/archive/z.tar.gz': Couldn't connect to server (7)"); process.exit(1);`;
  const failed = await r.run({ argv: [process.execPath, '-e', script], cwd: process.cwd(), label: 'fetch flake inputs', launch: archive.launch });
  assert.equal(failed.outcome, 'failed');
  assert.equal(lines.length, 13);
  const message = archiveFailure(archive.result()!);
  assert.match(message, /^nix flake archive failed \(exit code 1\):\nline 6\n[\s\S]*\nerror: unable to download .*Couldn't connect to server \(7\)$/);
  assert.doesNotMatch(message, /line 5\n/);

  const gone = archiveLauncher(() => {});
  const launched = gone.launch(['/nonexistent/nix', 'flake', 'archive'], process.cwd(), 'x');
  await assert.rejects(launched.exit, /'\/nonexistent\/nix' was not found on PATH/);
  assert.equal(gone.result()!.notFound, true);
});

test('forget: what was read of a clan\'s inputs is read again (a clan-core checkout that changed)', async () => {
  const root = writeTree({ 'flake.nix': '{ }', 'checkout/modules/a.nix': '{ clan.core.vars.generators.x = { }; }\n' });
  try {
    const reader = new ExternalModuleReader(await NixParser.load());
    const checkout = path.join(root, 'checkout');
    const modules = () => reader.modulesOf(root, 'checkout');
    assert.equal(modules().declaresGenerators(checkout), true);
    fs.writeFileSync(path.join(checkout, 'modules/a.nix'), '{ services.openssh.enable = true; }\n');
    assert.equal(modules().declaresGenerators(checkout), true, 'kept until forgotten');
    reader.forget(root, 'checkout');
    assert.equal(modules().declaresGenerators(checkout), false);
  } finally {
    removeTree(root);
  }
});

test("an older nix (Debian 12's 2.8) and a lock written by a newer one: what to do, in one sentence, before nix's words (real nix)", async (t) => {
  const found = (process.env.PATH ?? '').split(':').map((d) => path.join(d, 'nix')).find((f) => path.isAbsolute(f) && fs.existsSync(f));
  if (!found) return t.skip('no nix on PATH');
  const lockOf = (original: string) => JSON.stringify({ nodes: { d: { locked: { lastModified: 1730000000, narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', type: 'tarball', url: 'https://api.flakehub.com/f/pinned/DeterminateSystems/determinate/0.1.0/0193.tar.gz' }, original: { type: 'tarball', url: original } }, root: { inputs: { d: 'd' } } }, root: 'root', version: 7 });
  for (const url of ['https://flakehub.com/f/DeterminateSystems/determinate/0.1.tar.gz', 'https://flakehub.com/f/DeterminateSystems/determinate/0.1']) {
    const root = writeTree({ 'flake.nix': `{ inputs.d.url = "${url}"; outputs = _: { }; }\n`, 'flake.lock': lockOf(url) });
    bases.push(root);
    const lines: string[] = [];
    const { r, archive } = runner(lines);
    const failed = await r.run({ argv: fetchInputsArgv(found), cwd: root, label: 'fetch flake inputs', launch: archive.launch });
    assert.equal(failed.outcome, 'failed');
    const message = archiveFailure(archive.result()!);
    // a nix new enough to read the lock fails later (no network here): then there is nothing to explain
    if (!/ 2\.\d\./.test(execFileSync(found, ['--version'], { encoding: 'utf8' }))) continue;
    assert.match(message, /^this nix is too old for .*Install a current Nix release and fetch again\. \(nix flake archive failed \(exit code 1\)\):\n/, message);
    assert.match(message, /error: (unsupported tarball input attribute 'lastModified'|input '.*' is unsupported)/);
  }
});
