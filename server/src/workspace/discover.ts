// Finds the .nix files under a folder, skipping VCS metadata, node_modules, nix build results
// (`result`, `result-*`) and other output; follows directory symlinks at most once per real path.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

const SKIP_DIRS = new Set(['.git', '.hg', '.svn', '.jj', 'node_modules', '.direnv', '.vscode-test', '.cache']);
export const MAX_FILES = 200_000;

export function isSkippedName(name: string): boolean {
  return SKIP_DIRS.has(name) || name === 'result' || name.startsWith('result-');
}

/** True when `file` lies under a skipped directory of `root`. */
export function isSkippedPath(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return true;
  return rel.split(path.sep).slice(0, -1).some(isSkippedName);
}

export async function discoverNixFiles(
  root: string,
  log: (line: string) => void = () => {},
  cancel?: { readonly isCancellationRequested: boolean },
): Promise<string[]> {
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const queue = [root];
  while (queue.length && !cancel?.isCancellationRequested) {
    const dir = queue.shift()!;
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      continue;
    }
    if (seenDirs.has(real)) continue;
    seenDirs.add(real);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      log(`skipping directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (isSkippedName(entry.name)) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = await fs.stat(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) queue.push(full);
      else if (isFile && entry.name.endsWith('.nix')) {
        out.push(full);
        if (out.length >= MAX_FILES) {
          log(`stopped after ${MAX_FILES} .nix files under ${root}`);
          return out;
        }
      }
    }
  }
  return out;
}
