// What the floors above ask of the file system besides file texts (base/readWorkspaceFile.ts): is
// there a file or a folder, and may a path inside a clan be read without leaving it. Nothing above
// this floor calls `fs` itself.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The names of the folders in `dir` (not hidden ones); none when it cannot be read. */
export function folderNames(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}


/** Whether anything is at `p` (a link that resolves nowhere counts). */
export function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The Nix file a path names: the file itself, or a folder's `default.nix`; null when there is none. */
export function nixFileAt(p: string): string | null {
  if (isFile(p)) return p;
  const def = path.join(p, 'default.nix');
  return isDirectory(p) && isFile(def) ? def : null;
}

/** The real path of a folder, links resolved; null when it does not resolve. */
export function realFolder(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * Why reading `rel` (relative to `root`, whose real path is `realRoot`) could leave the folder, or
 * undefined: it resolves, links included, inside the real root, and is a regular file when it
 * exists, else its nearest existing folder lies inside. `rel` has no `..` part (the caller checks).
 */
export function outsideProblem(root: string, realRoot: string, rel: string): string | undefined {
  let existing = path.join(root, rel);
  const missing: string[] = [];
  while (!exists(existing)) {
    if (existing === root || existing === path.dirname(existing)) return "the clan's folder does not resolve";
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  const resolved = realFolder(existing);
  if (resolved === null) return 'it goes through a link that does not resolve';
  const inside = path.relative(realRoot, path.join(resolved, ...missing));
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return 'it resolves outside the clan (through a link)';
  if (missing.length > 0) return undefined;
  try {
    return fs.statSync(existing).isFile() ? undefined : 'it is not a regular file';
  } catch {
    return 'it cannot be examined';
  }
}
