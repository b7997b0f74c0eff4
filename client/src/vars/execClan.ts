// Runs clan without a terminal (`clan vars check`, `clan vars set` with the value on stdin) and
// collects its output. argv array only, no shell. Plain node: no vscode import.
import { execFile } from 'node:child_process';
import { findExecutable } from './commandLine';

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** argv[0] could not be started (ENOENT / EACCES). */
  notFound: boolean;
  error?: string;
}

export function execClan(argv: string[], cwd: string, options: { input?: string | Uint8Array; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ExecResult> {
  // the program findExecutable finds (never through a relative PATH entry, which execFile would take
  // from `cwd`, the clan's folder), started by its path
  const program = findExecutable(argv[0], options.env ?? process.env, cwd);
  if (!program) return Promise.resolve({ exitCode: null, stdout: '', stderr: '', notFound: true, error: `'${argv[0]}' was not found` });
  return new Promise((resolve) => {
    let child;
    try {
      child = execFile(
        program,
        argv.slice(1),
        { cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 10 * 60_000, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { code?: string | number; killed?: boolean }) | null;
          const notFound = !!e && (e.code === 'ENOENT' || e.code === 'EACCES');
          const exitCode = e ? (typeof e.code === 'number' ? e.code : null) : 0;
          resolve({ exitCode, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), notFound, error: e && exitCode === null ? e.message : undefined });
        },
      );
    } catch (e) {
      resolve({ exitCode: null, stdout: '', stderr: '', notFound: false, error: (e as Error).message });
      return;
    }
    child.stdin?.on('error', () => {}); // the process may exit before reading its input
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
