// Test-only requests, registered only when the server starts with CLAN_VARS_TEST_HOOKS=1 (the
// robustness and fuzz-seed tests set it). They prove through the real server that a failing request
// is answered with an error and logged once, and that $/cancelRequest stops a workspace scan, and
// tell a test when the server has done the work of what it was sent.
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { requestHandler, setTestThrow, type Feature } from './context';

export const testHooks: Feature = {
  register(ctx) {
    // CLAN_VARS_TEST_THROW=<handler name>: that request handler throws, as a buggy feature would
    setTestThrow(process.env.CLAN_VARS_TEST_THROW || null);
    ctx.connection.onRequest(
      'clanVars/test/throw',
      requestHandler(ctx, 'test-throw', () => {
        throw new Error('deliberate failure for a test');
      }),
    );
    ctx.connection.onRequest(
      'clanVars/test/echo',
      requestHandler(ctx, 'test-echo', (params: unknown) => params),
    );
    // The server's memory, with the size and use of each V8 heap space; with gc exposed (--expose-gc),
    // after a full collection: what is live
    ctx.connection.onRequest(
      'clanVars/test/memory',
      requestHandler(ctx, 'test-memory', (params: { collect?: boolean } | undefined) => {
        if (params?.collect !== false) (globalThis as { gc?: () => void }).gc?.();
        const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
        return { ...process.memoryUsage(), spaces };
      }),
    );
    // A heap snapshot of the server, written to the given file (for finding what holds memory)
    ctx.connection.onRequest(
      'clanVars/test/heapSnapshot',
      requestHandler(ctx, 'test-heap-snapshot', (params: { file: string }) => writeHeapSnapshot(params.file)),
    );
    // Answers once the server has finished the work of every message sent before this one and
    // published (what the tests wait for before they look at what it published, instead of a quiet
    // spell). Not a requestHandler: that brings the open documents up to date first, which would
    // change the order of the work it waits for
    // change the order of the work it waits for. An evaluation waiting for a pause in typing is an
    // unref'd timer: awaiting it (whenLanded) keeps the process alive until it lands, as the idleness waited for needs
    ctx.connection.onRequest('clanVars/test/idle', () => {
      for (const index of ctx.indexes()) if (index.evaluations.pending()) void index.evaluations.whenLanded();
      return ctx.whenIdle().then(() => null);
    });
    // Every version and revision the server's indexes keep (not a requestHandler: that brings the
    // open documents up to date first, a write this request must not do)
    ctx.connection.onRequest('clanVars/test/revisions', () => ctx.indexes().map((i) => i.revisions()));
    // The requests whose handler wrote after the writer had applied the changes (ServerContext.readsThatWrote), emptied
    ctx.connection.onRequest('clanVars/test/readsThatWrote', () => ctx.readsThatWrote?.splice(0) ?? []);
    // Scans every workspace folder again, stopping when the request is cancelled.
    ctx.connection.onRequest(
      'clanVars/test/rescan',
      requestHandler(ctx, 'test-rescan', async (_params: unknown, token) => {
        let files = 0;
        for (const index of ctx.indexes()) files += await index.scan({ cancel: token });
        return { files };
      }),
    );
  },
};
