// clan-vars-lint --graph dot|mermaid|json: the same graph the editor shows, printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_CLAN, REPO_ROOT } from '../helpers/tempClan';

const BIN = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const lint = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

test('cli --graph json: the example clan, exit 0 even with errors in the graph', () => {
  const r = lint(['--graph', 'json', 'examples/clan']);
  assert.equal(r.status, 0, r.stderr);
  const { graphs } = JSON.parse(r.stdout);
  assert.equal(graphs.length, 1);
  assert.equal(graphs[0].root, EXAMPLE_CLAN);
  assert.equal(graphs[0].nodes.length, 10);
  assert.deepEqual(
    graphs[0].edges.map((e: { id: string; unknown: boolean }) => `${e.id} ${e.unknown}`),
    ['g:borgbackup->u:open-ssh true', 'g:openssh-cert->g:openssh false', 'g:openssh-cert->g:openssh-ca false'],
  );
});

test('cli --graph=dot and --graph mermaid', () => {
  const dot = lint(['--graph=dot', 'examples/clan']);
  assert.equal(dot.status, 0);
  assert.match(dot.stdout, /^digraph "clan vars generators" \{/);
  assert.match(dot.stdout, /subgraph cluster_\d+ \{\n    label="zoe";/);
  const mermaid = lint(['--graph', 'mermaid', 'examples/clan']);
  assert.match(mermaid.stdout, /^flowchart TD\n/);
  assert.match(mermaid.stdout, /open-ssh #91;not declared#93;/);
});

test('cli --graph with a bad format: usage, exit 2', () => {
  const r = lint(['--graph', 'svg']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--graph must be dot, mermaid or json/);
});
