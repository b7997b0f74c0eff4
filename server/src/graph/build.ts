// Builds the dependency graph of one clan from its model: one node per generator name, an edge
// from a generator to each generator it depends on. Cycles and unknown dependencies come from the
// rules themselves (dependency-cycle, unknown-dependency), so the graph shows their exact messages.
import { fullMessage, type Generator, type NameRef, type Problem } from '../model/types';
import { dependencyCycle } from '../rules/dependencyCycle';
import { unknownDependency } from '../rules/unknownDependency';
import type { ClanModel } from '../model/clanModel';
import type { DependencyGraph, GraphEdge, GraphFile, GraphNode, NodeState } from './types';

export const generatorNodeId = (name: string) => `g:${name}`;
const unknownNodeId = (name: string) => `u:${name}`;
const refKey = (file: string, ref: NameRef) => `${file}:${ref.range.start.line}:${ref.range.start.character}`;

function displayName(g: Generator): string {
  return g.name.name ?? g.name.pattern ?? '?';
}

function filesOf(g: Generator): GraphFile[] {
  return g.files.map((f) => {
    const secretOption = g.options.find((o) => o.path.length === 3 && o.path[0] === 'files' && o.path[1] === f.name && o.path[2] === 'secret');
    return { name: f.name, secret: secretOption?.literal !== false, deploy: f.deploy !== false };
  });
}

/** Machines that receive each registry generator through the matrix. */
function matrixMachines(clan: ClanModel): Map<string, Set<string>> {
  const byGenerator = new Map<string, Set<string>>();
  if (!clan.registry || !clan.matrix) return byGenerator;
  const generatorOfKey = new Map<string, string>();
  for (const e of clan.registry.facts.entries) if (e.generator?.name) generatorOfKey.set(e.key, e.generator.name);
  for (const k of clan.matrix.facts.keys) {
    const g = generatorOfKey.get(k.key);
    if (!g) continue;
    const set = byGenerator.get(g) ?? new Set<string>();
    for (const m of k.machines) set.add(m);
    byGenerator.set(g, set);
  }
  return byGenerator;
}

function stateOf(node: GraphNode, present: Set<string>): NodeState | undefined {
  if (node.files.length === 0) return undefined;
  const owners = node.shared ? [''] : node.machines.length ? node.machines : null;
  let found = 0;
  let wanted = 0;
  for (const f of node.files) {
    if (owners === null) {
      wanted++;
      if (present.has(`*\0${node.name}\0${f.name}`)) found++;
      continue;
    }
    for (const m of owners) {
      wanted++;
      if (present.has(`${m}\0${node.name}\0${f.name}`)) found++;
    }
  }
  return found === 0 ? 'missing' : found === wanted ? 'generated' : 'partial';
}

/** The graph of one clan. `problems` defaults to what the cycle and unknown-dependency rules find. */
export function buildDependencyGraph(clan: ClanModel, problems?: Problem[]): DependencyGraph {
  const found = problems ?? [...safeCheck(() => dependencyCycle.check(clan)), ...safeCheck(() => unknownDependency.check(clan))];
  const messages = new Map<string, { code: string; message: string }>();
  for (const p of found) {
    if (p.code !== 'dependency-cycle' && p.code !== 'unknown-dependency') continue;
    messages.set(`${p.file}:${p.range.start.line}:${p.range.start.character}`, { code: p.code, message: fullMessage(p) });
  }

  const model = clan.machineModel();
  const viaMatrix = matrixMachines(clan);
  const onDisk = safeDisk(clan);
  const diskMachines = new Map<string, Set<string>>();
  for (const v of onDisk?.vars ?? []) {
    if (v.ref.machine === null) continue;
    const set = diskMachines.get(v.ref.generator) ?? new Set<string>();
    set.add(v.ref.machine);
    diskMachines.set(v.ref.generator, set);
  }

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
    if (g.share === true) node.shared = true;
    if (node.origin !== 'module') node.origin = g.origin;
    const machines = new Set(node.machines);
    for (const x of model.machinesOfGenerator(g)) machines.add(x);
    for (const x of viaMatrix.get(name) ?? []) machines.add(x);
    for (const x of diskMachines.get(name) ?? []) machines.add(x);
    node.machines = [...machines].sort();
    for (const f of filesOf(g)) if (!node.files.some((o) => o.name === f.name)) node.files.push(f);
    for (const p of g.prompts) if (!node.prompts.includes(p.name)) node.prompts.push(p.name);
  }

  // Registry generators list their file through the entry's `fileAttr`, when it is written.
  for (const e of clan.registry?.facts.entries ?? []) {
    const node = e.generator?.name ? nodes.get(generatorNodeId(e.generator.name)) : undefined;
    if (node && node.files.length === 0 && e.fileAttr) node.files.push({ name: e.fileAttr, secret: e.secret !== false, deploy: true });
  }

  const edges = new Map<string, GraphEdge>();
  for (const g of clan.generators) {
    const from = generatorNodeId(displayName(g));
    for (const dep of g.dependencies) {
      if (dep.name === null) continue;
      const known = clan.byName.has(dep.name);
      const problem = messages.get(refKey(g.file, dep));
      const to = known ? generatorNodeId(dep.name) : unknownNodeId(dep.name);
      if (!known && !nodes.has(to)) {
        const kind = problem?.code === 'unknown-dependency' ? 'unknown' : 'external';
        nodes.set(to, { id: to, name: dep.name, kind, shared: false, origin: 'none', machines: [], files: [], prompts: [], declarations: [] });
      }
      const target = nodes.get(to)!;
      if (problem?.code === 'unknown-dependency') {
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
        unknown: !known,
        ...(problem ? { message: problem.message } : {}),
        declaration: { file: g.file, range: dep.range },
      });
    }
  }

  if (onDisk && onDisk.vars.length > 0) {
    const present = new Set<string>();
    for (const v of onDisk.vars) {
      present.add(`${v.ref.machine ?? ''}\0${v.ref.generator}\0${v.ref.file}`);
      present.add(`*\0${v.ref.generator}\0${v.ref.file}`);
    }
    for (const n of nodes.values()) if (n.kind === 'generator') {
      const s = stateOf(n, present);
      if (s) n.state = s;
    }
  }

  const machines = new Set<string>(clan.matrix?.facts.machines ?? []);
  for (const n of nodes.values()) for (const m of n.machines) machines.add(m);
  for (const m of onDisk?.machines ?? []) machines.add(m);
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    root: clan.root,
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.values()].sort(byId),
    machines: [...machines].sort(),
    namesOpen: clan.namesOpen,
  };
}

function safeCheck(fn: () => Problem[]): Problem[] {
  try {
    return fn();
  } catch {
    return [];
  }
}

function safeDisk(clan: ClanModel) {
  try {
    return clan.varsOnDisk();
  } catch {
    return null;
  }
}
