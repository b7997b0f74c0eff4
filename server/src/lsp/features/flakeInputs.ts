// Custom requests for the clan's flake inputs: which are not on this machine (and the machines they
// leave open), reading them again once `nix flake archive` fetched them, without a restart, and the
// paths a flake.nix names for the client's fetch plan.
import * as path from 'node:path';
import { flakeNixRefs } from '../../actions/flakeNixRefs';
import { MAX_FLAKE_NIX_BYTES } from '../../actions/inputsNixMayFetch';
import { inputsStatus } from '../../model/inputsStatus';
import { FLAKE_NIX_REFS_REQUEST, INPUTS_STATUS_REQUEST, RELOAD_INPUTS_REQUEST } from '../protocol';
import type { WorkspaceAnalysis } from '../../rules/workspaceAnalysis';
import { onRequest, type Feature } from './context';
import { rootsOf } from './varsStatus';

function statusOf(index: WorkspaceAnalysis, root: string) {
  return inputsStatus(root, index.clan(root).machineModel());
}

export const flakeInputsFeature: Feature = {
  register(ctx) {
    onRequest(ctx, INPUTS_STATUS_REQUEST, 'inputs status', (params) => ({
      clans: rootsOf(ctx, params?.root).map(({ index, root }) => statusOf(index, root)),
    }));
    onRequest(ctx, RELOAD_INPUTS_REQUEST, 'reload inputs', (params) => {
        const clans = rootsOf(ctx, params?.root).map(({ index, root }) => {
          index.external.forget(root, index.getSettings().clanCorePath);
          // as when flake.lock changes on disk: the clan's module structure is built again
          index.structureFileChanged(path.join(root, 'flake.lock'));
          return statusOf(index, root);
        });
        ctx.schedulePublish();
        return { clans };
    });
    onRequest(ctx, FLAKE_NIX_REFS_REQUEST, 'flake.nix refs', async (params) => {
      const text = typeof params?.text === 'string' ? params.text : '';
      return { refs: text.length > MAX_FLAKE_NIX_BYTES ? null : await flakeNixRefs(text) };
    });
  },
};
