// Draws a laid-out graph as SVG. Every piece of text from the workspace goes through textContent
// (never markup), so a generator called `<img src=x onerror=...>` is just those characters.
import { COMPACT_PADDING_Y, compactTitle, fit, LINE_HEIGHT, MAX_FILES, metaLine, nodeText, PADDING_X, PADDING_Y, TITLE_HEIGHT } from '../../server/src/ide/graph/nodeMetrics';
import type { DependencyGraph, EdgePath, GraphEdge, GraphLayout, GraphNode, NodeBox, Point } from '../../server/src/ide/graph/types';

const SVG = 'http://www.w3.org/2000/svg';

export function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export { metaLine };

/** A smooth path through dagre's points: straight ends, quadratic bends at the inner points. */
export function edgePath(points: Point[]): string {
  if (points.length === 0) return '';
  const r = (v: number) => Math.round(v * 10) / 10;
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const q = points[i + 1];
    const mid = i === points.length - 2 ? q : { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    d += ` Q${r(p.x)},${r(p.y)} ${r(mid.x)},${r(mid.y)}`;
  }
  if (points.length === 2) d += ` L${r(points[1].x)},${r(points[1].y)}`;
  return d;
}

export function addMarkers(svg: SVGSVGElement): void {
  const defs = el('defs');
  for (const kind of ['normal', 'error', 'active']) {
    const marker = el('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead arrowhead--${kind}` }));
    defs.append(marker);
  }
  svg.append(defs);
}

function nodeClasses(n: GraphNode): string {
  const c = ['node', `node--${n.kind}`];
  if (n.shared) c.push('node--shared');
  if (n.state) c.push(`node--state-${n.state}`);
  if (n.severity) c.push(`node--${n.severity}`);
  if (n.stale) c.push('node--stale');
  return c.join(' ');
}

function drawNode(n: GraphNode, box: NodeBox): SVGGElement {
  const x = box.x - box.width / 2;
  const y = box.y - box.height / 2;
  const g = el('g', { class: nodeClasses(n), transform: `translate(${x},${y})`, 'data-id': n.id, tabindex: -1, role: 'button' });
  g.setAttribute('aria-label', `${n.kind === 'generator' ? 'generator' : 'missing generator'} ${n.name}, ${metaLine(n)}${n.severity ? `, with ${n.severity === 'error' ? 'errors' : 'warnings'} (see its details)` : ''}`);
  g.append(el('title', {}, [n.name, ...(box.compact ? [metaLine(n), ...n.files.map((f) => `${f.secret ? 'secret' : 'public'} ${f.name}`)] : []), ...(n.stale ? [`as last parsed: a syntax error at line ${n.stale.line + 1}`] : []), ...(n.problems ?? [])].join('\n')));
  g.append(el('rect', { class: 'node-box', width: box.width, height: box.height, rx: 6 }));
  if (n.shared) g.append(el('rect', { class: 'node-inner', x: 3, y: 3, width: box.width - 6, height: box.height - 6, rx: 4 }));
  if (n.state) g.append(el('rect', { class: 'node-state', x: 0, y: 6, width: 4, height: box.height - 12, rx: 2 }));
  if (n.severity) g.append(severityBadge(n.severity, box.width));
  if (box.compact) {
    // a row of its machine's list: the name only (machines, files and problems in the tooltip and details)
    g.classList.add('node--compact');
    compactTitle(n, box.width).forEach((line, i) => g.append(el('text', { class: 'node-title', x: PADDING_X, y: COMPACT_PADDING_Y + (i + 1) * LINE_HEIGHT - 4 }, line)));
    return g;
  }
  // Text is wrapped, never cut: the layout sized the box for these same lines (nodeMetrics).
  const text = nodeText(n, box.width);
  let baseline = PADDING_Y + TITLE_HEIGHT - 6;
  text.title.forEach((line, i) => {
    if (i > 0) baseline += LINE_HEIGHT;
    g.append(el('text', { class: 'node-title', x: PADDING_X, y: baseline }, line));
  });
  for (const [lines, cls] of [[text.meta, 'node-meta'], [text.hint, 'node-meta node-hint']] as const) {
    for (const line of lines) {
      baseline += LINE_HEIGHT;
      g.append(el('text', { class: cls, x: PADDING_X, y: baseline }, line));
    }
  }
  text.files.forEach((line, i) => {
    baseline += LINE_HEIGHT;
    const file = i < Math.min(n.files.length, MAX_FILES) ? n.files[i] : undefined;
    const kind = file ? (file.secret ? 'secret' : 'public') : 'more';
    if (file?.secret) g.append(el('rect', { class: 'file-mark file-mark--secret', x: PADDING_X, y: baseline - 8, width: 7, height: 7, rx: 1 }));
    else if (file) g.append(el('circle', { class: 'file-mark file-mark--public', cx: PADDING_X + 3.5, cy: baseline - 4.5, r: 3.5 }));
    g.append(el('text', { class: `node-file node-file--${kind}`, x: PADDING_X + 12, y: baseline }, line));
  });
  return g;
}

/**
 * The mark of a node with errors or warnings, on its right border beside the name: a circle with a cross
 * (error) or a triangle with an exclamation mark (warning), as in the Problems panel. The shape
 * tells them apart without colour; the fill is the theme's error or warning colour, made lighter or
 * darker so that the two marks and the node stand apart at 3:1 (statusColours.ts).
 */
function severityBadge(severity: 'error' | 'warning', width: number): SVGGElement {
  const g = el('g', { class: `node-badge node-badge--${severity}`, transform: `translate(${width},12)`, 'aria-hidden': 'true' });
  if (severity === 'error') {
    g.append(el('circle', { class: 'node-badge-shape', r: 7.5 }));
    g.append(el('path', { class: 'node-badge-glyph', d: 'M-3,-3 L3,3 M3,-3 L-3,3' }));
  } else {
    g.append(el('path', { class: 'node-badge-shape', d: 'M0,-8 L8.5,7 L-8.5,7 Z' }));
    g.append(el('path', { class: 'node-badge-glyph', d: 'M0,-3.5 L0,1.5 M0,3.8 L0,4.2' }));
  }
  return g;
}

function drawEdge(e: GraphEdge, path: EdgePath): SVGGElement {
  const error = e.cycle || e.unknown;
  const g = el('g', { class: `edge${error ? ' edge--error' : ''}`, 'data-id': e.id, 'data-from': e.from, 'data-to': e.to });
  if (e.message) g.append(el('title', {}, e.message));
  const d = edgePath(path.points);
  g.append(el('path', { class: 'edge-hit', d }));
  g.append(el('path', { class: 'edge-line', d, 'marker-end': `url(#arrow-${error ? 'error' : 'normal'})` }));
  return g;
}

export interface Drawn {
  nodes: Map<string, SVGGElement>;
  edges: Map<string, SVGGElement>;
  boxes: Map<string, NodeBox>;
}

/** Replaces the content of `layer` with the graph. */
export function drawGraph(layer: SVGGElement, graph: DependencyGraph, layout: GraphLayout): Drawn {
  layer.replaceChildren();
  const clusters = el('g', { class: 'clusters' });
  for (const c of layout.clusters) {
    const g = el('g', { class: 'cluster' });
    g.append(el('rect', { x: c.x, y: c.y, width: c.width, height: c.height, rx: 8 }));
    g.append(el('text', { class: 'cluster-label', x: c.x + 10, y: c.y + 15 }, fit(c.label, Math.floor(c.width / 7))));
    clusters.append(g);
  }
  const edgesLayer = el('g', { class: 'edges' });
  const nodesLayer = el('g', { class: 'nodes' });
  const byEdge = new Map(graph.edges.map((e) => [e.id, e]));
  const byNode = new Map(graph.nodes.map((n) => [n.id, n]));
  const drawn: Drawn = { nodes: new Map(), edges: new Map(), boxes: new Map() };
  for (const p of layout.edges) {
    const e = byEdge.get(p.id);
    if (!e) continue;
    const g = drawEdge(e, p);
    drawn.edges.set(e.id, g);
    edgesLayer.append(g);
  }
  // Nodes in reading order (rows, then columns) so that Tab follows the picture.
  const boxes = [...layout.nodes].sort((a, b) => Math.round(a.y / 40) - Math.round(b.y / 40) || a.x - b.x);
  for (const box of boxes) {
    const n = byNode.get(box.id);
    if (!n) continue;
    const g = drawNode(n, box);
    drawn.nodes.set(n.id, g);
    drawn.boxes.set(n.id, box);
    nodesLayer.append(g);
  }
  layer.append(clusters, edgesLayer, nodesLayer);
  return drawn;
}
