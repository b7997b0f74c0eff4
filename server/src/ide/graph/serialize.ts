// The dependency graph as text: Graphviz DOT, Mermaid flowchart and JSON. Generator names are
// untrusted text: nodes get generated ids (n0, n1, ...) and names appear only inside escaped labels,
// made printable first (base/printable.ts: no line break, control or bidi character).
import * as path from 'node:path';
import { printable, printableJson } from '../../base/printable';
import { clusterOf } from './layout';
import type { DependencyGraph, GraphNode } from './types';

export type GraphFormat = 'dot' | 'mermaid' | 'json';
export const GRAPH_FORMATS: GraphFormat[] = ['dot', 'mermaid', 'json'];

/** A DOT double-quoted string: backslashes and quotes escaped (so no `\n`, `\N`, `\G` escapes sneak in). */
export function dotString(text: string): string {
  return '"' + printable(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** Mermaid label text: everything but plain letters, digits and a few safe marks as `#code;` entities. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of printable(text)) out += /[A-Za-z0-9 ._\-/:@+=,]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

function fileLine(f: GraphNode['files'][number]): string {
  return `${f.secret ? 'secret' : 'public'}: ${f.name}${f.deploy ? '' : ' (not deployed)'}`;
}

function nodeLines(n: GraphNode): string[] {
  const tags: string[] = [];
  if (n.kind === 'unknown') tags.push('not declared');
  if (n.kind === 'external') tags.push('not found');
  if (n.shared) tags.push('shared');
  if (n.state) tags.push(n.state);
  return [n.name + (tags.length ? ` [${tags.join(', ')}]` : ''), ...n.files.map(fileLine)];
}

function ids(graph: DependencyGraph): Map<string, string> {
  return new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
}

function clusters(graph: DependencyGraph): Map<string, GraphNode[]> {
  const map = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const c = clusterOf(n);
    if (c === null) continue;
    const list = map.get(c) ?? [];
    list.push(n);
    map.set(c, list);
  }
  return map;
}

export function toDot(graph: DependencyGraph): string {
  const id = ids(graph);
  const out = ['digraph "clan vars generators" {', '  rankdir=TB;', '  node [shape=box, style=rounded, fontname="monospace", fontsize=10];', '  edge [arrowsize=0.7];'];
  const inCluster = new Set<string>();
  let c = 0;
  for (const [machine, nodes] of clusters(graph)) {
    out.push(`  subgraph cluster_${c++} {`, `    label=${dotString(machine)};`, '    style=dashed;');
    for (const n of nodes) {
      out.push(`    ${id.get(n.id)} [label=${dotLabel(n)}${nodeAttrs(n)}];`);
      inCluster.add(n.id);
    }
    out.push('  }');
  }
  for (const n of graph.nodes) if (!inCluster.has(n.id)) out.push(`  ${id.get(n.id)} [label=${dotLabel(n)}${nodeAttrs(n)}];`);
  for (const e of graph.edges) {
    const a = id.get(e.from);
    const b = id.get(e.to);
    if (!a || !b) continue;
    const attrs = e.cycle || e.unknown ? ` [color=red, fontcolor=red, penwidth=2${e.message ? `, tooltip=${dotString(e.message)}` : ''}]` : '';
    out.push(`  ${a} -> ${b}${attrs};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** Lines joined with DOT's `\l` (left-aligned line break); each line escaped on its own. */
function dotLabel(n: GraphNode): string {
  return '"' + nodeLines(n).map((l) => dotString(l).slice(1, -1)).join('\\l') + '\\l"';
}

function nodeAttrs(n: GraphNode): string {
  if (n.kind === 'unknown') return ', color=red, fontcolor=red, style="rounded,dashed"';
  if (n.kind === 'external') return ', style="rounded,dashed"';
  if (n.shared) return ', peripheries=2';
  return '';
}

export function toMermaid(graph: DependencyGraph): string {
  const id = ids(graph);
  const out = ['flowchart TD'];
  const node = (n: GraphNode) => `${id.get(n.id)}["${nodeLines(n).map(mermaidText).join('<br/>')}"]`;
  const inCluster = new Set<string>();
  let c = 0;
  for (const [machine, nodes] of clusters(graph)) {
    out.push(`  subgraph c${c++}["${mermaidText(machine)}"]`);
    for (const n of nodes) {
      out.push(`    ${node(n)}`);
      inCluster.add(n.id);
    }
    out.push('  end');
  }
  for (const n of graph.nodes) if (!inCluster.has(n.id)) out.push(`  ${node(n)}`);
  const errorLinks: number[] = [];
  let link = 0;
  for (const e of graph.edges) {
    const a = id.get(e.from);
    const b = id.get(e.to);
    if (!a || !b) continue;
    out.push(`  ${a} --> ${b}`);
    if (e.cycle || e.unknown) errorLinks.push(link);
    link++;
  }
  out.push('  classDef error stroke:#d32f2f,stroke-width:2px,color:#d32f2f', '  classDef shared stroke-width:3px');
  const errors = graph.nodes.filter((n) => n.kind === 'unknown').map((n) => id.get(n.id));
  if (errors.length) out.push(`  class ${errors.join(',')} error`);
  const shared = graph.nodes.filter((n) => n.shared).map((n) => id.get(n.id));
  if (shared.length) out.push(`  class ${shared.join(',')} shared`);
  if (errorLinks.length) out.push(`  linkStyle ${errorLinks.join(',')} stroke:#d32f2f,stroke-width:2px`);
  return out.join('\n') + '\n';
}

/** The graph as JSON, with declaration paths relative to the clan root. */
export function toJsonValue(graph: DependencyGraph): unknown {
  const rel = (file: string) => path.relative(graph.root, file) || path.basename(file);
  return {
    root: graph.root,
    machines: graph.machines,
    namesOpen: graph.namesOpen,
    nodes: graph.nodes.map((n) => ({ ...n, declarations: n.declarations.map((d) => ({ ...d, file: rel(d.file) })) })),
    edges: graph.edges.map((e) => ({ ...e, ...(e.declaration ? { declaration: { ...e.declaration, file: rel(e.declaration.file) } } : {}) })),
  };
}

export function serializeGraphs(graphs: DependencyGraph[], format: GraphFormat): string {
  if (format === 'json') return printableJson({ graphs: graphs.map(toJsonValue) }, 2) + '\n';
  const one = format === 'dot' ? toDot : toMermaid;
  return graphs.map((g) => (graphs.length > 1 ? `${format === 'dot' ? '//' : '%%'} clan: ${printable(g.root)}\n` : '') + one(g)).join('\n');
}
