// Finding a program by name in the folders of PATH, as a shell does, except where a repository
// could supply it. A relative entry (`.`, `bin`, or an empty one, which means `.`) names a folder of
// the working folder, and a command for a clan runs in the clan's: such entries are never searched.
// For a program run on a repository that is not trusted to name programs (`nix flake archive`, and
// the git and ssh that nix starts by name), `searchPathOutside` also leaves out every entry whose
// real path is inside the given folders or that holds a link into them, and the child gets only the
// entries kept as its PATH: no program it can start by name is one of the folders'.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether `p` is `folder` or inside it (both absolute, compared as written). */
export function isInside(folder: string, p: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The real path, links resolved; null when it does not resolve. */
export function realPathOf(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

function isExecutable(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function candidates(dir: string, command: string, env: NodeJS.ProcessEnv): string[] {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return exts.map((ext) => path.join(dir, command + ext));
}

/**
 * The absolute path of an executable: as given when it contains a separator (relative to `cwd`),
 * else the first found in an absolute PATH entry. Relative PATH entries are not searched.
 */
export function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  if (command.includes('/') || command.includes(path.sep)) {
    const p = path.resolve(cwd, command);
    return isExecutable(p) ? p : null;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const found = candidates(dir, command, env).find(isExecutable);
    if (found) return found;
  }
  return null;
}

export interface SearchPath {
  /** The entries kept, in their order: absolute, existing, outside the folders, and no link in them leads inside. */
  entries: string[];
  /** Each entry left out that could have named a program of the folders, with why. */
  skipped: string[];
}

/** Why a folder of PATH could start a program of the folders: it is inside one, or a link in it leads inside; undefined when it cannot. */
function leadsInside(entry: string, folders: string[], listed: Map<string, string | undefined>): string | undefined {
  const real = realPathOf(entry);
  const into = folders.find((f) => isInside(f, path.resolve(entry)) || (real !== null && isInside(f, real)));
  if (into) return `'${entry}' (inside ${into})`;
  if (real !== null && listed.has(real)) return listed.get(real);
  const why = linkInside(entry, folders);
  if (real !== null) listed.set(real, why);
  return why;
}

/** Why a folder's entries could start a program of the folders: a link in it leads inside, or it cannot be listed. */
function linkInside(entry: string, folders: string[]): string | undefined {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(entry, { withFileTypes: true });
  } catch {
    return `'${entry}' (it cannot be listed)`;
  }
  for (const e of names) {
    if (!e.isSymbolicLink()) continue;
    const target = realPathOf(path.join(entry, e.name));
    if (target !== null && folders.some((f) => isInside(f, target))) return `'${entry}' (its ${e.name} is a link to ${target})`;
  }
  return undefined;
}

/** PATH without the entries through which a program of `folders` could be started by name. */
export function searchPathOutside(pathVar: string | undefined, folders: string[]): SearchPath {
  const realFolders = [...new Set(folders.flatMap((f) => [path.resolve(f), realPathOf(f) ?? path.resolve(f)]))];
  const entries: string[] = [];
  const skipped: string[] = [];
  const listed = new Map<string, string | undefined>(); // real folder -> why a link in it leads inside (/bin is often /usr/bin)
  for (const entry of (pathVar ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(entry)) {
      skipped.push(entry === '' ? 'an empty entry (the working folder)' : `'${entry}' (relative to the working folder)`);
      continue;
    }
    if (realPathOf(entry) === null) continue; // nothing is there to run
    const why = leadsInside(entry, realFolders, listed);
    if (why) skipped.push(why);
    else entries.push(entry);
  }
  return { entries, skipped };
}

/** The first executable named `command` in the kept entries; null when there is none. */
export function findOutside(command: string, search: SearchPath, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of search.entries) {
    const found = candidates(dir, command, env).find(isExecutable);
    if (found) return found;
  }
  return null;
}
