// npm run fuzz [-- --seed N] [--edits N] [--time SECONDS] [--round N | --from N] [DIR...]
// Random edits, requests and file events through the language server over stdio, on copies of real
// Nix files (the repo's examples and fixtures, plus every DIR). Fails on a crash, an exception in
// the log, a request unanswered within 2 s, a diagnostic outside its document, or diagnostics
// that differ from a fresh server's given the same final texts. Prints the seed to reproduce.
// --from N starts at round N of the seed, --round N runs only round N (the rounds before it are
// drawn without a server, see
// replay.ts); a round run alone keeps its whole trail and writes its messages to journal.json,
// which fuzz/shrink.ts shrinks to the few that make it fail.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { burst, type BurstState } from './actions';
import { FuzzClient, SERVER, STARVED_MS } from './client';
import { compareWithFresh } from './fresh';
import { skipRounds } from './replay';
import { Rng, randomSeed } from './rng';
import { makeWorkspace, removeWorkspace, type Workspace } from './workspace';

interface Options {
  seed: number;
  edits: number;
  seconds: number;
  dirs: string[];
  /** The first round run against a server (1: all). */
  from: number;
  /** Only that round. */
  only: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seed: randomSeed(), edits: 5000, seconds: 120, dirs: [], from: 1, only: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${a} needs a number`);
      return n;
    };
    if (a === '--seed') o.seed = num() >>> 0;
    else if (a === '--edits') o.edits = num();
    else if (a === '--time') o.seconds = num();
    else if (a === '--round' || a === '--from') [o.from, o.only] = [Math.max(1, Math.floor(num())), a === '--round'];
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (!fs.statSync(a, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${a} is not a directory`);
    else o.dirs.push(path.resolve(a));
  }
  return o;
}

/** Writes the final texts of a failing round, so it can be looked at without rerunning. */
function saveRepro(client: FuzzClient, ws: Workspace, dirs: string[], seed: number, round: number): string {
  const dir = path.resolve('test-output', `fuzz-${seed}-round-${round}`);
  fs.mkdirSync(dir, { recursive: true });
  if (client.journal) fs.writeFileSync(path.join(dir, 'journal.json'), JSON.stringify({ root: ws.root, dirs, messages: client.journal }));
  for (const doc of client.docs.values()) {
    const rel = path.relative(ws.root, doc.file).replaceAll(path.sep, '__');
    fs.writeFileSync(path.join(dir, rel), doc.text);
  }
  fs.mkdirSync(path.join(dir, 'versions'), { recursive: true });
  for (const v of client.trailTexts) fs.writeFileSync(path.join(dir, 'versions', v.name), v.text);
  fs.writeFileSync(path.join(dir, 'failures.txt'), client.failures.join('\n\n') + '\n\nlast messages sent:\n' + client.trail.join('\n') + '\n\nlast log lines:\n' + client.logs.slice(-30).join('\n'));
  return dir;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  console.log(`fuzz: seed ${o.seed} (reproduce with: npm run fuzz -- --seed ${o.seed}${o.dirs.map((d) => ' ' + d).join('')}), up to ${o.edits} edits or ${o.seconds} s`);
  const rng = new Rng(o.seed);
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const totals = { rounds: 0, edits: 0, requests: 0, bursts: 0, starved: 0 };
  const byMethod = new Map<string, number>();
  let announced = '';
  let anyFailed = false;
  if (o.from > 1) {
    // the capabilities the skipped rounds' requests are drawn from
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-fuzz-'));
    const probe = await FuzzClient.start(empty);
    const capabilities = probe.capabilities;
    await probe.stop();
    fs.rmSync(empty, { recursive: true, force: true });
    const skipped = await skipRounds(rng, o.from - 1, o, capabilities);
    Object.assign(totals, skipped);
    console.log(`rounds 1-${totals.rounds} drawn without a server (${totals.edits} edits), in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  while (totals.edits < o.edits && performance.now() < deadline) {
    const round = ++totals.rounds;
    const ws = makeWorkspace(o.dirs);
    const client = await FuzzClient.start(ws.root);
    if (o.only) {
      client.trailLimit = Infinity;
      client.journal = [];
    }
    const s: BurstState = { client, ws, rng, originals: new Map(), byMethod };
    let failed = false;
    try {
      await client.waitReady();
      announced ||= Object.keys(client.capabilities).sort().join(', ');
      const bursts = rng.int(5, 40);
      for (let b = 0; b < bursts && !client.failures.length; b++) {
        totals.bursts++;
        await burst(s, rng.chance(0.2) ? rng.int(30, 120) : rng.int(1, 15));
        await client.settle();
        client.journal?.push({ method: '$settle', params: null });
        client.checkRanges();
        client.forgetOldVersions();
        if (totals.edits + client.edits >= o.edits || performance.now() > deadline) break;
      }
      if (!client.failures.length) await compareWithFresh(client, ws.root);
    } catch (e) {
      client.fail(`harness error: ${(e as Error).stack ?? e}`);
    } finally {
      totals.edits += client.edits;
      totals.requests += client.requests;
      totals.starved += client.starvedWaits;
      if (client.failures.length) {
        failed = true;
        const dir = saveRepro(client, ws, o.dirs, o.seed, round);
        console.log(`\nFAILED in round ${round} (seed ${o.seed}):\n- ${client.failures.join('\n- ')}\nfinal texts and log: ${dir}`);
      }
      await client.stop();
      removeWorkspace(ws);
    }
    if (failed) {
      anyFailed = true;
      break;
    }
    process.stdout.write(`round ${round}: ${totals.edits} edits, ${totals.requests} requests so far\n`);
    if (o.only) break;
  }
  console.log(`\nseed ${o.seed}: ${totals.rounds} rounds, ${totals.bursts} bursts, ${totals.edits} edits, ${totals.requests} requests`);
  if (totals.starved) console.log(`late answers while the machine did not run the server (waited longer, up to ${STARVED_MS / 1000} s): ${totals.starved}`);
  console.log(`server capabilities: ${announced}`);
  console.log(`requests by method: ${[...byMethod].map(([m, n]) => `${m} ${n}`).join(', ') || 'none (no request features announced)'}`);
  return anyFailed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 2;
  },
);
