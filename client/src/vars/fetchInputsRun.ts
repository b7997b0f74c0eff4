// The fetch-inputs command without the editor: whether it may run and with which argv, and how
// `nix flake archive` is started for the runner (a child process; its stderr goes to the log line
// by line, its last lines to the failure message). Plain node: no vscode import, so tests run it.
import { archiveFailure, fetchInputsArgv, startArchive, type ArchiveResult } from '../../../server/src/inputs/fetchInputs';
import type { Launcher, RunRequest } from './clanRunner';
import { findExecutable } from './commandLine';

export const FETCH_LABEL = 'fetch flake inputs';

/** The run for a clan root, or why nothing runs: an untrusted workspace, or no nix on PATH. */
export function planFetch(root: string, trusted: boolean, env: NodeJS.ProcessEnv = process.env): { run: RunRequest } | { refuse: string } {
  if (!trusted) return { refuse: 'fetching flake inputs is disabled in an untrusted workspace (nix reads the flake, and fetches what it names). Trust the workspace to enable it.' };
  const argv = fetchInputsArgv();
  if (!findExecutable(argv[0], env, root)) return { refuse: `'${argv[0]}' was not found on PATH: fetching the flake inputs needs Nix (with flakes). Install it, or run 'nix flake archive' yourself.` };
  return { run: { argv, cwd: root, label: FETCH_LABEL } };
}

/**
 * A launcher that runs the argv as a child process. `onLine` gets each stderr line; `result` holds
 * the last run's outcome (stdout, stderr tail) once it ended.
 */
export function archiveLauncher(onLine: (line: string) => void): { launch: Launcher; result: () => ArchiveResult | undefined } {
  let last: ArchiveResult | undefined;
  const launch: Launcher = (argv, cwd) => {
    last = undefined;
    const run = startArchive(argv, cwd, onLine);
    const exit = run.done.then((r) => {
      last = r;
      if (r.exitCode === null && (r.notFound || r.error)) throw new Error(archiveFailure(r, argv[0]));
      return r.exitCode ?? undefined;
    });
    return { exit, cancel: run.cancel };
  };
  return { launch, result: () => last };
}
