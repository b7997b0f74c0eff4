// npm run soak [-- --edits N] [--bound-mb M] [--seed N]
// A long editing session through the language server over stdio: keystrokes in three open files
// of the example clan, periodic reverts, closes and reopens, file-watcher events, and requests for
// every announced feature. Samples the server's RSS (/proc/<pid>/status) and fails when it grows
// more than the bound between the end of the warm-up (10% of the edits) and the end.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FuzzClient } from './client';
import { keystroke } from './edits';
import { announced } from './requests';
import { Rng, randomSeed } from './rng';
import { makeWorkspace, removeWorkspace } from './workspace';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<number> {
  const edits = arg('--edits', 20_000);
  const boundMb = arg('--bound-mb', 32);
  const seed = arg('--seed', randomSeed()) >>> 0;
  const rng = new Rng(seed);
  console.log(`soak: seed ${seed}, ${edits} edits, RSS growth bound ${boundMb} MB after warm-up`);
  const ws = makeWorkspace([]);
  const client = await FuzzClient.start(ws.root);
  const started = performance.now();
  try {
    await client.waitReady();
    const pick = (rel: string) => ws.nixFiles.find((f) => f.endsWith(rel))!;
    const files = [pick('lib/secret-registry.nix'), pick('lib/machine-env-matrix.nix'), pick('modules/shared/openssh.nix')];
    const originals = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    for (const f of files) client.open(f, originals.get(f)!);
    const cursors = new Map(files.map((f) => [f, rng.int(0, originals.get(f)!.length)]));
    const builders = announced(client.capabilities);
    const samples: { edits: number; rssMb: number }[] = [];
    const sample = () => samples.push({ edits: client.edits, rssMb: Math.round(client.rssKb() / 102.4) / 10 });
    await client.settle();
    sample();
    while (client.edits < edits && !client.failures.length) {
      const file = rng.pick(files);
      const uri = pathToFileURL(file).href;
      const doc = client.docs.get(uri)!;
      if (client.edits % 500 === 499) {
        client.change(uri, [{ text: originals.get(file)! }]); // revert: the text stays bounded
        cursors.set(file, rng.int(0, doc.text.length));
      } else {
        const k = keystroke(doc.text, rng, cursors.get(file)!);
        cursors.set(file, k.cursor);
        client.change(uri, [k.change]);
      }
      if (builders.length && rng.chance(0.2)) {
        const cases = rng.pick(builders).build(uri, doc.text, rng, client.capabilities);
        for (const c of cases) void client.request(c.method, c.params);
      }
      if (client.edits % 2000 === 0) {
        client.close(uri); // reopen: a fresh tree, the old one must be freed
        client.open(file, originals.get(file)!);
        client.watched([{ file: pick('machines/zoe/configuration.nix'), type: 2 }]);
      }
      if (client.edits % 50 === 0) await client.settle();
      if (client.edits % 1000 === 0) {
        sample();
        client.forgetOldVersions();
      }
    }
    await client.settle();
    sample();
    const warm = samples.find((s) => s.edits >= edits / 10) ?? samples[0];
    const last = samples[samples.length - 1];
    const peak = Math.max(...samples.map((s) => s.rssMb));
    console.log(`RSS (MB) by edits: ${samples.map((s) => `${s.edits}:${s.rssMb}`).join(' ')}`);
    console.log(
      `${client.edits} edits, ${client.requests} requests in ${Math.round((performance.now() - started) / 1000)} s; ` +
        `RSS after warm-up ${warm.rssMb} MB, at the end ${last.rssMb} MB, peak ${peak} MB; growth ${(last.rssMb - warm.rssMb).toFixed(1)} MB (bound ${boundMb} MB)`,
    );
    if (last.rssMb - warm.rssMb > boundMb) client.fail(`RSS grew ${(last.rssMb - warm.rssMb).toFixed(1)} MB after warm-up, over the bound of ${boundMb} MB`);
  } finally {
    if (client.failures.length) console.log(`FAILED (seed ${seed}):\n- ${client.failures.join('\n- ')}`);
    await client.stop();
    removeWorkspace(ws);
  }
  return client.failures.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    process.exitCode = 2;
  },
);
