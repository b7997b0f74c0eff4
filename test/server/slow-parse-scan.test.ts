// Files tree-sitter cannot parse in their time (lines of `a.a.a.`, on which its error recovery is
// quadratic: a 19,000-character line takes seconds, under the 20,000-character line limit) do not
// hold the server's start: the scan parses them off the thread that answers requests, stops giving
// them time once its total for slow parses is spent, and remembers them by their text's SHA-256,
// so the next start parses none of them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TestClient } from '../helpers/lspClient';
import { removeTree, writeTree } from '../helpers/tempClan';
import { slowText } from '../helpers/slowText';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  roots.forEach(removeTree);
});

const SLOW = [0, 1, 2, 3].map((n) => `vendor/slow${n}.nix`);

function slowClan(): string {
  const files: Record<string, string> = {
    'flake.nix': '{ outputs = _: { }; }\n',
    'machines/a.nix': '{ clan.core.vars.generators.a.dependencies = [ "nope" ]; }\n',
  };
  SLOW.forEach((rel, n) => (files[rel] = slowText(n)));
  const root = writeTree(files, 'clan-vars-slow-');
  roots.push(root);
  return root;
}

function tempCache(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-slow-cache-')));
  roots.push(dir);
  return dir;
}

async function start(root: string, env: Record<string, string>): Promise<TestClient> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const c = await TestClient.start(root);
    clients.push(c);
    return c;
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
}

/** The log line that says why `file` was skipped. */
function skipLine(c: TestClient, root: string, rel: string): string | undefined {
  return c.logs.find((l) => l.startsWith(`skipping ${path.join(root, rel)}: `));
}

test('slow parses: a request sent while the scan parses a slow file is answered before the scan moves past it', async () => {
  const root = slowClan();
  const c = await start(root, { CLAN_VARS_CACHE_DIR: tempCache() });
  // the first slow file ran out of its time; the others are still to come, each taking as long
  await c.waitFor('the first slow file skipped', () => skipLine(c, root, SLOW[0]), 120_000);
  const answered = c.conn.sendRequest('shutdown').then(() => c.logs.slice());
  const logsThen = await answered;
  const lastSkipped = logsThen.some((l) => l.startsWith(`skipping ${path.join(root, SLOW[SLOW.length - 1])}: `));
  // on one thread, the answer waited for every slow parse (the scan never let it in)
  assert.equal(lastSkipped, false, `the answer came after the scan had parsed every slow file:\n${logsThen.join('\n')}`);
  // and the scan went on to the end after it
  await c.waitFor('the last slow file skipped', () => skipLine(c, root, SLOW[SLOW.length - 1]), 120_000);
  assert.match(skipLine(c, root, SLOW[1]) ?? '', /could not be parsed: parsing took longer than \d+ ms/);
});

test('slow parses: once the scan has spent its time for slow parses the rest get their allowance only; the next start parses none of them', async () => {
  const root = slowClan();
  const env = { CLAN_VARS_CACHE_DIR: tempCache(), CLAN_VARS_SLOW_PARSE_MS: '1000' };
  const first = await start(root, env);
  // the first ready does not wait for them (slow-scan-requests.test.ts): they are skipped when their parses end
  await first.waitFor('every slow file skipped', () => SLOW.every((rel) => skipLine(first, root, rel)), 120_000);
  const reasons = SLOW.map((rel) => skipLine(first, root, rel) ?? `${rel}: not skipped`);
  // the first slow file gets what is left of the scan's total on top of its allowance (less than its
  // own budget of 1.6 s): all of it, unless a loaded machine made an ordinary file pass its allowance
  const firstGrant = /parsing took longer than (\d+) ms \(its allowance and (?:the [\d.]+ s left of )?the scan's 1 s for slow parses\)$/.exec(reasons[0]);
  assert.ok(firstGrant && Number(firstGrant[1]) > 307 && Number(firstGrant[1]) <= 1307, reasons[0]);
  // the others their allowance (250 ms + 1 ms per 1,000 characters) only
  for (const r of reasons.slice(1)) assert.match(r, /parsing took longer than 307 ms \(its allowance only: the scan's 1 s for slow parses was spent\)$/);
  // the rest of the clan is analysed
  await first.waitForDiagnostics(path.join(root, 'machines/a.nix'), (d) => d.some((x) => x.code === 'unknown-dependency'));
  await first.stop();

  const second = await start(root, env);
  await second.waitReady(120_000);
  for (const [i, rel] of SLOW.entries()) {
    // the reason the first start found, not parsed again (a parse would end with the reason alone)
    assert.equal(skipLine(second, root, rel), `skipping ${path.join(root, rel)}: ${reasons[i].split(': ').slice(1).join(': ')}; remembered for this text, not parsed again`);
  }
  await second.waitForDiagnostics(path.join(root, 'machines/a.nix'), (d) => d.some((x) => x.code === 'unknown-dependency'));
});
