// Custom requests for the vars view and clan runs: the state of vars on disk, a re-scan after clan
// wrote to disk, and the problems found in `clan vars check` output. The logic is in ../vars/.
import * as path from 'node:path';
import { CHECK_OUTPUT_REQUEST, RESCAN_VARS_REQUEST, VARS_STATUS_REQUEST } from '../protocol';
import { checkProblems } from '../vars/checkProblems';
import { clanVarsStatus } from '../vars/varsStatus';
import type { WorkspaceAnalysis } from '../workspaceAnalysis';
import { onRequest, type Feature, type ServerContext } from './context';

/** Every clan root of an index (the folder itself when it has no flake.nix). */
export function clanRoots(index: WorkspaceAnalysis): string[] {
  const roots = new Set<string>();
  for (const file of index.facts.keys()) roots.add(index.clanRootOf(file));
  if (roots.size === 0) roots.add(index.folder);
  return [...roots].sort();
}

export function rootsOf(ctx: ServerContext, only?: string): { index: WorkspaceAnalysis; root: string }[] {
  const out: { index: WorkspaceAnalysis; root: string }[] = [];
  for (const index of ctx.indexes()) for (const root of clanRoots(index)) if (!only || path.resolve(only) === root) out.push({ index, root });
  if (only && out.length === 0) {
    const index = ctx.indexFor(path.join(only, 'flake.nix'));
    out.push({ index, root: index.clanRootOf(path.join(only, 'flake.nix')) });
  }
  return out;
}

export const varsStatusFeature: Feature = {
  register(ctx) {
    onRequest(ctx, VARS_STATUS_REQUEST, 'vars status', (params) => ({ clans: rootsOf(ctx, params?.root).map(({ index, root }) => clanVarsStatus(index.clan(root))) }));
    onRequest(ctx, RESCAN_VARS_REQUEST, 'rescan vars', (params) => {
      for (const { index, root } of rootsOf(ctx, params?.root)) index.varsChanged(path.join(root, 'vars', '.rescan'));
      ctx.schedulePublish();
      return { ok: true };
    });
    onRequest(ctx, CHECK_OUTPUT_REQUEST, 'check output', (params) => {
      const [first] = rootsOf(ctx, params.root);
      return checkProblems(first.index.clan(first.root), String(params.output ?? ''));
    });
  },
};
