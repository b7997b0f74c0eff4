// The first keystroke after a pause, through the built server, on the bench's 1× clan: the rows
// "keystroke in the matrix / registry after a pause" of `npm run bench`, alone and with more edits,
// for comparing two builds run one after the other on a noisy machine.
//
//   node --expose-gc --import tsx bench/pause.ts [matrix|registry] [edits]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { positionOf, TestClient } from '../test/helpers/lspClient';
import { evaluationDone, toggle, typeComment } from './scale.bench';
import { percentile } from './stats';
import { key, shapeAt, writeSyntheticClan } from './synthetic';

const which = process.argv[2] === 'registry' ? 'registry' : 'matrix';
const edits = Number(process.argv[3] ?? 8);

(async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-pause-')));
  let client: TestClient | null = null;
  try {
    const clan = writeSyntheticClan(root, shapeAt(1));
    const c = (client = await TestClient.start(root, {}));
    await c.waitReady(300_000);
    await c.waitEvaluated(120_000);
    const matrixText = fs.readFileSync(clan.matrixFile, 'utf8');
    const unknownKey = (d: { code?: unknown }[]) => d.some((x) => x.code === 'unknown-registry-key');
    const settled = (broken: boolean) => c.waitForDiagnostics(clan.matrixFile, (d) => (broken ? unknownKey(d) : !unknownKey(d)), 30_000);
    c.open(clan.matrixFile, matrixText);
    // as in scale.bench.ts: machine-0's key-0003 in the matrix, or its entry in the registry
    let at = positionOf(matrixText, `machine-0 = sharedCore ++ [ "${key(3)}"`, 'machine-0 = sharedCore ++ [ "'.length + 7);
    let file = clan.matrixFile;
    if (which === 'registry') {
      const registryText = fs.readFileSync(clan.registryFile, 'utf8');
      c.open(clan.registryFile, registryText);
      typeComment(c, clan.registryFile, registryText);
      at = positionOf(registryText, `${key(3)} = `, 7);
      file = clan.registryFile;
    } else typeComment(c, clan.matrixFile, matrixText);
    await toggle(c, file, at, ['x', '3'], 4, settled);
    const times = await toggle(c, file, at, ['x', '3'], edits, settled, () => evaluationDone(c));
    console.log(`first ${which} keystroke after a pause (${edits} edits): ${times.map((t) => t.toFixed(0)).join(' ')} ms; median ${percentile(times, 50).toFixed(0)} ms`);
  } finally {
    await client?.stop().catch(() => client?.proc?.kill('SIGKILL'));
    fs.rmSync(root, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
