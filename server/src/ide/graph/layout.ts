// Coordinates for the dependency graph. Each connected part is laid out by dagre (layered,
// dependencies below their dependents). A machine is one box: its chains that stay inside it, then
// its generators without any dependency edge packed in a grid; a part that spans machines keeps
// dagre's clusters. Then all blocks are packed into rows so that a clan of 200 mostly independent
// generators stays roughly screen-shaped.
import dagre from '@dagrejs/dagre';
import { compactSize, nodeSize } from './nodeMetrics';
import type { ClusterBox, DependencyGraph, EdgePath, GraphLayout, GraphNode, NodeBox } from './types';

const NODE_SEP = 28;
const RANK_SEP = 56;
const BLOCK_GAP = 48;
const GRID_GAP = 20;
/** Between the rows and the columns of a compact list. */
const ROW_GAP = 6;
const COLUMN_GAP = 16;
const CLUSTER_PAD = 14;
const CLUSTER_LABEL = 20;
/** Larger connected parts are laid out without machine clusters and with a faster ranker: dagre's
 * compound layout costs about three times as much. */
const CLUSTER_LIMIT = 40;

interface Block {
  width: number;
  height: number;
  nodes: NodeBox[];
  edges: EdgePath[];
  clusters: ClusterBox[];
  weight: number;
}

/** The machine cluster a node is drawn in: one machine, not shared. */
export function clusterOf(node: GraphNode): string | null {
  return node.kind === 'generator' && !node.shared && node.machines.length === 1 ? node.machines[0] : null;
}

function components(graph: DependencyGraph): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    for (let y = x; parent.get(y) !== r; ) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  for (const n of graph.nodes) parent.set(n.id, n.id);
  for (const e of graph.edges) if (parent.has(e.from) && parent.has(e.to)) parent.set(find(e.from), find(e.to));
  const groups = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const r = find(n.id);
    const list = groups.get(r) ?? [];
    list.push(n.id);
    groups.set(r, list);
  }
  return [...groups.values()];
}

/** dagre can throw on some inputs; then try again more simply, and at worst use a grid. */
function layoutComponent(ids: string[], graph: DependencyGraph, byId: Map<string, GraphNode>, index: number, clusters = true): Block {
  const small = ids.length <= CLUSTER_LIMIT;
  try {
    return dagreBlock(ids, graph, byId, index, small && clusters, small ? 'network-simplex' : 'tight-tree');
  } catch {
    try {
      return dagreBlock(ids, graph, byId, index, false, 'longest-path');
    } catch {
      return gridBlock(ids.map((id) => byId.get(id)!), null, index);
    }
  }
}

function dagreBlock(ids: string[], graph: DependencyGraph, byId: Map<string, GraphNode>, index: number, withClusters: boolean, ranker: string): Block {
  const g = new dagre.graphlib.Graph({ compound: withClusters, multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: NODE_SEP, ranksep: RANK_SEP, marginx: CLUSTER_PAD, marginy: CLUSTER_PAD + CLUSTER_LABEL, ranker });
  g.setDefaultEdgeLabel(() => ({}));
  const members = new Set(ids);
  const clusters = new Map<string, string>();
  for (const id of ids) {
    const node = byId.get(id)!;
    g.setNode(id, { ...nodeSize(node) });
    const c = withClusters ? clusterOf(node) : null;
    if (c === null) continue;
    let cid = clusters.get(c);
    if (!cid) {
      cid = `m:${c}#${index}`;
      clusters.set(c, cid);
      g.setNode(cid, { label: c, paddingTop: CLUSTER_LABEL });
    }
    g.setParent(id, cid);
  }
  // Clusters only help when they hold several nodes.
  for (const [c, cid] of clusters) {
    const children = g.children(cid) ?? [];
    if (children.length < 2) {
      for (const child of children) g.setParent(child);
      g.removeNode(cid);
      clusters.delete(c);
    }
  }
  for (const e of graph.edges) if (members.has(e.from) && members.has(e.to)) g.setEdge(e.from, e.to, { id: e.id });
  dagre.layout(g);
  const nodes: NodeBox[] = ids.map((id) => {
    const n = g.node(id);
    return { id, x: n.x, y: n.y, width: n.width, height: n.height };
  });
  const edges: EdgePath[] = g.edges().map((ref: { v: string; w: string }) => {
    const label = g.edge(ref) as { id: string; points?: { x: number; y: number }[] };
    return { id: label.id, points: (label.points ?? []).map((p) => ({ x: p.x, y: p.y })) };
  });
  const boxes: ClusterBox[] = [...clusters].map(([label, cid]) => {
    const n = g.node(cid);
    const x = n.x - n.width / 2 - CLUSTER_PAD / 2;
    const y = n.y - n.height / 2 - CLUSTER_LABEL;
    return { id: cid, label, x, y, width: n.width + CLUSTER_PAD, height: n.height + CLUSTER_LABEL + CLUSTER_PAD / 2 };
  });
  return normalise(nodes, edges, boxes, ids.length);
}

