// Custom requests for the vars view and clan runs: the state of vars on disk, a re-scan after clan
// wrote to disk, and the problems found in `clan vars check` output. The logic is in ../vars/.
import * as path from 'node:path';
import { CHECK_OUTPUT_REQUEST, RESCAN_VARS_REQUEST, REVEAL_TARGETS_REQUEST, VARS_STATUS_REQUEST } from '../protocol';
import { varsOnDisk } from '../../model/varsOnDisk';
import { checkProblems } from '../../ide/vars/checkProblems';
import { clanVarsStatus } from '../../ide/vars/varsStatus';
import type { WorkspaceAnalysis } from '../../rules/workspaceAnalysis';
import { clansOf, onRequest, type Feature, type ServerContext } from './context';

export function rootsOf(ctx: ServerContext, only?: string): { index: WorkspaceAnalysis; root: string }[] {
  const out: { index: WorkspaceAnalysis; root: string }[] = [];
  for (const { index, root } of clansOf(ctx).sort((a, b) => (a.root < b.root ? -1 : 1))) if (!only || path.resolve(only) === root) out.push({ index, root });
  if (only && out.length === 0) {
    const index = ctx.indexFor(path.join(only, 'flake.nix'));
    out.push({ index, root: index.clanRootOf(path.join(only, 'flake.nix')) });
  }
  return out;
}

export const varsStatusFeature: Feature = {
  register(ctx) {
    onRequest(ctx, VARS_STATUS_REQUEST, 'vars status', (params) => ({
      clans: rootsOf(ctx, params?.root).map(({ index, root }) => {
        const clan = index.clan(root);
        // what the Problems panel shows of this clan, on the generators it is found in
        const problems = [...index.allProblems().values()].flat().filter((p) => index.clanRootOf(p.file) === root);
        return clanVarsStatus(clan, problems);
      }),
    }));
    onRequest(ctx, REVEAL_TARGETS_REQUEST, 'reveal targets', (params) => ({
      targets: rootsOf(ctx, params?.root).flatMap(({ root }) => varsOnDisk(root).vars.map((v) => ({ root, ref: v.ref, kind: v.kind, path: v.path }))),
    }));
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
