// Finds the .nix files under a folder, skipping VCS metadata, node_modules, nix build results
// (`result`, `result-*`) and other output; follows directory symlinks at most once per real path,
// and only when they stay inside the folder (or lead into /nix/store): a cloned repository is
// untrusted, and a link to `/` must not index the machine. The scan is bounded by entries and time.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

const SKIP_DIRS = new Set(['.git', '.hg', '.svn', '.jj', 'node_modules', '.direnv', '.vscode-test', '.cache']);
export const MAX_FILES = 200_000;
/** Directory entries looked at, .nix or not. */
export const MAX_ENTRIES = 2_000_000;
export const MAX_SCAN_MS = 30_000;
const NIX_STORE = '/nix/store';

function isInside(dir: string, real: string): boolean {
  return real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

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
  let rootReal: string;
  try {
    rootReal = await fs.realpath(root);
  } catch {
    return out;
  }
  const deadline = performance.now() + MAX_SCAN_MS;
  let looked = 0;
  for (let head = 0; head < queue.length && !cancel?.isCancellationRequested; head++) {
    const dir = queue[head];
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      continue;
    }
    if (!isInside(rootReal, real) && !isInside(NIX_STORE, real)) {
      log(`not following ${dir}: it leads to ${real}, outside the workspace folder`);
      continue;
    }
    if (seenDirs.has(real)) continue;
    seenDirs.add(real);
    if (looked > MAX_ENTRIES || performance.now() > deadline) {
      log(`stopped scanning ${root} after ${looked} entries (${Math.round(MAX_SCAN_MS / 1000)} s or ${MAX_ENTRIES} entries at most); ${out.length} .nix files found`);
      return out;
    }
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      log(`skipping directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      continue;
    }
    looked += entries.length;
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
