// DOT, Mermaid and JSON output: structure, error marks, and escaping of hostile generator names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dotString, mermaidText, serializeGraphs, toDot, toJsonValue, toMermaid } from '../../server/src/ide/graph/serialize';
import type { DependencyGraph } from '../../server/src/ide/graph/types';
import { graphOf } from '../helpers/graphClan';
import { EXAMPLE_CLAN } from '../helpers/tempClan';

const HOSTILE = 'evil" ]; n0 -> n1 [label="x\\" <img src=x onerror=alert(1)> `md` #1;\nnext';

function hostileGraph(): DependencyGraph {
  const node = (id: string, name: string) => ({ id, name, kind: 'generator' as const, shared: false, origin: 'module' as const, machines: ['m"1'], files: [{ name: 'k"ey', secret: true, deploy: true }], prompts: [], declarations: [] });
  return {
    root: '/clan',
    nodes: [node('g:a', HOSTILE), node('g:b', 'plain')],
    edges: [{ id: 'e', from: 'g:a', to: 'g:b', cycle: true, unknown: false, message: 'Dependency cycle: "a" → b' }],
    machines: ['m"1'],
    namesOpen: false,
  };
}

test('DOT strings escape quotes and backslashes, and show control and bidi characters as escapes', () => {
  assert.equal(dotString('a"b\\c\nd'), '"a\\"b\\\\c\\\\nd"');
  assert.equal(dotString('x\u202ey\x1b'), '"x\\\\u202ey\\\\x1b"');
});

test('Mermaid text turns every special character into an entity', () => {
  assert.equal(mermaidText('a-b_c.d'), 'a-b_c.d');
  assert.equal(mermaidText('"<>`#[]();'), '#34;#60;#62;#96;#35;#91;#93;#40;#41;#59;');
});

test('DOT: nodes with generated ids, a cluster per machine, cycle edges in red; names only inside labels', () => {
  const dot = toDot(hostileGraph());
  const lines = dot.split('\n');
  assert.equal(lines[0], 'digraph "clan vars generators" {');
  assert.equal(lines.at(-2), '}');
  assert.ok(lines.some((l) => /^\s+n0 -> n1 \[color=red/.test(l)));
  assert.ok(dot.includes('label="m\\"1"'));
  // Outside quoted strings only our own syntax remains.
  const outside = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  assert.doesNotMatch(outside, /evil|img|onerror|next/);
  assert.equal(outside.match(/->/g)!.length, 1);
});

test('Mermaid: one node line per generator; nothing unescaped from names', () => {
  const m = toMermaid(hostileGraph());
  assert.ok(m.startsWith('flowchart TD\n'));
  assert.match(m, /n0 --> n1/);
  assert.match(m, /linkStyle 0 stroke:#d32f2f/);
  const labels = [...m.matchAll(/\["([^"]*)"\]/g)].map((x) => x[1]);
  assert.equal(labels.length, 3); // the machine subgraph and two nodes
  for (const l of labels) assert.doesNotMatch(l.replace(/<br\/>/g, ''), /[<>"`\n]/);
  assert.doesNotMatch(m, /<img/);
});

test('JSON: paths relative to the clan root; the example clan', async () => {
  const g = await graphOf(EXAMPLE_CLAN);
  const value = toJsonValue(g) as { nodes: { name: string; declarations: { file: string }[] }[] };
  assert.equal(value.nodes.find((n) => n.name === 'borgbackup')!.declarations[0].file, 'machines/zoe/configuration.nix');
  const parsed = JSON.parse(serializeGraphs([g], 'json'));
  assert.equal(parsed.graphs.length, 1);
  assert.equal(parsed.graphs[0].edges.length, 3);
});

test('several clans: one graph each, labelled', () => {
  const a = hostileGraph();
  const b = { ...hostileGraph(), root: '/other' };
  assert.equal(serializeGraphs([a, b], 'dot').match(/^digraph/gm)!.length, 2);
  assert.match(serializeGraphs([a, b], 'mermaid'), /^%% clan: \/other$/m);
});
