// The command lines the extension runs, and running them against a stand-in clan that follows the
// CLI contract: exact argv and cwd, one run at a time, cancel, clan not found, refresh after a run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ClanRunner, type RunResult } from '../../client/src/vars/clanRunner';
import { clanCommandFrom, commandLine, displayArgv, findExecutable, nameProblem, type VarsAction } from '../../client/src/vars/commandLine';
import { execClan } from '../../client/src/vars/execClan';
import { parseCheckOutput } from '../../server/src/ide/vars/checkOutput';
import { FAKE_CLAN, invocations, processLauncher } from '../helpers/fakeClan';
import { removeTree, writeTree } from '../helpers/tempClan';

const SPEC = {
  machines: {
    web: {
      ca: { files: { key: {}, 'ca.crt': { secret: false } }, validationHash: 'v1' },
      cert: { files: { crt: { secret: false } }, dependencies: ['ca'] },
      pw: { files: { pw: {} }, prompts: { pw: {} } },
    },
    db: { ca: { files: { key: {}, 'ca.crt': { secret: false } }, validationHash: 'v1' } },
  },
};

function clanTree() {
  const root = writeTree({ 'flake.nix': '{ }', 'fake-clan.json': JSON.stringify(SPEC) });
  const log = path.join(root, '.fake-clan-log.jsonl');
  return { root, log, env: { ...process.env, FAKE_CLAN_LOG: log } };
}

const CASES: [string, Parameters<typeof commandLine>[1], string[]][] = [
  ['generate all', { kind: 'generate', machines: [] }, ['vars', 'generate']],
  ['generate some', { kind: 'generate', machines: ['web', 'db'] }, ['vars', 'generate', 'web', 'db']],
  ['regenerate', { kind: 'regenerate', machine: 'web', generator: 'ca' }, ['vars', 'generate', 'web', '--generator', 'ca', '--regenerate']],
  ['check', { kind: 'check', machines: ['web'] }, ['vars', 'check', 'web']],
  ['fix', { kind: 'fix', machines: [] }, ['vars', 'fix']],
  ['get', { kind: 'get', machine: 'web', varId: 'ca/ca.crt' }, ['vars', 'get', 'web', 'ca/ca.crt']],
  ['set', { kind: 'set', machine: 'web', varId: 'pw/pw' }, ['vars', 'set', 'web', 'pw/pw']],
];

for (const [name, action, args] of CASES) {
  test(`argv: ${name}`, () => {
    assert.deepEqual(commandLine(undefined, action), { argv: ['clan', ...args] });
    assert.deepEqual(commandLine(['nix', 'run', 'git+https://git.clan.lol/clan/clan-core#clan-cli', '--'], action), {
      argv: ['nix', 'run', 'git+https://git.clan.lol/clan/clan-core#clan-cli', '--', ...args],
    });
  });
}

test('names starting with - and malformed settings are refused', () => {
  const refused: VarsAction[] = [
    { kind: 'generate', machines: ['--flake=/evil'] },
    { kind: 'regenerate', machine: 'web', generator: '-r' },
    { kind: 'get', machine: '-x', varId: 'a/b' },
    { kind: 'set', machine: 'web', varId: '-g/x' },
    { kind: 'check', machines: ['ok', 'bad\nname'] },
  ];
  for (const action of refused) {
    const r = commandLine(['clan'], action);
    assert.ok('error' in r && r.error.startsWith('refusing to run clan'), JSON.stringify(r));
  }
  assert.equal(nameProblem('machine', 'web-1'), undefined);
  for (const bad of ['clan', [], [''], [1], 'clan vars']) assert.ok('error' in clanCommandFrom(bad), String(bad));
  assert.equal(displayArgv(['clan', 'vars', 'set', 'web', "it's"]), "clan vars set web 'it'\\''s'");
});