/** Moves a block so that its top-left corner is at 0,0 and measures it. */
function normalise(nodes: NodeBox[], edges: EdgePath[], clusters: ClusterBox[], weight: number): Block {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const grow = (x0: number, y0: number, x1: number, y1: number) => {
    minX = Math.min(minX, x0);
    minY = Math.min(minY, y0);
    maxX = Math.max(maxX, x1);
    maxY = Math.max(maxY, y1);
  };
  for (const n of nodes) grow(n.x - n.width / 2, n.y - n.height / 2, n.x + n.width / 2, n.y + n.height / 2);
  for (const c of clusters) grow(c.x, c.y, c.x + c.width, c.y + c.height);
  for (const e of edges) for (const p of e.points) grow(p.x, p.y, p.x, p.y);
  if (!Number.isFinite(minX)) return { width: 0, height: 0, nodes, edges, clusters, weight };
  const block: Block = { width: maxX - minX, height: maxY - minY, nodes, edges, clusters, weight };
  shift(block, -minX, -minY);
  return block;
}

function shift(block: Block, dx: number, dy: number): void {
  for (const n of block.nodes) {
    n.x += dx;
    n.y += dy;
  }
  for (const e of block.edges) for (const p of e.points) (p.x += dx), (p.y += dy);
  for (const c of block.clusters) (c.x += dx), (c.y += dy);
}

/**
 * Generators without edges, as a compact list in columns (their names only: a clan's many
 * generators that depend on nothing take little room beside its dependency chains).
 */
function gridBlock(nodes: GraphNode[], label: string | null, index: number, aspect = 1.6): Block {
  const sizes = nodes.map((n) => ({ id: n.id, ...compactSize(n) }));
  const meanW = sizes.reduce((sum, s) => sum + s.width, 0) / sizes.length;
  const cellH = Math.max(...sizes.map((s) => s.height));
  const columns = Math.min(nodes.length, Math.max(1, Math.round(Math.sqrt((nodes.length * cellH) / meanW) * Math.sqrt(1.6 * aspect))));
  // read down the columns, as a list; each column as wide as its widest name
  const rows = Math.ceil(nodes.length / columns);
  const top = label ? CLUSTER_LABEL + CLUSTER_PAD / 2 : 0;
  const left = label ? CLUSTER_PAD : 0;
  const boxes: NodeBox[] = [];
  let x = left;
  for (let c = 0; c * rows < sizes.length; c++) {
    const column = sizes.slice(c * rows, (c + 1) * rows);
    column.forEach((s, r) => boxes.push({ id: s.id, x: x + s.width / 2, y: top + r * (cellH + ROW_GAP) + cellH / 2, width: s.width, height: s.height, compact: true }));
    x += Math.max(...column.map((s) => s.width)) + COLUMN_GAP;
  }
  const width = x - COLUMN_GAP + left;
  const height = top + rows * cellH + (rows - 1) * ROW_GAP + (label ? CLUSTER_PAD : 0);
  const clusters = label ? [{ id: `m:${label}#${index}`, label, x: 0, y: 0, width, height }] : [];
  return { width, height, nodes: boxes, edges: [], clusters, weight: nodes.length };
}

export interface LayoutOptions {
  /** Width / height of the view: blocks are packed into rows for this shape. Clamped to 0.5–4; default 1.6. */
  aspect?: number;
}

const aspectOf = (options: LayoutOptions) => (typeof options.aspect === 'number' && Number.isFinite(options.aspect) ? Math.min(4, Math.max(0.5, options.aspect)) : 1.6);

/**
 * Everything the layout of `graph` depends on, as a string: each node's id, machine box and sizes
 * (as a box and as a compact row), each edge, in order, and the aspect. Two graphs with the same
 * key are laid out alike, so a graph whose states, problems or vars changed keeps its layout.
 */
