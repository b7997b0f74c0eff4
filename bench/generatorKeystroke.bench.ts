// Keystroke latency in a generator module at two clan sizes: the per-machine model must make the
// work of a keystroke depend on the edited module and its machines, not on the size of the clan.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient } from '../test/helpers/lspClient';
import { writeSyntheticClan } from './synthetic';
import { ms, percentile } from './stats';

const EDITS = 100;

async function atScale(scale: number): Promise<number[]> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-bench-keys-')));
  let client: TestClient | null = null;
  try {
    const opts = { machines: Math.round(500 * scale), registryEntries: Math.round(2000 * scale), generatorFiles: Math.round(5000 * scale) };
    const clan = writeSyntheticClan(root, opts);
    client = await TestClient.start(root);
    await client.waitFor('ready status', () => client!.notifications.find((n) => n.method === 'clanVars/status' && (n.params as { state: string }).state === 'ready'), 60_000 * Math.max(1, scale * 2));
    // a generator module imported by machine-7; its dependency is toggled between a declared and an undeclared name
    const file = path.join(root, 'modules/gen-7.nix');
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('dependencies = [ "gen-3"'));
    const col = lines[line].indexOf('"gen-3"') + 5;
    client.open(file, text);
    await client.waitForDiagnostics(file, () => true, 30_000);
    // the registry pipeline's first evaluation is over before the keystrokes are timed (typing during one is a figure of its own)
    await client.waitEvaluated(120_000);
    const samples: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const broken = i % 2 === 0;
      const start = performance.now();
      client.change(file, { start: { line, character: col }, end: { line, character: col + 1 } }, broken ? 'x' : '3');
      const mentions = (d: { message: unknown }[]) => d.some((x) => String(x.message).includes("'gen-x'"));
      await client.waitForDiagnostics(file, (d) => (broken ? mentions(d) : !mentions(d)), 30_000);
      samples.push(performance.now() - start);
    }
    console.log(
      `scale ${scale} (${clan.files} .nix files, ${opts.machines} machines): keystroke in a generator module -> publishDiagnostics, ${EDITS} edits: ` +
        `median ${ms(percentile(samples, 50))}, p95 ${ms(percentile(samples, 95))}, max ${ms(Math.max(...samples))}`,
    );
    return samples;
  } finally {
    if (client) await client.stop().catch(() => client!.proc.kill('SIGKILL'));
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function benchGeneratorKeystroke(): Promise<void> {
  const small = await atScale(0.5);
  const large = await atScale(1);
  const ratio = percentile(large, 95) / percentile(small, 95);
  console.log(`p95 ratio, twice the clan / the clan: ${ratio.toFixed(2)}   target <= 1 (a larger clan must not make a keystroke slower)`);
}