test('generate: exact argv and cwd, prompts answered on the terminal, refresh after the run', async () => {
  const { root, log, env } = clanTree();
  try {
    const ends: RunResult[] = [];
    const runner = new ClanRunner(
      processLauncher({ ...env, FAKE_CLAN_ASSUME_TTY: '1' }, (write) => write('hunter2\n')),
      { log: () => {}, onEnd: (r) => void ends.push(r) },
    );
    const argv = (commandLine([FAKE_CLAN], { kind: 'generate', machines: ['web'] }) as { argv: string[] }).argv;
    const r = await runner.run({ argv, cwd: root, label: 'generate' });
    assert.equal(r.outcome, 'ok', JSON.stringify(r));
    assert.deepEqual(invocations(log), [{ argv: ['vars', 'generate', 'web'], cwd: root, stdinTTY: false }]);
    assert.equal(ends.length, 1, 'onEnd (the refresh) runs once after the run');
    assert.equal(fs.readFileSync(path.join(root, 'vars/per-machine/web/cert/crt/value'), 'utf8'), 'fake-cert-crt-web');
    assert.equal(fs.readFileSync(path.join(root, 'vars/per-machine/web/ca/.validation-hash'), 'utf8'), 'v1');
    assert.ok(fs.existsSync(path.join(root, 'vars/per-machine/web/pw/pw/secret')));
    assert.ok(!fs.existsSync(path.join(root, 'vars/per-machine/db')));
  } finally {
    removeTree(root);
  }
});

test('one run at a time; cancel ends the waiting run; a new run starts after it', async () => {
  const { root, env } = clanTree();
  try {
    const logLines: string[] = [];
    let started!: () => void;
    const waiting = new Promise<void>((resolve) => (started = resolve));
    const runner = new ClanRunner(processLauncher({ ...env, FAKE_CLAN_ASSUME_TTY: '1' }, () => started()), { log: (l) => logLines.push(l) });
    const argv = [FAKE_CLAN, 'vars', 'generate', 'web'];
    const first = runner.run({ argv, cwd: root, label: 'generate web' }); // waits at the pw prompt
    await waiting;
    assert.equal(runner.busy, true);
    const second = await runner.run({ argv, cwd: root, label: 'again' });
    assert.equal(second.outcome, 'busy');
    assert.equal(runner.cancel(), true);
    const r = await first;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(runner.busy, false);
    assert.equal(runner.cancel(), false);
    assert.ok(!fs.existsSync(path.join(root, 'vars/per-machine/web/pw')), 'nothing stored for a cancelled prompt');
    const third = await new ClanRunner(processLauncher(env), { log: () => {} }).run({ argv: [FAKE_CLAN, 'vars', 'fix', 'web'], cwd: root, label: 'fix' });
    assert.equal(third.outcome, 'ok');
    assert.ok(logLines.some((l) => l.startsWith(`running in ${root}: ${FAKE_CLAN} vars generate web`)));
    assert.ok(logLines.some((l) => l.includes('-> cancelled')));
  } finally {
    removeTree(root);
  }
});

test('prompts without a terminal fail with exit code 1, and the failure is reported', async () => {
  const { root, env } = clanTree();
  try {
    const lines: string[] = [];
    const r = await new ClanRunner(processLauncher(env), { log: (l) => lines.push(l) }).run({ argv: [FAKE_CLAN, 'vars', 'generate', 'web'], cwd: root, label: 'g' });
    assert.equal(r.outcome, 'failed');
    assert.equal(r.exitCode, 1);
    assert.ok(lines.some((l) => l.endsWith('-> failed (exit code 1)')), lines.join('\n'));
  } finally {
    removeTree(root);
  }
});

test('clan not found: not started, reported, and the refresh hook still runs', async () => {
  let launched = false;
  const ends: RunResult[] = [];
  const runner = new ClanRunner(
    () => {
      launched = true;
      throw new Error('unreachable');
    },
    { log: () => {}, onEnd: (r) => void ends.push(r) },
  );
  const r = await runner.run({ argv: ['clan-that-does-not-exist-here', 'vars', 'generate'], cwd: '/', label: 'g' });
  assert.equal(r.outcome, 'not-found');
  assert.equal(launched, false);
  assert.equal(ends.length, 1);
  assert.equal(findExecutable('node'), findExecutable(process.execPath));
  const e = await execClan(['clan-that-does-not-exist-here', 'vars', 'check'], '/');
  assert.equal(e.notFound, true);
});

