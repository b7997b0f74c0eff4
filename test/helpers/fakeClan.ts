// The fake clan executable (test/fixtures/fake-clan/clan) and a Launcher that runs command lines
// as child processes, as the editor's terminal would (same argv, same cwd).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Launcher } from '../../client/src/vars/clanRunner';
import { REPO_ROOT } from './tempClan';

export const FAKE_CLAN = path.join(REPO_ROOT, 'test', 'fixtures', 'fake-clan', 'clan');

export interface Invocation {
  argv: string[];
  cwd: string;
  stdinTTY: boolean;
}

export function invocations(logFile: string): Invocation[] {
  if (!fs.existsSync(logFile)) return [];
  return fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Invocation);
}

/** Runs argv as a child process; stdin stays open (like a terminal) until `input` is written or the run is cancelled. */
export function processLauncher(env: NodeJS.ProcessEnv, started?: (write: (text: string) => void) => void): Launcher {
  return (argv, cwd) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    started?.((text) => child.stdin.write(text));
    const exit = new Promise<number | undefined>((resolve) => child.on('close', (code) => resolve(code ?? undefined)));
    return { exit, cancel: () => child.kill('SIGTERM') };
  };
}
