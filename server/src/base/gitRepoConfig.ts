// What a repository's own git configuration would make git run. nix runs git in a flake's
// repository (`ls-files`, `diff HEAD`, `archive`, ...), and git reads that repository's
// `.git/config`, which a repository that arrives as a folder (an archive, a copied checkout: not a
// clone) brings with it. A setting that names a program (a filter driver, a textconv, a credential
// helper, an ssh command, ...) would run it. `programSettings` finds every such setting in each
// configuration file git may read for a folder: the `.git` of the folder or of any folder above it
// (a folder, or a file naming one elsewhere), its `commondir`, `config.worktree`, and every file they
// include, conditional includes always followed. Each file is read with the bounded reader and
// parsed by git itself (`git config --no-includes --file - --null --list`, fed on stdin, run outside the
// repository), so what is found is what git reads. Two settings are not refused but overridden for
// the child instead (`GIT_OVERRIDES`, git 2.31 or newer): `core.fsmonitor` and `core.hooksPath`, so
// that watchman users and repositories with shared hooks still fetch, and so that the hooks in
// `.git/hooks` (no setting names them) never run.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { readWorkspaceFile, WorkspaceReadError } from './readWorkspaceFile';
import * as fs from 'node:fs';
import { runsProgram } from './gitProgramSettings';
import { realPathOf } from './searchPath';

// git's own configuration may be above the clan (its repository's .git): these checks and reads are of
// git's files, named by git's rules, never of the workspace's content
const exists = (p: string) => fs.existsSync(p);
const isDirectory = (p: string) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Set for every git nix runs (`GIT_CONFIG_COUNT`, which outranks every configuration file): no fsmonitor hook, no hooks. */
export const GIT_OVERRIDES: [string, string][] = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
];

/** The oldest git that reads `GIT_CONFIG_COUNT`. */
export const MIN_GIT: [number, number] = [2, 31];

/** A git folder: where its HEAD is, where its objects, refs and shared config are, and the folder holding its `.git` (null: bare). */
export interface GitDir {
  gitDir: string;
  commonDir: string;
  workTree: string | null;
}

const SMALL = 64 * 1024;

function readSmall(file: string): string | null {
  try {
    return readWorkspaceFile(file, SMALL).toString('utf8');
  } catch {
    return null;
  }
}

/** The folder a `commondir` file names (linked worktrees), else the git folder itself. */
function commonDirOf(gitDir: string): string {
  const text = readSmall(path.join(gitDir, 'commondir'));
  const line = text?.split('\n')[0].replace(/\r$/, '');
  return line ? path.resolve(gitDir, line) : gitDir;
}

/** Whether git may take this folder as a repository: a HEAD, and folders for objects and refs (looser than git). */
function mayBeRepository(dir: Omit<GitDir, 'workTree'>): boolean {
  return exists(path.join(dir.gitDir, 'HEAD')) && isDirectory(path.join(dir.commonDir, 'objects')) && isDirectory(path.join(dir.commonDir, 'refs'));
}

/** Whether git surely takes this folder as a repository (stricter than git: when unsure, the search goes on upward). */
function surelyRepository(dir: Omit<GitDir, 'workTree'>): boolean {
  const head = readSmall(path.join(dir.gitDir, 'HEAD'));
  return head !== null && /^(ref: refs\/|[0-9a-f]{40})/.test(head) && mayBeRepository(dir);
}

/**
 * The git folders git may use for work in `folder`: the `.git` of the folder and of each folder
 * above it (a folder, or a file `gitdir: <path>`), and each folder laid out as a bare repository, up
 * to the first that is surely a repository.
 */
export function gitDirsFor(folder: string): GitDir[] {
  const out: GitDir[] = [];
  for (let dir = realPathOf(folder) ?? path.resolve(folder); ; ) {
    const dotGit = path.join(dir, '.git');
    let found: GitDir | null = null;
    if (isDirectory(dotGit)) found = { gitDir: dotGit, commonDir: commonDirOf(dotGit), workTree: dir };
    else if (exists(dotGit)) {
      const line = readSmall(dotGit)?.split('\n')[0].replace(/\r$/, '');
      if (line?.startsWith('gitdir: ')) {
        const gitDir = path.resolve(dir, line.slice('gitdir: '.length));
        found = { gitDir, commonDir: commonDirOf(gitDir), workTree: dir };
      }
    } else if (exists(path.join(dir, 'HEAD'))) {
      const bare = { gitDir: dir, commonDir: commonDirOf(dir), workTree: null };
      if (mayBeRepository(bare)) found = bare;
    }
    if (found) {
      out.push(found);
      if (surelyRepository(found)) return out;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

/** The configuration files git reads from a git folder (those that exist are read). */
export function configFilesOf(dir: GitDir): string[] {
  return [...new Set([path.join(dir.commonDir, 'config'), path.join(dir.gitDir, 'config.worktree'), path.join(dir.commonDir, 'config.worktree')])];
}

export interface ProgramSetting {
  /** As git prints it (`filter.x.clean`): section and key in lower case. */
  name: string;
  /** The file that sets it. */
  file: string;
}

export interface GitRunner {
  /** The git executable (absolute). */
  git: string;
  env: NodeJS.ProcessEnv;
}

/** Git includes nest at most this deep (git's own limit). */
const MAX_INCLUDE_DEPTH = 10;
const MAX_CONFIG_BYTES = 1_000_000;

/** At most this much of what git prints is kept; more fails the run. */
const MAX_GIT_OUTPUT = 4_000_000;

/** Runs git in `cwd` (by default outside any repository) with `input` on stdin; its stdout, or throws with its first stderr line. */
function runGit(runner: GitRunner, args: string[], input: Buffer | string = '', cwd = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(runner.git, ['--no-pager', ...args], { cwd, env: runner.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_GIT_OUTPUT) child.kill('SIGKILL');
      else out.push(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(0, 4096)));
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && size <= MAX_GIT_OUTPUT) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(err.trim().split('\n')[0] || `git ${args[0]} ended with ${code ?? 'a signal'}`));
    });
    child.stdin.end(input);
  });
}