test('check: execFile with an argv array; exit code 1 and the output parsed; all valid after generating', async () => {
  const { root, log, env } = clanTree();
  try {
    const before = await execClan([FAKE_CLAN, 'vars', 'check'], root, { env });
    assert.equal(before.exitCode, 1);
    const report = parseCheckOutput(before.stderr + before.stdout);
    assert.deepEqual(report.machines, ['db', 'web']);
    assert.deepEqual(
      report.findings.filter((f) => f.machine === 'web').map((f) => `${f.kind} ${f.generator}/${f.file}`),
      ['missing-secret ca/key', 'missing-public ca/ca.crt', 'outdated-validation ca/null', 'missing-public cert/crt', 'missing-secret pw/pw'],
    );
    await execClan([FAKE_CLAN, 'vars', 'generate', 'db'], root, { env });
    const after = await execClan([FAKE_CLAN, 'vars', 'check', 'db'], root, { env });
    assert.equal(after.exitCode, 0);
    assert.deepEqual(parseCheckOutput(after.stderr).valid, ['db']);
    assert.deepEqual(invocations(log).map((i) => i.argv.join(' ')), ['vars check', 'vars generate db', 'vars check db']);
    assert.ok(invocations(log).every((i) => i.cwd === root));
  } finally {
    removeTree(root);
  }
});

test('set: the value goes on stdin (never in argv), get prints it back', async () => {
  const { root, log, env } = clanTree();
  try {
    const set = await execClan([FAKE_CLAN, 'vars', 'set', 'web', 'pw/pw'], root, { env, input: 's3cret value' });
    assert.equal(set.exitCode, 0, set.stderr);
    assert.ok(!fs.readFileSync(log, 'utf8').includes('s3cret'), 'the value is not in any argv');
    const get = await execClan([FAKE_CLAN, 'vars', 'get', 'web', 'pw/pw'], root, { env });
    assert.equal(get.stdout, 's3cret value');
    const missing = await execClan([FAKE_CLAN, 'vars', 'get', 'web', 'cert/crt'], root, { env });
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr, /Var cert\/crt has not been generated yet/);
  } finally {
    removeTree(root);
  }
});

test('clan by its bare name with a relative PATH entry (".") never runs the clan folder\'s own ./clan: the runner and execFile start the one findExecutable found', async () => {
  const { root, log, env } = clanTree();
  const bin = writeTree({});
  try {
    fs.symlinkSync(FAKE_CLAN, path.join(bin, 'clan'));
    const marks = path.join(bin, 'MARKS');
    fs.writeFileSync(path.join(root, 'clan'), `#!/bin/sh\necho "the clan folder's ./clan" >> '${marks}'\n`, { mode: 0o755 });
    const PATH = ['.', bin, process.env.PATH].join(path.delimiter);
    const withDot = { ...env, PATH };
    const runner = new ClanRunner(processLauncher(withDot), { log: () => {}, resolve: (c, cwd) => findExecutable(c, withDot, cwd) });
    const r = await runner.run({ argv: ['clan', 'vars', 'generate', 'db'], cwd: root, label: 'g' });
    assert.equal(r.outcome, 'ok', r.message);
    const check = await execClan(['clan', 'vars', 'check', 'db'], root, { env: withDot });
    assert.equal(check.exitCode, 0, check.stderr);
    assert.equal(fs.existsSync(marks), false, "the clan folder's ./clan ran");
    assert.deepEqual(invocations(log).map((i) => i.argv.join(' ')), ['vars generate db', 'vars check db']);
  } finally {
    removeTree(root);
    removeTree(bin);
  }
});
