// Fetching a clan's flake inputs into the Nix store with `nix flake archive --json`, so that the
// model reads them (model/flakeInputs.ts finds each locked input at the store path of its
// narHash). One argv and one way to run it for the editor command and `clan-vars-lint
// --fetch-inputs`; whether it may run, and with which nix and environment, is fetchPlan.ts's.
// Plain node: no vscode import. nix gets an argv, never a shell string; what it prints is data
// (JSON read for names only), never code.
import { spawn } from 'node:child_process';

/**
 * `nix flake archive --json` in the clan's folder copies the flake and every input its lock locks,
 * recursively, into the store. `nix` is an absolute path (fetchPlan.ts finds it). The flags enable
 * the flake commands where nix.conf does not (harmless where it does); keep the flake's nixConfig
 * from being applied, whatever nix.conf says; and keep nix to the lock as it is: it neither
 * rewrites flake.lock nor fetches an input flake.nix names that the lock does not lock (it fails
 * instead), so what it copies is what the plan listed.
 */
export function fetchInputsArgv(nix: string): string[] {
  return [nix, '--extra-experimental-features', 'nix-command flakes', '--option', 'accept-flake-config', 'false', 'flake', 'archive', '--json', '--no-update-lock-file'];
}

/** Lines of nix's stderr kept for the failure message. */
const TAIL_LINES = 8;
/** At most this much of nix's stdout is kept (the JSON tree of store paths: some KB for real clans). */
const MAX_STDOUT = 4 * 1024 * 1024;

export interface ArchiveResult {
  /** nix's exit code; null when it did not exit by itself (killed, or could not start). */
  exitCode: number | null;
  /** nix could not be started (not found or not executable). */
  notFound: boolean;
  /** Why it could not start, when it could not. */
  error?: string;
  stdout: string;
  /** nix's last stderr lines. */
  stderrTail: string[];
}

export interface ArchiveRun {
  done: Promise<ArchiveResult>;
  /** Ends nix and whatever it started (git, ssh): its whole process group. */
  cancel(): void;
}

/** Starts an argv (normally `fetchInputsArgv()`) in `cwd`; each stderr line goes to `onStderr` as it comes. */
export function startArchive(argv: string[], cwd: string, onStderr: (line: string) => void = () => {}, env: NodeJS.ProcessEnv = process.env): ArchiveRun {
  const tail: string[] = [];
  let stdout = '';
  let partial = '';
  const line = (l: string) => {
    if (!l.trim()) return;
    tail.push(l);
    if (tail.length > TAIL_LINES) tail.shift();
    onStderr(l);
  };
  let child: ReturnType<typeof spawn>;
  try {
    // its own process group, so that cancel reaches the fetchers nix runs
    child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
  } catch (e) {
    const error = (e as Error).message;
    return { done: Promise.resolve({ exitCode: null, notFound: false, error, stdout: '', stderrTail: [] }), cancel: () => {} };
  }
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    if (stdout.length < MAX_STDOUT) stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    const lines = (partial + d).split(/\r?\n|\r/);
    partial = lines.pop()!;
    lines.forEach(line);
  });
  const done = new Promise<ArchiveResult>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve({ exitCode: null, notFound: e.code === 'ENOENT' || e.code === 'EACCES', error: e.message, stdout, stderrTail: tail });
    });
    child.on('close', (code) => {
      line(partial);
      partial = '';
      resolve({ exitCode: code, notFound: false, stdout, stderrTail: tail });
    });
  });
  const cancel = () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill();
      else process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  };
  return { done, cancel };
}

/**
 * The inputs `nix flake archive --json` reports, as paths of input names ("srvos",
 * "clan-core/nixpkgs"). Its output is `{"path": <store path>, "inputs": {<name>: {"path": ...,
 * "inputs": {...}}}}` (nix/src/nix/flake.cc, `CmdFlakeArchive`); null when it is not that shape.
 */
export function archivedInputs(stdout: string): string[] | null {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return null;
  }
  const out: string[] = [];
  const walk = (node: unknown, prefix: string, depth: number): boolean => {
    if (!node || typeof node !== 'object' || typeof (node as { path?: unknown }).path !== 'string') return false;
    const inputs = (node as { inputs?: unknown }).inputs;
    if (inputs === undefined || depth > 32) return true;
    if (!inputs || typeof inputs !== 'object') return false;
    for (const [name, sub] of Object.entries(inputs)) {
      out.push(prefix + name);
      if (!walk(sub, `${prefix}${name}/`, depth + 1)) return false;
    }
    return true;
  };
  return walk(json, '', 0) ? out : null;
}

/**
 * What an older nix says of a flake.lock or flake.nix written for a newer one (Debian 12's nix 2.8
 * knows neither the lastModified of a tarball input FlakeHub locks, nor tarball URLs without an
 * archive suffix): one sentence of what to do instead of nix's words alone.
 */
const TOO_OLD: { match: RegExp; say: (m: RegExpMatchArray) => string }[] = [
  { match: /unsupported (\w+) input attribute '([^']+)'/, say: (m) => `this nix is too old for the clan's flake.lock: it does not know the '${m[2]}' of a ${m[1]} input, which newer nix versions write. Install a current Nix release and fetch again.` },
  { match: /input '([^']+)' is unsupported/, say: () => `this nix is too old for one of the clan's inputs: it does not know that form of URL (FlakeHub's, for example), which newer nix versions read. Install a current Nix release and fetch again.` },
];

/** What a failed archive says to the user: what to do where it is known, how it ended, then nix's last stderr lines. */
export function archiveFailure(r: ArchiveResult, argv0 = 'nix'): string {
  if (r.notFound) return `'${argv0}' was not found on PATH (install Nix, or run where it is)`;
  const how = r.error ? `could not run nix: ${r.error}` : r.exitCode === null ? 'nix was stopped' : `nix flake archive failed (exit code ${r.exitCode})`;
  const stderr = r.stderrTail.join('\n');
  const known = TOO_OLD.map((t) => ({ t, m: stderr.match(t.match) })).find((x) => x.m);
  const head = known ? `${known.t.say(known.m!)} (${how})` : how;
  return r.stderrTail.length ? `${head}:\n${stderr}` : head;
}
