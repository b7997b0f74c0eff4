// Layout: every node placed once, no two node boxes overlap, edges have points, cycle edges are
// laid out (dagre reverses them internally) and keep their mark, machine clusters hold their nodes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterOf, layoutGraph, layoutKey } from '../../server/src/ide/graph/layout';
import type { DependencyGraph, GraphLayout, NodeBox } from '../../server/src/ide/graph/types';
import { syntheticGraph } from '../../bench/syntheticGraph';
import { compactSize, nodeSize } from '../../server/src/ide/graph/nodeMetrics';

function overlaps(a: NodeBox, b: NodeBox): boolean {
  return Math.abs(a.x - b.x) < (a.width + b.width) / 2 && Math.abs(a.y - b.y) < (a.height + b.height) / 2;
}

function check(graph: DependencyGraph, layout: GraphLayout): void {
  assert.deepEqual(layout.nodes.map((n) => n.id).sort(), graph.nodes.map((n) => n.id).sort());
  for (const n of layout.nodes) {
    for (const v of [n.x, n.y, n.width, n.height]) assert.ok(Number.isFinite(v), `${n.id} has finite numbers`);
    assert.ok(n.x - n.width / 2 >= -0.5 && n.y - n.height / 2 >= -0.5, `${n.id} inside the drawing`);
    assert.ok(n.x + n.width / 2 <= layout.width + 0.5 && n.y + n.height / 2 <= layout.height + 0.5, `${n.id} inside the drawing`);
  }
  const sorted = [...layout.nodes].sort((a, b) => a.x - a.width / 2 - (b.x - b.width / 2));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x - sorted[j].width / 2 < sorted[i].x + sorted[i].width / 2; j++) {
      assert.ok(!overlaps(sorted[i], sorted[j]), `${sorted[i].id} and ${sorted[j].id} overlap`);
    }
  }
  assert.deepEqual(layout.edges.map((e) => e.id).sort(), graph.edges.map((e) => e.id).sort());
  for (const e of layout.edges) assert.ok(e.points.length >= 2 && e.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)), `${e.id} has points`);
}

test('an empty graph', () => {
  const layout = layoutGraph({ root: '/', nodes: [], edges: [], machines: [], namesOpen: false });
  assert.deepEqual(layout, { nodes: [], edges: [], clusters: [], width: 0, height: 0 });
});

for (const size of [1, 7, 50, 200]) {
  test(`${size} generators: placed, no overlaps, edges routed`, () => {
    const graph = syntheticGraph(size);
    check(graph, layoutGraph(graph));
  });
}

test('dependencies are drawn below their dependents', () => {
  const graph = syntheticGraph(50);
  const layout = layoutGraph(graph);
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  for (const e of graph.edges) assert.ok(at.get(e.from)!.y < at.get(e.to)!.y, `${e.id} points down`);
});

test('cycle edges are laid out and stay marked', () => {
  const graph = syntheticGraph(30, { cycle: true });
  const layout = layoutGraph(graph);
  check(graph, layout);
  const cycleIds = graph.edges.filter((e) => e.cycle).map((e) => e.id);
  assert.equal(cycleIds.length, 2);
  for (const id of cycleIds) assert.ok(layout.edges.find((e) => e.id === id)!.points.length >= 2);
});

test('a self-dependency gets a loop', () => {
  const graph = syntheticGraph(2);
  graph.edges.push({ id: 'g:gen-1->g:gen-1', from: 'g:gen-1', to: 'g:gen-1', cycle: true, unknown: false });
  check(graph, layoutGraph(graph));
});

test('machine clusters contain their generators; a 200 generator clan is roughly screen-shaped', () => {
  const graph = syntheticGraph(200);
  const layout = layoutGraph(graph);
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  assert.ok(layout.clusters.length > 0);
  for (const c of layout.clusters) {
    const inside = graph.nodes.filter((n) => {
      const b = at.get(n.id)!;
      return clusterOf(n) === c.label && b.x > c.x && b.x < c.x + c.width && b.y > c.y && b.y < c.y + c.height;
    });
    assert.ok(inside.length >= 1, `cluster ${c.label} holds a node`);
  }
  const ratio = layout.width / layout.height;
  assert.ok(ratio > 0.3 && ratio < 4, `aspect ratio ${ratio.toFixed(2)}`);
});

test('edges to missing nodes are ignored rather than thrown on', () => {
  const graph = syntheticGraph(3);
  graph.edges.push({ id: 'x', from: 'g:gen-0', to: 'g:nowhere', cycle: false, unknown: true });
  const layout = layoutGraph(graph);
  assert.equal(layout.edges.some((e) => e.id === 'x'), false);
});

