// A worker thread of the cold scan (workspace/scanPool.ts): parses files and extracts their facts,
// so that a large clan is read on every core, and the garbage and the wasm memory of parsing stay in
// the worker, which ends with the scan. Facts depend on the file's path, role and text only.
import { parentPort } from 'node:worker_threads';
import { extractFile, type FileRoles } from '../extract/file';
import { NixParser } from '../parse/nixParser';

export interface ScanJob {
  file: string;
  text: string;
  roles: FileRoles;
}

/**
 * A job's facts as JSON, or why they could not be had (the main thread then says so, as it would
 * itself). JSON, not the facts: a structured clone makes every object with room to grow and every
 * string a copy of its own, which took the 8,000-file bench clan's facts from 81 to 123 MB; the
 * objects JSON.parse makes are their own size, and the text goes to the facts cache as it is.
 */
export type ScanResult = { json: string } | { error: string };

function scan(parser: NixParser, job: ScanJob): ScanResult {
  let tree;
  try {
    tree = parser.parse(job.text);
    return { json: JSON.stringify(extractFile(job.file, tree, job.roles, job.text, parser)) };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    tree?.delete();
  }
}

const port = parentPort;
if (port) {
  const parser = NixParser.load();
  // batches are answered in the order they came (each waits for the parser, then runs at once)
  port.on('message', (jobs: ScanJob[]) => {
    void parser.then(
      (p) => port.postMessage(jobs.map((job) => scan(p, job))),
      (e) => port.postMessage(jobs.map(() => ({ error: `the parser could not be loaded: ${(e as Error).message}` }))),
    );
  });
}
