// Time to the first diagnostics of a clan, as an editor sees it (issue 57, item 9): the built server
// over stdio, from its start to `initialize` answered, the scan's status, the first
// publishDiagnostics and "ready"; each run in milliseconds, one JSON line. The first run is cold
// when $CLAN_VARS_CACHE_DIR points at an empty folder; the next ones read the facts cache.
// Run: npm run build && node --require tsx/cjs bench/firstDiagnostics.ts <clan folder> [runs=3]
import { TestClient } from '../test/helpers/lspClient';

async function main(): Promise<void> {
  const [folder, runs = '3'] = process.argv.slice(2);
  if (!folder) throw new Error('usage: node --require tsx/cjs bench/firstDiagnostics.ts <clan folder> [runs]');
  for (let run = 0; run < Number(runs); run++) {
    const start = performance.now();
    const at: Record<string, number> = {};
    const mark = (name: string) => at[name] ?? (at[name] = Math.round(performance.now() - start));
    const client = await TestClient.start(folder);
    mark('initialized');
    // the client's own handlers keep the notifications: watch what they store
    const notes = (client as unknown as { notifications: { method: string; params: { state?: string } }[] }).notifications;
    const push = notes.push.bind(notes);
    notes.push = (...xs) => {
      for (const x of xs) if (x.method === 'clanVars/status' && x.params.state) mark(x.params.state);
      return push(...xs);
    };
    const set = client.diagnostics.set.bind(client.diagnostics);
    client.diagnostics.set = (k, v) => (mark('firstDiagnostics'), set(k, v));
    await client.waitReady(300_000);
    const indexed = client.logs.find((l) => l.startsWith('indexed '));
    console.log(JSON.stringify({ run, ...at, log: indexed?.trim() }));
    await client.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
