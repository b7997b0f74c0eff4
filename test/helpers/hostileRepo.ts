// Pieces of hostile repositories for the fetch-inputs tests: programs that leave a mark when they
// run (as a git filter, hook, fsmonitor or a `nix`/`git` planted on PATH), the real git to build
// `.git` folders with (a test builds them; `.git` folders do not survive git), and a look into a
// test Nix store for a file's contents.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** An executable script at `file` that appends `name` and its arguments to `<marks>`, then copies stdin to stdout (a filter's contract). */
export function markProgram(file: string, marks: string, name: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> '${marks}'\ncat\n`, { mode: 0o755 });
  return file;
}

/** What the mark programs wrote ('' when none ran). */
export function marks(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** Runs the real git in `cwd` with a test identity and without hooks; throws with git's stderr when it fails. */
export function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', '-c', 'core.hooksPath=/dev/null', '-c', 'init.defaultBranch=main', ...args], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A repository of everything in `dir`, committed. */
export function commitAll(dir: string, env: NodeJS.ProcessEnv): void {
  git(dir, env, 'init', '-q');
  git(dir, env, 'add', '-A');
  git(dir, env, 'commit', '-q', '-m', 'clan');
}

/** Every hook git knows, each a mark program. */
export const HOOKS = ['applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update', 'proc-receive', 'post-receive', 'post-update', 'reference-transaction', 'push-to-checkout', 'pre-auto-gc', 'post-rewrite', 'sendemail-validate', 'fsmonitor-watchman', 'post-index-change'];

/** Whether any regular file under `dir` (a test store) holds exactly `content`. */
export function storeHolds(dir: string, content: string): boolean {
  if (!fs.existsSync(dir)) return false;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name);
    if (e.isFile() && fs.statSync(p).size === content.length && fs.readFileSync(p, 'utf8') === content) return true;
  }
  return false;
}
