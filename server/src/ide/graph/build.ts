// Builds the dependency graph of one clan from its model: one node per generator name, an edge
// from a generator to each generator it depends on. Cycles and unknown dependencies come from the
// rules themselves (dependency-cycle, unknown-dependency), so the graph shows their exact messages.
import { fullMessage, type Problem } from '../../base/types';
import { problemsByGenerator } from '../generatorProblems';
import { type NameRef } from '../../syntax/syntax';
import { type Generator } from '../../facts/types';
import { dependencyCycle } from '../../rules/dependencyCycle';
import { unknownDependency } from '../../rules/unknownDependency';
import { computedNames } from '../../rules/generatorFacts';
import type { ClanModel } from '../../model/clanModel';
import type { DependencyGraph, GraphEdge, GraphNode, NodeState } from './types';
import type { StaleShape } from './lastGoodShape';
import { generatorView, livePlacements, whyText, type GeneratorView } from '../../model/generatorView/generatorView';

export const generatorNodeId = (name: string) => `g:${name}`;
const unknownNodeId = (name: string) => `u:${name}`;
const refKey = (file: string, ref: NameRef) => `${file}:${ref.range.start.line}:${ref.range.start.character}`;

function displayName(g: Generator): string {
  return g.name.name ?? g.name.pattern ?? '?';
}

/** A node's state over the machines that have it (the shared copy for a shared generator), from its generator view. */
function stateOf(view: GeneratorView): NodeState | undefined {
  const live = livePlacements(view).filter((p) => p.files.length > 0);
  if (live.length === 0) return undefined;
  const states = live.map((p) => p.state);
  if (states.every((s) => s === 'missing')) return 'missing';
  if (states.some((s) => s === 'missing' || s === 'partial')) return 'partial';
  // a secret whose store is not on this machine (password-store): no state to show
  if (states.includes('unknown')) return undefined;
  return states.includes('outdated') ? 'outdated' : 'generated';
}

/**
 * The graph of one clan. `problems` defaults to what the cycle and unknown-dependency rules find.
 * `stale`: generators shown as their file last parsed without errors (lastGoodShape.ts).
 */