/**
 * The committed text of a file of the repository that holds `folder` (`git cat-file blob
 * HEAD:./<file>`: no filter, no textconv); null when there is none (no repository, no commit, not
 * tracked). Run only once the repository's configuration has been checked.
 */
export async function committedText(runner: GitRunner, folder: string, file: string): Promise<string | null> {
  try {
    return await runGit(runner, ['cat-file', 'blob', `HEAD:./${file}`], '', folder);
  } catch {
    return null;
  }
}

/** `git config --no-includes --file - --null --list` of a text: [name, value] pairs (a name alone is a boolean true). */
async function listConfig(text: Buffer, runner: GitRunner): Promise<[string, string][]> {
  const records = (await runGit(runner, ['config', '--no-includes', '--file', '-', '--null', '--list'], text)).split('\0');
  records.pop(); // after the last NUL
  return records.map((r) => (r.includes('\n') ? [r.slice(0, r.indexOf('\n')), r.slice(r.indexOf('\n') + 1)] : [r, '']));
}

/** Why this git cannot take GIT_OVERRIDES (older than MIN_GIT, or no version said), or undefined when it can. */
export async function gitTooOld(runner: GitRunner): Promise<string | undefined> {
  let said: string;
  try {
    said = (await runGit(runner, ['--version'])).trim();
  } catch (e) {
    return `'${runner.git} --version' failed: ${(e as Error).message}`;
  }
  const m = /^git version (\d+)\.(\d+)/.exec(said);
  if (!m) return `'${runner.git} --version' said '${said.slice(0, 80)}'`;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > MIN_GIT[0] || (major === MIN_GIT[0] && minor >= MIN_GIT[1]) ? undefined : `${runner.git} is git ${major}.${minor}, older than ${MIN_GIT.join('.')}`;
}

/** Where an include path leads, from the file that names it; null when it names something only git can resolve (`%(prefix)`, `~user`). */
function includeTarget(value: string, from: string, home: string | undefined): string | null {
  if (value.startsWith('~/')) return home ? path.join(home, value.slice(2)) : null;
  if (value.startsWith('~') || value.startsWith('%(')) return null;
  return path.resolve(path.dirname(from), value);
}

/**
 * Every setting that makes git run a program in the configuration git reads from `dirs` (see the
 * head of this file), or why that configuration cannot be read in full (a file that is a FIFO or
 * too big, one git cannot parse, an include only git could resolve, includes nested too deep).
 */
export async function programSettings(dirs: GitDir[], runner: GitRunner): Promise<{ settings: ProgramSetting[] } | { unreadable: string }> {
  const settings: ProgramSetting[] = [];
  const queue: { file: string; depth: number }[] = dirs.flatMap((d) => configFilesOf(d).map((file) => ({ file, depth: 0 })));
  const seen = new Set<string>();
  while (queue.length) {
    const { file, depth } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let text: Buffer;
    try {
      text = readWorkspaceFile(file, MAX_CONFIG_BYTES);
    } catch (e) {
      if (e instanceof WorkspaceReadError && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) continue; // git skips a missing file
      return { unreadable: `${file}: ${(e as Error).message}` };
    }
    let pairs: [string, string][];
    try {
      pairs = await listConfig(text, runner);
    } catch (e) {
      return { unreadable: `${file}: ${(e as Error).message}` };
    }
    for (const [name, value] of pairs) {
      const lower = name.toLowerCase();
      if (lower === 'include.path' || (lower.startsWith('includeif.') && lower.endsWith('.path'))) {
        const target = includeTarget(value, file, runner.env.HOME);
        if (target === null) return { unreadable: `${file}: it includes '${value}', which only git can resolve` };
        if (depth + 1 > MAX_INCLUDE_DEPTH) return { unreadable: `${file}: includes nest deeper than ${MAX_INCLUDE_DEPTH}` };
        queue.push({ file: target, depth: depth + 1 });
      } else if (runsProgram(name, value)) settings.push({ name, file });
    }
  }
  return { settings };
}
