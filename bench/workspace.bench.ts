// Issue 2 targets: cold index of a large clan, peak RSS, and edit-to-diagnostics latency in a
// 5,000-line registry, all through the built server over stdio as an editor drives it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient } from '../test/helpers/lspClient';
import { writeSyntheticClan } from './synthetic';
import { currentRss, mb, ms, peakRss, percentile } from './stats';

export async function benchWorkspace(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-bench-')));
  try {
    const clan = writeSyntheticClan(root);
    console.log(`synthetic clan: ${clan.files} .nix files (500 machines, 2,000 registry entries, 5,000 generator files), registry ${clan.registryLines} lines`);

    const t0 = performance.now();
    const client = await TestClient.start(root);
    await client.waitReady();
    const cold = performance.now() - t0;
    const indexed = client.logs.find((l) => l.startsWith('indexed'));
    console.log(`cold index (server start -> all diagnostics published): ${ms(cold)}   [server log: ${indexed}]   target < 3000 ms`);
    await client.waitFor('evaluation', () => client.logs.find((l) => l.startsWith('evaluated the registry pipeline')), 30_000);
    const evaluated = performance.now() - t0;
    console.log(`  then the registry pipeline evaluated (500 machines): ${ms(evaluated)} after start   [server log: ${client.logs.find((l) => l.startsWith('evaluated'))}]`);

    console.log(`  server RSS once indexed and evaluated: ${mb(currentRss(client.proc.pid!))} (peak so far ${mb(peakRss(client.proc.pid!))})`);
    const text = fs.readFileSync(clan.registryFile, 'utf8');
    client.open(clan.registryFile, text);
    await client.waitFor('open', () => client.notifications.length > 1);
    // Toggle one character of a key the matrix uses: "key-0000" <-> "key-000x"
    const line = text.split('\n').findIndex((l) => l.includes('key-0000 = '));
    const col = text.split('\n')[line].indexOf('key-0000') + 7;
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const broken = i % 2 === 0;
      const start = performance.now();
      client.change(clan.registryFile, { start: { line, character: col }, end: { line, character: col + 1 } }, broken ? 'x' : '0');
      const unknown = (d: { code?: string | number }[]) => d.some((x) => x.code === 'unknown-registry-key');
      await client.waitForDiagnostics(clan.matrixFile, (d) => (broken ? unknown(d) : !unknown(d)));
      samples.push(performance.now() - start);
    }
    console.log(
      `edit -> publishDiagnostics (one-character didChange in the ${clan.registryLines}-line registry, 200 edits): ` +
        `median ${ms(percentile(samples, 50))}, p95 ${ms(percentile(samples, 95))}, max ${ms(Math.max(...samples))}   target p95 < 30 ms`,
    );
    console.log(`server RSS after the edits: ${mb(currentRss(client.proc.pid!))}; peak RSS: ${mb(peakRss(client.proc.pid!))}   target < 300 MB`);
    await client.stop();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
