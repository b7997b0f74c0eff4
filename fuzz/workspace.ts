// The fuzz corpus: real Nix files from the repo (examples and test fixtures) and from any
// directories given on the command line, copied into a fresh temporary workspace per round so
// the fuzzer may delete and create files freely.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..');
const SKIP = new Set(['.git', 'node_modules', 'result', '.direnv']);

/** The repo's own Nix sources, copied into every workspace (fuzz/corpus: generators built from literal lists and sets). */
export const REPO_CORPUS = [path.join(REPO, 'examples', 'clan'), path.join(REPO, 'test', 'grammar', 'fixtures'), path.join(REPO, 'test', 'fixtures'), path.join(REPO, 'fuzz', 'corpus')];

export interface Workspace {
  root: string;
  /** Every regular .nix file of the workspace when it was made. */
  nixFiles: string[];
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => {
      const name = path.basename(src);
      if (SKIP.has(name)) return false;
      try {
        const st = fs.lstatSync(src);
        return st.isDirectory() || st.isSymbolicLink() || st.isFile();
      } catch {
        return false;
      }
    },
  });
}

export function listNixFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (SKIP.has(e.name)) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.nix')) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

export function makeWorkspace(extraDirs: string[]): Workspace {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-fuzz-')));
  const sources = [...REPO_CORPUS.filter((d) => fs.existsSync(d)), ...extraDirs];
  sources.forEach((dir, i) => copyTree(dir, path.join(root, `${i}-${path.basename(dir)}`)));
  return { root, nixFiles: listNixFiles(root) };
}

export function removeWorkspace(ws: Workspace): void {
  if (process.env.CLAN_VARS_FUZZ_KEEP !== "1") fs.rmSync(ws.root, { recursive: true, force: true });
}
