// The legend: one entry for each way of drawing that the graph on screen uses, and no other.
// The entries are worked out from the graph and its layout, the same data the drawing comes from
// (render.ts), so that a state, mark or box never appears without its meaning or the other way round.
import { MAX_FILES } from '../../server/src/ide/graph/nodeMetrics';
import type { DependencyGraph, GraphLayout, NodeState } from '../../server/src/ide/graph/types';
import { h } from './dom';

/** An encoding's key: also the legend entry's class (`legend-<key>`) and its `data-encoding`. */
export type Encoding =
  | `state-${NodeState}`
  | 'state-none'
  | 'error'
  | 'warning'
  | 'unknown'
  | 'external'
  | 'stale'
  | 'shared'
  | 'secret'
  | 'public'
  | 'edge-error'
  | 'machine'
  | 'unboxed';

const LABELS: Record<Encoding, string> = {
  'state-generated': 'generated',
  'state-partial': 'partly generated',
  'state-missing': 'not generated',
  'state-outdated': 'outdated',
  'state-none': 'no bar: state not known',
  error: 'errors',
  warning: 'warnings',
  unknown: 'not declared',
  external: 'dashed: may be declared elsewhere',
  stale: 'dashed: as last parsed',
  shared: 'double border: shared',
  secret: 'secret file',
  public: 'public file',
  'edge-error': 'cycle / unknown dependency',
  machine: 'box: one machine',
  unboxed: 'outside boxes: shared, on several machines or none',
};

/** The encodings the drawing of `graph` laid out as `layout` uses, in the legend's order. */
export function encodingsOf(graph: DependencyGraph, layout: GraphLayout): Encoding[] {
  const drawn = new Set(layout.nodes.map((b) => b.id));
  const compact = new Set(layout.nodes.filter((b) => b.compact).map((b) => b.id));
  const nodes = graph.nodes.filter((n) => drawn.has(n.id));
  const used = new Set<Encoding>();
  for (const n of nodes) {
    if (n.kind === 'generator') used.add(n.state ? `state-${n.state}` : 'state-none');
    else used.add(n.kind === 'unknown' ? 'unknown' : 'external');
    if (n.severity) used.add(n.severity);
    if (n.stale) used.add('stale');
    if (n.shared) used.add('shared');
    // file lines are drawn only in full boxes, not in the compact rows of a machine's list
    if (!compact.has(n.id)) for (const f of n.files.slice(0, MAX_FILES)) used.add(f.secret ? 'secret' : 'public');
  }
  const inside = (b: GraphLayout['nodes'][number]) => layout.clusters.some((c) => b.x >= c.x && b.x <= c.x + c.width && b.y >= c.y && b.y <= c.y + c.height);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  if (layout.nodes.some((b) => byId.get(b.id)?.kind === 'generator' && !inside(b))) used.add('unboxed');
  if (graph.edges.some((e) => (e.cycle || e.unknown) && drawn.has(e.from) && drawn.has(e.to))) used.add('edge-error');
  if (layout.clusters.length) used.add('machine');
  return (Object.keys(LABELS) as Encoding[]).filter((k) => used.has(k));
}

/** Fills the legend element with the entries for `encodings`. */
export function renderLegend(legend: HTMLElement, encodings: Encoding[]): void {
  legend.replaceChildren(...encodings.map((k) => h('span', { class: `legend-entry legend-${k}`, 'data-encoding': k }, LABELS[k])));
}
