// node --import tsx fuzz/shrink.ts test-output/fuzz-<seed>-round-<n>/journal.json [--match TEXT]
// Shrinks a failing round (run.ts --round N writes its journal) to a few messages: replays a part
// of the journal against a server on a fresh copy of the corpus, compares with a fresh server as
// the fuzzer does, and keeps dropping parts (delta debugging) while a failure containing TEXT
// remains (default: the first line of the first failure of the whole journal, with the workspace
// path left out). Writes journal.min.json next to the journal and prints what is left.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuzzClient, type JournalEntry } from './client';
import { compareWithFresh } from './fresh';
import { applyChange } from './text';
import { makeWorkspace, removeWorkspace } from './workspace';

interface Journal {
  root: string;
  dirs?: string[];
  messages: JournalEntry[];
}

/** Each didChange's text before and after, so that a change whose predecessors were dropped can be sent as the whole text. */
function textsAround(messages: JournalEntry[]): Map<JournalEntry, { before: string; after: string }> {
  const texts = new Map<string, string>();
  const around = new Map<JournalEntry, { before: string; after: string }>();
  for (const m of messages) {
    const p = m.params as { textDocument: { uri: string; text?: string }; contentChanges?: { text: string }[] };
    if (m.method === 'textDocument/didOpen') texts.set(p.textDocument.uri, p.textDocument.text!);
    if (m.method !== 'textDocument/didChange') continue;
    const before = texts.get(p.textDocument.uri) ?? '';
    const after = p.contentChanges!.reduce((t, c) => applyChange(t, c), before);
    texts.set(p.textDocument.uri, after);
    around.set(m, { before, after });
  }
  return around;
}

/** Puts a watched-file event's files on disk as they were when it was sent. */
function restoreDisk(m: JournalEntry, fix: (s: string) => string): void {
  const changes = (m.params as { changes: { uri: string }[] }).changes;
  changes.forEach((c, i) => {
    const file = fileURLToPath(fix(c.uri));
    const content = m.disk?.[i];
    if (content === null || content === undefined) fs.rmSync(file, { recursive: true, force: true });
    else if (content === 'dir') fs.mkdirSync(file, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, Buffer.from(content, 'base64'));
    }
  });
}

/** Replays `messages` burst by burst (the disk first, as the fuzzer changed it before the server read a message), then compares with a fresh server. */
async function replay(j: Journal, messages: JournalEntry[], around: ReturnType<typeof textsAround>): Promise<string[]> {
  const ws = makeWorkspace(j.dirs ?? []);
  const fix = (s: string) => s.replaceAll(j.root, ws.root);
  const client = await FuzzClient.start(ws.root);
  try {
    await client.waitReady();
    let burst: JournalEntry[] = [];
    const flush = async () => {
      for (const m of burst) if (m.method === 'workspace/didChangeWatchedFiles') restoreDisk(m, fix);
      const pending: Promise<unknown>[] = [];
      for (const m of burst) {
        const p = JSON.parse(fix(JSON.stringify(m.params)));
        const uri: string | undefined = p?.textDocument?.uri;
        const doc = uri ? client.docs.get(uri) : undefined;
        if (m.method === 'textDocument/didOpen') {
          if (doc) client.close(uri!);
          client.open(fileURLToPath(uri!), p.textDocument.text);
        } else if (m.method === 'textDocument/didChange') {
          const texts = around.get(m)!;
          if (doc) client.change(uri!, doc.text === texts.before ? p.contentChanges : [{ text: texts.after }]);
        } else if (m.method === 'textDocument/didClose') {
          if (doc) client.close(uri!);
        } else if (m.method === 'workspace/didChangeWatchedFiles') {
          client.watched(p.changes.map((c: { uri: string; type: 1 | 2 | 3 }) => ({ file: fileURLToPath(c.uri), type: c.type })));
        } else if (m.request) pending.push(client.request(m.method, p));
      }
      await Promise.all(pending);
      await client.settle();
      burst = [];
    };
    for (const m of messages) {
      if (m.method === '$settle') await flush();
      else burst.push(m);
    }
    await flush();
    if (!client.failures.length) await compareWithFresh(client, ws.root);
    return client.failures.map((f) => f.replaceAll(ws.root, '<ws>'));
  } finally {
    await client.stop();
    removeWorkspace(ws);
  }
}

/** The kept messages with the ends of their bursts (one end for a run of bursts left empty). */
function withBursts(messages: JournalEntry[], kept: Set<JournalEntry>): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const m of messages) if (kept.has(m) || (m.method === '$settle' && out.length && out[out.length - 1].method !== '$settle')) out.push(m);
  return out;
}

async function main(): Promise<number> {
  const [file, flag, match] = process.argv.slice(2);
  if (!file || (flag && flag !== '--match')) throw new Error('usage: fuzz/shrink.ts JOURNAL.json [--match TEXT]');
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Journal;
  const around = textsAround(j.messages);
  const entries = j.messages.filter((m) => m.method !== '$settle');
  const run = (kept: Set<JournalEntry>) => replay(j, withBursts(j.messages, kept), around);
  const first = await run(new Set(entries));
  const wanted = match ?? first[0]?.split('\n')[0];
  if (!wanted || !first.some((f) => f.includes(wanted))) {
    console.log(`the whole journal does not fail${match ? ` with "${match}"` : ''} here:\n${first.join('\n') || '(no failure)'}`);
    return 1;
  }
  console.log(`shrinking ${entries.length} messages while a failure contains: ${wanted}`);
  const fails = async (list: JournalEntry[]) => {
    const bad = (await run(new Set(list))).some((f) => f.includes(wanted));
    console.log(`  ${list.length} messages: ${bad ? 'fails' : 'passes'}`);
    return bad;
  };
  // ddmin: drop one of n chunks while it still fails; refine the chunks when none can go
  let kept = entries;
  let n = 2;
  while (kept.length > 1) {
    const size = Math.ceil(kept.length / n);
    let dropped = false;
    for (let i = 0; i < n && !dropped; i++) {
      const rest = kept.filter((_, k) => k < i * size || k >= (i + 1) * size);
      if (rest.length && (await fails(rest))) [kept, n, dropped] = [rest, Math.max(n - 1, 2), true];
    }
    if (!dropped) {
      if (n >= kept.length) break;
      n = Math.min(kept.length, n * 2);
    }
  }
  const keptSet = new Set(kept);
  const out = path.join(path.dirname(file), 'journal.min.json');
  fs.writeFileSync(out, JSON.stringify({ ...j, messages: withBursts(j.messages, keptSet) }));
  console.log(`\n${kept.length} of ${entries.length} messages left (${out}):`);
  for (const m of kept) console.log(`- ${m.method} ${JSON.stringify(m.params).replaceAll(j.root, '<ws>').slice(0, 300)}`);
  return 0;
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