test('a machine is one box: its chains and its generators without dependencies inside the same cluster', () => {
  const gen = (name: string, machine: string) => ({ id: `g:${name}`, name, kind: 'generator' as const, shared: false, origin: 'module' as const, machines: [machine], files: [], prompts: [], declarations: [] });
  const nodes = [gen('a', 'eve'), gen('b', 'eve'), gen('c', 'eve'), gen('d', 'eve'), gen('e', 'eve'), gen('x', 'eva'), gen('y', 'eva')];
  const edge = (from: string, to: string) => ({ id: `g:${from}->g:${to}`, from: `g:${from}`, to: `g:${to}`, cycle: false, unknown: false });
  const graph: DependencyGraph = { root: '/', nodes, edges: [edge('a', 'b'), edge('b', 'c'), edge('x', 'y')], machines: ['eva', 'eve'], namesOpen: false };
  const layout = layoutGraph(graph);
  check(graph, layout);
  assert.deepEqual(layout.clusters.map((c) => c.label).sort(), ['eva', 'eve'], 'one box per machine');
  for (const c of layout.clusters) {
    for (const n of layout.nodes.filter((b) => clusterOf(graph.nodes.find((g) => g.id === b.id)!) === c.label)) {
      assert.ok(n.x - n.width / 2 >= c.x && n.x + n.width / 2 <= c.x + c.width && n.y - n.height / 2 >= c.y && n.y + n.height / 2 <= c.y + c.height, `${n.id} inside the box of ${c.label}`);
    }
  }
});

test('generators without dependencies are a compact list read down its columns; those in chains are full boxes', () => {
  const gen = (name: string) => ({ id: `g:${name}`, name, kind: 'generator' as const, shared: false, origin: 'module' as const, machines: ['eve'], files: [{ name: 'key', secret: true, deploy: true }], prompts: [], declarations: [] });
  const names = [...Array(40).keys()].map((i) => `gen-${String(i).padStart(2, '0')}`);
  const nodes = [...names.map(gen), gen('chain-a'), gen('chain-b')];
  const graph: DependencyGraph = { root: '/', nodes, edges: [{ id: 'g:chain-a->g:chain-b', from: 'g:chain-a', to: 'g:chain-b', cycle: false, unknown: false }], machines: ['eve'], namesOpen: false };
  const layout = layoutGraph(graph);
  check(graph, layout);
  const at = new Map(layout.nodes.map((b) => [b.id, b]));
  for (const n of nodes) {
    const box = at.get(n.id)!;
    const chained = n.name.startsWith('chain');
    assert.equal(!!box.compact, !chained, `${n.name} ${chained ? 'is a box' : 'is a row'}`);
    assert.deepEqual({ width: box.width, height: box.height }, chained ? nodeSize(n) : compactSize(n), `${n.name}'s size`);
  }
  // rows: one line high, and the next name below the previous one until a column is full
  assert.ok(at.get('g:gen-00')!.height < nodeSize(nodes[0]).height / 2);
  assert.equal(at.get('g:gen-01')!.y > at.get('g:gen-00')!.y && Math.abs(at.get('g:gen-01')!.x - at.get('g:gen-01')!.width / 2 - (at.get('g:gen-00')!.x - at.get('g:gen-00')!.width / 2)) < 0.5, true);
  // 40 rows in well under half the room 40 boxes took (without the gaps between them)
  const rows = names.map((n) => at.get(`g:${n}`)!);
  const area = (Math.max(...rows.map((b) => b.x + b.width / 2)) - Math.min(...rows.map((b) => b.x - b.width / 2))) * (Math.max(...rows.map((b) => b.y + b.height / 2)) - Math.min(...rows.map((b) => b.y - b.height / 2)));
  const boxes = names.reduce((sum, n) => sum + nodeSize(gen(n)).width * nodeSize(gen(n)).height, 0);
  assert.ok(area < boxes / 2, `the list takes ${Math.round(area)} px², the boxes alone ${Math.round(boxes)} px²`);
});

test('the layout key: graphs with the same key are laid out alike; a change of state or problem keeps it, of a size, a machine or an edge does not', () => {
  const base = syntheticGraph(60, { cycle: true });
  const copy = (): DependencyGraph => JSON.parse(JSON.stringify(base));
  const gen = (g: DependencyGraph, i: number) => g.nodes.filter((n) => n.kind === 'generator')[i];
  const changes: [string, boolean, (g: DependencyGraph) => void][] = [
    ['a state', true, (g) => void (gen(g, 3).state = gen(g, 3).state === 'generated' ? 'missing' : 'generated')],
    ['an error on a generator', true, (g) => Object.assign(gen(g, 4), { severity: 'error', problems: ['error: the script reads $in/x'] })],
    ['a file of a generator in a chain', false, (g) => gen(g, g.edges.length ? g.nodes.findIndex((n) => n.id === g.edges[0].from) : 0).files.push({ name: 'another-file-with-a-long-name', secret: true } as never)],
    ['a machine', false, (g) => void (gen(g, 5).machines = ['elsewhere'])],
    ['an edge', false, (g) => g.edges.push({ id: 'e:new', from: gen(g, 6).id, to: gen(g, 7).id } as never)],
    ['the order of the nodes', false, (g) => g.nodes.reverse()],
  ];
  const before = layoutKey(base);
  for (const [what, same, change] of changes) {
    const g = copy();
    change(g);
    assert.equal(layoutKey(g) === before, same, `${what}: the key ${same ? 'changed' : 'stayed'}`);
    if (same) assert.deepEqual(layoutGraph(g), layoutGraph(base), `${what}: same key, other layout`);
  }
  assert.notEqual(layoutKey(base, { aspect: 3 }), before, 'the aspect is part of the key');
});
