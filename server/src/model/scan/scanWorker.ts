// A worker thread of the cold scan (workspace/scanPool.ts): parses files and extracts their facts,
// so that a large clan is read on every core, and the garbage and the wasm memory of parsing stay in
// the worker, which ends with the scan. Facts depend on the file's path, role and text only. Every
// parse gets the time the scan's budget gives it (scanBudget.ts, shared with the scan's thread).
import { parentPort } from 'node:worker_threads';
import { NixParser } from '../../syntax/nixParser';
import { packFacts } from './factPool';
import { ScanBudget } from './scanBudget';
import { CLAIMED_BY_WORKER, scanInOneGo, type ScanJob, type ScanMessage, type WorkerResult } from './scanJob';

function scan(parser: NixParser, job: ScanJob, budget: ScanBudget): WorkerResult {
  const r = scanInOneGo(parser, job, budget);
  if ('stopped' in r) return { error: 'stopped' }; // no cap here: not reached
  if ('facts' in r) return { json: packFacts(r.facts) };
  return r;
}

const port = parentPort;
if (port) {
  const parser = NixParser.load();
  // batches are answered in the order they came (each waits for the parser, then runs at once); a
  // batch the scan's thread took before this worker began it (ScanPool.take) is answered with null,
  // in its turn too, so that the pool matches each answer with its batch
  port.on('message', ({ jobs, budget, claim }: ScanMessage) => {
    const mine = () => Atomics.compareExchange(claim, 0, 0, CLAIMED_BY_WORKER) === 0;
    void parser.then(
      (p) => {
        if (!mine()) return port.postMessage(null);
        const shared = new ScanBudget(budget);
        port.postMessage(jobs.map((job) => scan(p, job, shared)));
      },
      (e) => port.postMessage(mine() ? jobs.map(() => ({ error: `the parser could not be loaded: ${(e as Error).message}` })) : null),
    );
  });
}
