// The dependency graph requests: `clanVars/dependencyGraph` (the graph of one clan, filtered and laid
// out) and `clanVars/generatorAt` (which generator the editor's cursor is in, to follow it).
import { uriToFile } from '../convert';
import { buildDependencyGraph } from '../../ide/graph/build';
import { lastGoodShape } from '../../ide/graph/lastGoodShape';
import { filterGraph } from '../../ide/graph/filter';
import { layoutGraph, layoutKey } from '../../ide/graph/layout';
import type { DependencyGraph, GraphLayout } from '../../ide/graph/types';
import { generatorAt } from '../../ide/symbolAt';
import {
  DEPENDENCY_GRAPH_REQUEST,
  GENERATOR_AT_REQUEST,
  type DependencyGraphParams,
  type DependencyGraphResult,
} from '../protocol';
import type { WorkspaceAnalysis } from '../../rules/workspaceAnalysis';
import { clansOf, onRequest, type Feature, type ServerContext } from './context';

function pickClan(ctx: ServerContext, params: DependencyGraphParams): { index: WorkspaceAnalysis | null; root: string | null } {
  const clans = clansOf(ctx);
  const named = typeof params?.root === 'string' ? clans.find((c) => c.root === params.root) : undefined;
  if (named) return named;
  const file = typeof params?.uri === 'string' ? uriToFile(params.uri) : null;
  if (file) {
    const index = ctx.indexFor(file);
    if (index.facts.size > 0 || ctx.indexes().includes(index)) return { index, root: index.clanRootOf(file) };
  }
  return clans[0] ?? { index: null, root: null };
}

export const dependencyGraph: Feature = {
  register(ctx) {
    // the last layout, kept while the graph's shape is the same: an edit that changes no node's size,
    // machine or edges (a script, a state, a problem) is answered without laying the graph out again
    let kept: { key: string; layout: GraphLayout } | null = null;
    const laidOut = (graph: DependencyGraph, aspect: number | undefined): GraphLayout => {
      const key = layoutKey(graph, { aspect });
      if (kept?.key !== key) kept = { key, layout: layoutGraph(graph, { aspect }) };
      return kept.layout;
    };
    onRequest(ctx, DEPENDENCY_GRAPH_REQUEST, 'dependency graph', (params): DependencyGraphResult => {
        const roots = clansOf(ctx).map(({ root, generators }) => ({ root, generators }));
        const { index, root } = pickClan(ctx, params ?? {});
        if (!index || !root) {
          const graph = { root: root ?? '', nodes: [], edges: [], machines: [], namesOpen: false };
          return { roots, graph, layout: layoutGraph(graph), total: 0 };
        }
        // a file being typed with a syntax error keeps its last good shape (its findings after the error are of the broken text)
        const { clan, stale, broken } = lastGoodShape(index.clan(root), (file) => index.lastGoodGenerators(file));
        const problems = [...index.allProblems().values()].flat().filter((p) => index.clanRootOf(p.file) === root && !broken(p));
        const full = buildDependencyGraph(clan, problems, stale);
        const graph = filterGraph(full, params?.filter);
        const aspect = typeof params?.aspect === 'number' ? params.aspect : undefined;
        return { roots, graph, layout: laidOut(graph, aspect), total: full.nodes.filter((n) => n.kind === 'generator').length };
    });
    onRequest(ctx, GENERATOR_AT_REQUEST, 'generator at', (params) => {
        const file = typeof params?.uri === 'string' ? uriToFile(params.uri) : null;
        if (!file || typeof params.line !== 'number') return { name: null, root: null };
        const index = ctx.indexFor(file);
        const root = index.clanRootOf(file);
        return { name: generatorAt(index.clan(root).files.get(file), params.line), root };
    });
  },
};
