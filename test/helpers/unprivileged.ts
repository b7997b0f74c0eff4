// Runs a module of the analysis core in a child process as a user that permissions apply to. Root
// passes every permission check, and CI runs as root: a test of what happens on EACCES runs its
// part here, as `nobody` when this process is root and as this process's own user otherwise. The
// module is bundled with its imports into one file in a temporary folder anyone can read, since the
// checkout itself may sit where `nobody` cannot look (root's home folder).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/** The user the child runs as: the owner to give the files it must own. */
export const childUser: { uid: number; gid: number } =
  process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** Whether the child really is another user than this process (this process is root). */
export const dropsPrivileges = process.getuid?.() === 0;

const folders: string[] = [];
process.on('exit', () => folders.forEach((f) => fs.rmSync(f, { recursive: true, force: true })));

/**
 * Runs `script` (CommonJS; `mod` is the bundled `entry`) with `args` as `process.argv.slice(2)`,
 * as `childUser`, and returns what it printed and its status.
 */
export function runUnprivileged(entry: string, script: string, args: string[]): SpawnSyncReturns<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-unprivileged-'));
  folders.push(dir);
  fs.chmodSync(dir, 0o755);
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(dir, 'module.js'), logLevel: 'error' });
  fs.writeFileSync(path.join(dir, 'main.js'), `'use strict';\nconst mod = require('./module.js');\n${script}\n`);
  const ids = dropsPrivileges ? childUser : {};
  return spawnSync(process.execPath, [path.join(dir, 'main.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, ...ids });
}