export function buildDependencyGraph(clan: ClanModel, problems?: Problem[], stale: ReadonlyMap<string, StaleShape> = new Map()): DependencyGraph {
  const found = problems ?? [...safeCheck(() => dependencyCycle.check(clan)), ...safeCheck(() => unknownDependency.check(clan))];
  const messages = new Map<string, { code: string; message: string; severity: string }>();
  for (const p of found) {
    if (p.code !== 'dependency-cycle' && p.code !== 'unknown-dependency') continue;
    messages.set(`${p.file}:${p.range.start.line}:${p.range.start.character}`, { code: p.code, message: fullMessage(p), severity: p.severity });
  }

  const model = clan.machineModel();
  // a clan with no vars yet shows no states (every node would be "missing")
  const anyVars = safeCount(clan) > 0;
  const nodes = new Map<string, GraphNode>();
  for (const g of clan.generators) {
    const name = displayName(g);
    const id = generatorNodeId(name);
    let node = nodes.get(id);
    if (!node) {
      node = { id, name, kind: 'generator', shared: false, origin: 'none', machines: [], files: [], prompts: [], declarations: [] };
      nodes.set(id, node);
    }
    node.declarations.push({ file: g.file, range: g.name.range });
    if (node.origin !== 'module') node.origin = g.origin;
    const shape = stale.get(name);
    if (shape) node.stale = shape;
    if (g.name.name === null || shape) {
      // a computed name, or one its file's syntax error hides from the model: no view, what this declaration says
      if (g.share === true) node.shared = true;
      node.machines = [...new Set([...node.machines, ...model.machinesOfGenerator(g)])].sort();
      for (const f of g.files) if (!node.files.some((o) => o.name === f.name)) node.files.push({ name: f.name, secret: true, deploy: f.deploy !== false });
      for (const p of g.prompts) if (!node.prompts.includes(p.name)) node.prompts.push(p.name);
    } else if (node.declarations.length === 1) {
      fromView(node, generatorView(clan, g.name.name), anyVars);
    }
  }

  const edges = new Map<string, GraphEdge>();
  for (const g of clan.generators) {
    const from = generatorNodeId(displayName(g));
    for (const dep of g.dependencies) {
      if (dep.name === null) continue;
      const problem = messages.get(refKey(g.file, dep));
      // the edge's state is the rules' verdict: unresolved only where clan stops (an unknown-dependency error)
      const unresolved = problem?.code === 'unknown-dependency' && problem.severity === 'error';
      const view = clan.byName.has(dep.name) || unresolved ? null : generatorView(clan, dep.name);
      // a generator of the clan's files, or one a flake input or clan-core gives the machines
      const known = clan.byName.has(dep.name) || (view !== null && view.machines.length > 0);
      // else one of the clan's computed names (`*-mail` for "nextcloud-mail"): the rules accept it through them
      const computed = known || unresolved ? undefined : computedNames(clan).computed.find((c) => c.glob.test(dep.name!));
      const to = known ? generatorNodeId(dep.name) : computed ? generatorNodeId(displayName(computed.g)) : unknownNodeId(dep.name);
      if (!nodes.has(to)) {
        const node: GraphNode = { id: to, name: dep.name, kind: known ? 'generator' : unresolved ? 'unknown' : 'external', shared: false, origin: known ? 'input' : 'none', machines: [], files: [], prompts: [], declarations: [] };
        if (known && view) fromView(node, view, anyVars);
        nodes.set(to, node);
      }
      const target = nodes.get(to)!;
      if (unresolved) {
        target.kind = 'unknown';
        target.problems = [...new Set([...(target.problems ?? []), problem.message])];
      }
      const id = `${from}->${to}`;
      const existing = edges.get(id);
      if (existing) {
        if (problem && !existing.message) existing.message = problem.message;
        existing.cycle ||= problem?.code === 'dependency-cycle';
        continue;
      }
      edges.set(id, {
        id,
        from,
        to,
        cycle: problem?.code === 'dependency-cycle',
        unknown: unresolved,
        ...(problem ? { message: problem.message } : computed ? { message: `${dep.name}: one of the generators named ${displayName(computed.g)}` } : {}),
        declaration: { file: g.file, range: dep.range },
      });
    }
  }

  // the other errors and warnings of the Problems panel, on the generator they were found in: its
  // node is drawn in error and its details list them (cycle and unknown-dependency ones are on edges)
  const others = found.filter((p) => p.code !== 'dependency-cycle' && p.code !== 'unknown-dependency');
  for (const [name, list] of problemsByGenerator(clan, others)) {
    const node = nodes.get(generatorNodeId(name));
    if (!node) continue;
    node.problems = [...new Set([...(node.problems ?? []), ...list.map((p) => `${p.severity}: ${p.message}`)])];
    if (list.some((p) => p.severity === 'error')) node.severity = 'error';
    else node.severity ??= 'warning';
  }

  const machines = new Set<string>(clan.matrix?.facts.machines ?? []);
  for (const n of nodes.values()) for (const m of n.machines) machines.add(m);
  for (const m of model.machines.keys()) machines.add(m);
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    root: clan.root,
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.values()].sort(byId),
    machines: [...machines].sort(),
    namesOpen: clan.namesOpen,
  };
}

/** What a node shows of its generator's view: share, machines and why, files, prompts, state, where a flake input declares it. */
function fromView(node: GraphNode, view: GeneratorView, anyVars: boolean): void {
  node.shared = view.share;
  node.machines = view.machines;
  node.reaches = view.reaches.map((r) => ({ machine: r.machine, why: whyText(r.why) }));
  node.files = view.files.map((f) => ({ name: f.name, secret: f.secret !== false, deploy: f.deploy }));
  node.prompts = view.prompts.map((p) => p.name);
  if (node.origin === 'input') node.declaredIn = view.declaredIn;
  const state = anyVars ? safeState(view) : undefined;
  if (state) node.state = state;
}

function safeCheck(fn: () => Problem[]): Problem[] {
  try {
    return fn();
  } catch {
    return [];
  }
}

function safeCount(clan: ClanModel): number {
  try {
    return clan.varsOnDisk().vars.length;
  } catch {
    return 0;
  }
}

/** The state, or none when the vars folders cannot be read. */
function safeState(view: GeneratorView): NodeState | undefined {
  try {
    return stateOf(view);
  } catch {
    return undefined;
  }
}
