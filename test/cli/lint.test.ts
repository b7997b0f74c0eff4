// The checker as a user runs it: the bin script, both output formats, the exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

function lint(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('cli: compact output on the example clan (one line per finding, the format text had before), exit 1', () => {
  const r = lint(['--format', 'compact', 'examples/clan']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.slice(0, -1).map((l) => l.split(' ').slice(0, 3).join(' ')), [
    'lib/machine-env-matrix.nix:11:5: error unknown-registry-key',
    'machines/zoe/configuration.nix:12:22: error unknown-dependency',
    'modules/hosts/emily/default.nix:10:5: error import-apply-generators',
  ]);
  assert.match(lines[lines.length - 1], /^3 errors, 0 warnings \(8 \.nix files checked, 9 generator declarations\)$/);
});

test('cli: json output with 1-based positions relative to the checked directory', () => {
  const r = lint(['--format', 'json'], EXAMPLE_CLAN);
  assert.equal(r.code, 1);
  const { diagnostics } = JSON.parse(r.stdout);
  assert.equal(diagnostics.length, 3);
  const key = diagnostics.find((d: { code: string }) => d.code === 'unknown-registry-key');
  assert.deepEqual(Object.keys(key).sort(), ['code', 'column', 'endColumn', 'endLine', 'explanation', 'file', 'line', 'message', 'severity']);
  assert.equal(key.explanation, 'Evaluation throws "Unknown secret key in envMatrix: deepsek".');
  assert.deepEqual([key.file, key.line, key.column, key.endLine, key.endColumn, key.severity], ['lib/machine-env-matrix.nix', 11, 5, 11, 14, 'error']);
  assert.match(key.message, /deepsek.*lea.*Did you mean 'deepseek'/);
});

test('cli: a clean clan exits 0; --format=json inline form', () => {
  const root = writeTree({ 'm.nix': '{ clan.core.vars.generators.a = { }; }' });
  roots.push(root);
  const text = lint([root]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^0 errors, 0 warnings \(1 \.nix file checked, 1 generator declaration\)\n$/);
  const json = lint(['--format=json', root]);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.stdout), { diagnostics: [] });
});

test('cli: several directories are reported with their own prefixes', () => {
  const a = writeTree({ 'x.nix': '{ clan.core.vars.generators.a.dependencies = [ "q" ]; }' });
  const b = writeTree({ 'y.nix': '{ clan.core.vars.generators.b.dependencies = [ "r" ]; }' });
  roots.push(a, b);
  const r = lint([a, b]);
  assert.equal(r.code, 1);
  assert.ok(r.stdout.includes(path.join(a, 'x.nix') + ':1:'), r.stdout);
  assert.ok(r.stdout.includes(path.join(b, 'y.nix') + ':1:'), r.stdout);
});

test('cli: bad usage exits 2 with a message', () => {
  for (const args of [['--format', 'xml'], ['--nope'], ['/does/not/exist'], ['--format'], ['--max-file-size', '12']]) {
    const r = lint(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
    // the error and where to look, not the whole usage
    assert.match(r.stderr, /^clan-vars-lint: .+\nRun 'clan-vars-lint --help' for the options\.\n$/);
  }
  const help = lint(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: clan-vars-lint/);
});

test('cli: options that each choose what is printed go one at a time; --machines takes its format or not', () => {
  for (const [args, said] of [
    [['--graph', 'dot', '--format', 'json'], '--format and --graph'],
    [['--machines', 'json', '--format', 'sarif'], '--format and --machines'],
    [['--graph', 'dot', '--migration-report'], '--graph and --migration-report'],
  ] as const) {
    const r = lint([...args, 'examples/clan']);
    assert.deepEqual([r.code, r.stdout], [2, ''], args.join(' '));
    assert.equal(r.stderr.split('\n')[0], `clan-vars-lint: ${said} go one at a time: each chooses what is printed`);
  }
  // `--machines DIR`: the text report of DIR, not a format named DIR
  const machines = lint(['--machines', 'examples/clan']);
  assert.equal(machines.code, 0, machines.stderr);
  assert.match(machines.stdout, /^clan \S+examples\/clan: 3 machines;/);
  assert.equal(JSON.parse(lint(['--machines', 'json', 'examples/clan']).stdout).length, 1);
  assert.equal(lint(['--machines=xml', 'examples/clan']).code, 2);
});

test('cli: skipped files are named on stderr, not in the results', () => {
  const root = writeTree({ 'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; }; }\n', 'bin.nix': Buffer.from([0, 1, 2]), 'ok.nix': '{ }' });
  roots.push(root);
  const r = lint([root]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /skipping .*bin\.nix: binary content/);
  assert.match(r.stdout, /3 \.nix files checked, 0 generator declarations, 1 skipped/);
});

test('cli: hints are counted as hints; --fix with no safe fix says so', () => {
  const root = writeTree({
    'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "h"; }; }\n',
    'machines/a/configuration.nix': '{ config, ... }: { sops.secrets.api = { }; x = config.sops.secrets.api.path; }\n',
  });
  roots.push(root);
  const r = lint(['--no-cache', root]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\n0 errors, 0 warnings, 1 hint \(/);
  const f = lint(['--no-cache', '--fix', root]);
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stdout, /^no safe fix for 1 problem \(1 has a quick fix to look at in the editor\)\n/m);
});

test('cli: a message quoting half-typed code is one line (line breaks in names written escaped)', () => {
  const root = writeTree({
    'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "h"; }; }\n',
    'machines/a/configuration.nix': `{
  clan.core.vars.generators.b = {
    files.k = { };
    script = ''
      cat "$in/a
      echo > $out/k
    '';
  };
}
`,
  });
  roots.push(root);
  const r = lint(['--no-cache', '--format', 'json', root]);
  const messages = (JSON.parse(r.stdout) as { diagnostics: { message: string }[] }).diagnostics.map((d) => d.message);
  assert.ok(messages.length > 0, r.stdout);
  for (const m of messages) assert.doesNotMatch(m, /[\n\r]/, m);
  assert.ok(messages.some((m) => m.includes("'k\\n")), `the name is shown escaped: ${messages.join(' | ')}`);
});

test('cli: --migration-script and --migration-report on a clan with nothing to move say so in a few lines', () => {
  const script = lint(['--migration-script', 'examples/clan']);
  assert.equal(script.code, 0, script.stderr);
  const lines = script.stdout.trimEnd().split('\n');
  assert.ok(lines.length <= 6, script.stdout);
  assert.equal(lines[0], '#!/usr/bin/env bash');
  // it runs, does nothing and says why
  const run = spawnSync('bash', ['-c', script.stdout], { encoding: 'utf8' });
  assert.deepEqual([run.status, run.stdout], [0, 'no facts or sops-nix secrets of a known machine were found: nothing to move\n']);
  const report = lint(['--migration-report', 'examples/clan']);
  assert.equal(report.stdout, '# Moving to clan vars: clan\n\nNothing of clan facts or sops-nix was found: nothing to move.\n');
});
