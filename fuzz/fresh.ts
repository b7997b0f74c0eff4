// The fuzzer's end-of-round check, also used by the tests that keep a failing seed: a fresh server
// started on the same files and given the same open texts must publish the same diagnostics as
// the server that went through the round.
import { fileURLToPath } from 'node:url';
import { FuzzClient } from './client';

/** Starts a fresh server on `root`, opens the texts `fuzzed` has open, and records every difference as a failure of `fuzzed`. */
export async function compareWithFresh(fuzzed: FuzzClient, root: string): Promise<void> {
  const fresh = await FuzzClient.start(root, { settings: fuzzed.settings, env: fuzzed.env });
  try {
    await fresh.waitReady();
    for (const doc of fuzzed.docs.values()) fresh.open(doc.file, doc.text);
    await (fresh.hooks ? fresh.idle() : fresh.settle());
    for (const f of fresh.failures) fuzzed.fail(`fresh server: ${f}`);
    const a = fuzzed.snapshot();
    const b = fresh.snapshot();
    // a parse that ran out of its time budget (slow input, or a busy machine) skips that file: not comparable
    const outOfTime = new Set([...fuzzed.logs, ...fresh.logs].filter((l) => l.includes('parsing took longer')).map((l) => /^skipping (.*?): /.exec(l)?.[1]));
    for (const uri of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(uri) === b.get(uri) || outOfTime.has(fileURLToPath(uri))) continue;
      fuzzed.fail(`diagnostics for ${uri} differ from a fresh server's:\n  fuzzed: ${a.get(uri) ?? '[]'}\n  fresh:  ${b.get(uri) ?? '[]'}`);
    }
  } finally {
    await fresh.stop();
  }
}