export function layoutKey(graph: DependencyGraph, options: LayoutOptions = {}): string {
  const parts = [String(aspectOf(options))];
  for (const n of graph.nodes) {
    const box = nodeSize(n);
    const row = compactSize(n);
    parts.push(`${n.id}\t${clusterOf(n) ?? ''}\t${box.width}x${box.height}\t${row.width}x${row.height}`);
  }
  for (const e of graph.edges) parts.push(`${e.id}\t${e.from}\t${e.to}`);
  return parts.join('\n');
}

/** Lays out the whole graph. Never throws on well-formed data; edges to missing nodes are ignored. */
export function layoutGraph(graph: DependencyGraph, options: LayoutOptions = {}): GraphLayout {
  const aspect = aspectOf(options);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const valid = { ...graph, edges: graph.edges.filter((e) => byId.has(e.from) && byId.has(e.to)) };
  const blocks: Block[] = [];
  const loose = new Map<string, GraphNode[]>();
  /** A machine's own parts: its dependency chains that stay inside it, then its loose generators; one box around them. */
  const own = new Map<string, Block[]>();
  let index = 0;
  for (const ids of components(valid)) {
    const connected = ids.length > 1 || valid.edges.some((e) => e.from === ids[0] && e.to === ids[0]);
    const machines = new Set(ids.map((id) => clusterOf(byId.get(id)!)));
    const machine = machines.size === 1 ? [...machines][0] : null;
    if (connected && machine !== null) {
      own.set(machine, [...(own.get(machine) ?? []), layoutComponent(ids, valid, byId, index++, false)]);
      continue;
    }
    if (connected) {
      blocks.push(layoutComponent(ids, valid, byId, index++));
      continue;
    }
    const node = byId.get(ids[0])!;
    const key = clusterOf(node) ?? '';
    const list = loose.get(key) ?? [];
    list.push(node);
    loose.set(key, list);
  }
  for (const [key, nodes] of loose) if (key) own.set(key, [...(own.get(key) ?? []), gridBlock(nodes, null, index++, aspect)]);
  const machineBlocks = [...own].sort(([a], [b]) => (a < b ? -1 : 1)).map(([machine, parts]) => boxed(stack(parts), machine, index++));
  blocks.push(...machineBlocks);
  blocks.sort((a, b) => b.weight - a.weight || b.height - a.height);
  if (loose.get('')?.length) blocks.push(gridBlock(loose.get('')!, null, index++, aspect));
  return pack(blocks, aspect);
}

/** Blocks one under the other, left-aligned, as one block. */
function stack(parts: Block[]): Block {
  const out: Block = { width: 0, height: 0, nodes: [], edges: [], clusters: [], weight: 0 };
  for (const b of parts.sort((a, b) => b.weight - a.weight)) {
    if (out.weight > 0) out.height += GRID_GAP * 2;
    shift(b, 0, out.height);
    out.nodes.push(...b.nodes);
    out.edges.push(...b.edges);
    out.clusters.push(...b.clusters);
    out.width = Math.max(out.width, b.width);
    out.height += b.height;
    out.weight += b.weight;
  }
  return out;
}

/** A block inside one machine box, labelled. */
function boxed(b: Block, label: string, index: number): Block {
  shift(b, CLUSTER_PAD, CLUSTER_LABEL + CLUSTER_PAD / 2);
  const width = b.width + 2 * CLUSTER_PAD;
  const height = b.height + CLUSTER_LABEL + CLUSTER_PAD * 1.5;
  return { ...b, width, height, clusters: [{ id: `m:${label}#${index}`, label, x: 0, y: 0, width, height }, ...b.clusters] };
}

/** Shelf packing: blocks left to right in rows, the whole about `aspect` times as wide as tall. */
function pack(blocks: Block[], aspect: number): GraphLayout {
  const area = blocks.reduce((s, b) => s + (b.width + BLOCK_GAP) * (b.height + BLOCK_GAP), 0);
  const rowWidth = Math.max(...blocks.map((b) => b.width), Math.sqrt(area * aspect), 0);
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  const out: GraphLayout = { nodes: [], edges: [], clusters: [], width: 0, height: 0 };
  for (const b of blocks) {
    if (x > 0 && x + b.width > rowWidth) {
      y += rowHeight + BLOCK_GAP;
      x = 0;
      rowHeight = 0;
    }
    shift(b, x, y);
    out.nodes.push(...b.nodes);
    out.edges.push(...b.edges);
    out.clusters.push(...b.clusters);
    x += b.width + BLOCK_GAP;
    width = Math.max(width, x - BLOCK_GAP);
    rowHeight = Math.max(rowHeight, b.height);
  }
  out.width = Math.ceil(width);
  out.height = Math.ceil(y + rowHeight);
  return out;
}
