// The fetch-inputs command without the editor: whether it may run and with which argv and
// environment (server/src/actions/fetchPlan.ts, shared with the checker), and how `nix flake archive`
// is started for the runner (a child process; its stderr goes to the log line by line, its last
// lines to the failure message). Plain node: no vscode import, so tests run it.
import { archiveFailure, startArchive, type ArchiveResult } from '../../../server/src/actions/fetchInputs';
import { planArchive } from '../../../server/src/actions/fetchPlan';
import type { FlakeNixReader } from '../../../server/src/actions/inputsNixMayFetch';
import type { LocalInput } from '../../../server/src/actions/localInputs';
import type { Launcher, RunRequest } from './clanRunner';

export const FETCH_LABEL = 'fetch flake inputs';

export interface FetchPlan {
  run: RunRequest;
  /** nix's environment (its PATH, git's overrides). */
  env: NodeJS.ProcessEnv;
  /** Inputs on this disk outside the clan: the user is asked before nix copies them into the store. */
  outside: LocalInput[];
}

/**
 * The run for a clan root, or why nothing runs: an untrusted workspace, no nix outside the clan, a
 * repository that names programs for git. `flakeNixRefs` reads flake.nix (the language server's, in the editor).
 */
export async function planFetch(root: string, trusted: boolean, flakeNixRefs: FlakeNixReader, env: NodeJS.ProcessEnv = process.env): Promise<FetchPlan | { refuse: string }> {
  if (!trusted) return { refuse: 'fetching flake inputs is disabled in an untrusted workspace (nix reads the flake, and fetches what it names). Trust the workspace to enable it.' };
  const plan = await planArchive(root, env, { flakeNixRefs });
  if ('refuse' in plan) return plan;
  const { argv, cwd, env: childEnv, unnamed } = plan.run;
  return { run: { argv, cwd, label: FETCH_LABEL }, env: childEnv, outside: unnamed };
}

/**
 * A launcher that runs the argv as a child process with `env`. `onLine` gets each stderr line;
 * `result` holds the last run's outcome (stdout, stderr tail) once it ended.
 */
export function archiveLauncher(onLine: (line: string) => void, env: NodeJS.ProcessEnv = process.env): { launch: Launcher; result: () => ArchiveResult | undefined } {
  let last: ArchiveResult | undefined;
  const launch: Launcher = (argv, cwd) => {
    last = undefined;
    const run = startArchive(argv, cwd, onLine, env);
    const exit = run.done.then((r) => {
      last = r;
      if (r.exitCode === null && (r.notFound || r.error)) throw new Error(archiveFailure(r, argv[0]));
      return r.exitCode ?? undefined;
    });
    return { exit, cancel: run.cancel };
  };
  return { launch, result: () => last };
}
