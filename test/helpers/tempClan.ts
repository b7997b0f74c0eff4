// Writes a small clan tree into a fresh temporary directory.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function writeTree(files: Record<string, string | Buffer>, prefix = 'clan-vars-test-'): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

export function removeTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_CLAN = path.join(REPO_ROOT, 'examples', 'clan');

/** Runs `fn` with NIX_STORE_DIR set to `store` (where the model looks for locked inputs), then restores it. */
export async function withNixStore<T>(store: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.NIX_STORE_DIR;
  process.env.NIX_STORE_DIR = store;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.NIX_STORE_DIR;
    else process.env.NIX_STORE_DIR = previous;
  }
}
