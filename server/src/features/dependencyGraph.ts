// The dependency graph requests: `clanVars/dependencyGraph` (the graph of one clan, filtered and laid
// out) and `clanVars/generatorAt` (which generator the editor's cursor is in, to follow it).
import { uriToFile } from '../convert';
import { buildDependencyGraph } from '../graph/build';
import { clanRoots, generatorAt } from '../graph/clanGraphs';
import { filterGraph } from '../graph/filter';
import { layoutGraph } from '../graph/layout';
import {
  DEPENDENCY_GRAPH_REQUEST,
  GENERATOR_AT_REQUEST,
  type DependencyGraphParams,
  type DependencyGraphResult,
} from '../protocol';
import type { WorkspaceAnalysis } from '../workspaceAnalysis';
import { onRequest, type Feature, type ServerContext } from './context';

function pickClan(ctx: ServerContext, params: DependencyGraphParams): { index: WorkspaceAnalysis | null; root: string | null } {
  const indexes = ctx.indexes();
  if (typeof params?.root === 'string') {
    const index = indexes.find((i) => clanRoots(i).some((r) => r.root === params.root));
    if (index) return { index, root: params.root };
  }
  const file = typeof params?.uri === 'string' ? uriToFile(params.uri) : null;
  if (file) {
    const index = ctx.indexFor(file);
    if (index.facts.size > 0 || indexes.includes(index)) return { index, root: index.clanRootOf(file) };
  }
  const best = indexes.map((index) => ({ index, top: clanRoots(index)[0] })).sort((a, b) => b.top.generators - a.top.generators)[0];
  return best ? { index: best.index, root: best.top.root } : { index: null, root: null };
}

export const dependencyGraph: Feature = {
  register(ctx) {
    onRequest(ctx, DEPENDENCY_GRAPH_REQUEST, 'dependency graph', (params): DependencyGraphResult => {
        const roots = ctx.indexes().flatMap(clanRoots);
        const { index, root } = pickClan(ctx, params ?? {});
        if (!index || !root) {
          const graph = { root: root ?? '', nodes: [], edges: [], machines: [], namesOpen: false };
          return { roots, graph, layout: layoutGraph(graph), total: 0 };
        }
        const clan = index.clan(root);
        const problems = [...index.allProblems().values()].flat().filter((p) => index.clanRootOf(p.file) === root);
        const full = buildDependencyGraph(clan, problems);
        const graph = filterGraph(full, params?.filter);
        const aspect = typeof params?.aspect === 'number' ? params.aspect : undefined;
        return { roots, graph, layout: layoutGraph(graph, { aspect }), total: full.nodes.filter((n) => n.kind === 'generator').length };
    });
    onRequest(ctx, GENERATOR_AT_REQUEST, 'generator at', (params) => {
        const file = typeof params?.uri === 'string' ? uriToFile(params.uri) : null;
        if (!file || typeof params.line !== 'number') return { name: null, root: null };
        const index = ctx.indexFor(file);
        const root = index.clanRootOf(file);
        return { name: generatorAt(index.clan(root), file, params.line), root };
    });
  },
};
