// The parser floor of a cold check: every file read and parsed by web-tree-sitter with the Nix
// grammar (no walk of the trees, no facts), on as many threads as the checker's scan uses (one per
// core, at most 4: its own thread, which reads the files and indexes their facts, and ScanPool's
// workers, one fewer), each taking the next file as it is free.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/** As many threads as the checker's scan uses: its own and the workers it starts (server/src/model/scan/scanPool.ts). */
export const CHECKER_THREADS = Math.min(4, os.availableParallelism?.() ?? os.cpus().length);

/** Wall-clock ms from starting the threads to the last file parsed. */
export async function parserFloor(files: string[], threads = CHECKER_THREADS): Promise<number> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const wasm = path.join(__dirname, '..', 'dist');
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(path.join(__dirname, 'floorWorker.mjs'), { workerData: { files, next, wasm } });
      return new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    }),
  );
  return performance.now() - t0;
}
