// One burst of the LSP fuzz: edits, requests and file-system events sent without waiting, as a
// fast typist with a busy editor would. Everything random comes from the seeded generator.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FuzzClient } from './client';
import { randomChange, type Change } from './edits';
import { announced, type RequestCase } from './requests';
import type { Rng } from './rng';
import { applyChange } from './text';
import type { Workspace } from './workspace';

/** What a burst uses of its client: a FuzzClient, or replay.ts's DryClient when a round is only drawn. */
export type ActionClient = Pick<FuzzClient, 'docs' | 'capabilities' | 'open' | 'change' | 'close' | 'watched' | 'request' | 'fail'>;

export interface BurstState {
  client: ActionClient;
  ws: Workspace;
  rng: Rng;
  /** Original text of each file, for whole-text reverts. */
  originals: Map<string, string>;
  /** Requests sent, by method. */
  byMethod: Map<string, number>;
}

const CHANGED = 2;
const CREATED = 1;
const DELETED = 3;

function existingNixFiles(ws: Workspace): string[] {
  return ws.nixFiles.filter((f) => {
    try {
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  });
}

function openRandom(s: BurstState): void {
  const candidates = existingNixFiles(s.ws).filter((f) => !s.client.docs.has(pathToFileURL(f).href));
  if (!candidates.length) return;
  const file = s.rng.pick(candidates);
  const text = fs.readFileSync(file, 'utf8');
  s.originals.set(file, text);
  s.client.open(file, text);
}

function edit(s: BurstState): void {
  const uris = [...s.client.docs.keys()];
  if (!uris.length) return openRandom(s);
  const uri = s.rng.pick(uris);
  const doc = s.client.docs.get(uri)!;
  // several changes in one notification, each relative to the text after the previous one
  const changes: Change[] = [];
  let text = doc.text;
  const n = s.rng.chance(0.15) ? s.rng.int(2, 5) : 1;
  for (let i = 0; i < n; i++) {
    const c = randomChange(text, s.rng, undefined, s.originals.get(doc.file));
    changes.push(c);
    text = applyChange(text, c);
  }
  if (text.length > 3_000_000) return void s.client.change(uri, [{ text: s.originals.get(doc.file) ?? '' }]);
  s.client.change(uri, changes);
}

function request(s: BurstState, pending: Promise<void>[]): void {
  const uris = [...s.client.docs.keys()];
  const builders = announced(s.client.capabilities);
  if (!uris.length || !builders.length) return;
  const uri = s.rng.pick(uris);
  const text = s.client.docs.get(uri)!.text;
  const cases: RequestCase[] = s.rng.pick(builders).build(uri, text, s.rng, s.client.capabilities);
  for (const c of cases) {
    s.byMethod.set(c.method, (s.byMethod.get(c.method) ?? 0) + 1);
    pending.push(
      s.client.request(c.method, c.params).then((result) => {
        for (const p of c.check?.(result, text) ?? []) s.client.fail(`${c.method} result out of the document: ${p}`);
      }),
    );
  }
}

/** Deletes a file on disk (open or not) and tells the server, as the editor's file watcher would. */
function deleteFile(s: BurstState): void {
  const files = existingNixFiles(s.ws);
  if (!files.length) return;
  const openFiles = [...s.client.docs.values()].map((d) => d.file).filter((f) => fs.existsSync(f));
  const file = openFiles.length && s.rng.chance(0.5) ? s.rng.pick(openFiles) : s.rng.pick(files);
  fs.rmSync(file, { force: true });
  s.client.watched([{ file, type: DELETED }]);
}

function deleteDirectory(s: BurstState): void {
  const dirs = [...new Set(existingNixFiles(s.ws).map((f) => path.dirname(f)))].filter((d) => d !== s.ws.root);
  if (!dirs.length) return;
  const dir = s.rng.pick(dirs);
  fs.rmSync(dir, { recursive: true, force: true });
  s.client.watched([{ file: dir, type: DELETED }]);
}

/** Creates or rewrites a file on disk: sometimes a copy, sometimes garbage, sometimes a directory named x.nix. */
function writeFile(s: BurstState): void {
  const files = existingNixFiles(s.ws);
  const dirs = [...new Set(files.map((f) => path.dirname(f)))];
  if (!dirs.length) return;
  const kind = s.rng.weighted({ copy: 5, rewrite: 4, binary: 1, dirNamedNix: 1 });
  if (kind === 'rewrite' && files.length) {
    const file = s.rng.pick(files);
    if (s.client.docs.has(pathToFileURL(file).href)) return;
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, randomChange(text, s.rng, 'snippet').text + text);
    return s.client.watched([{ file, type: CHANGED }]);
  }
  const target = path.join(s.rng.pick(dirs), `fuzz-${s.rng.int(0, 99)}.nix`);
  if (fs.existsSync(target)) return;
  if (kind === 'dirNamedNix') {
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inner.nix'), '{ clan.core.vars.generators.inner.files.k = { }; }\n');
    s.ws.nixFiles.push(path.join(target, 'inner.nix'));
    return s.client.watched([{ file: target, type: CREATED }, { file: path.join(target, 'inner.nix'), type: CREATED }]);
  }
  if (kind === 'binary') fs.writeFileSync(target, Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0x7d]));
  else fs.copyFileSync(files.length ? s.rng.pick(files) : target, target);
  s.ws.nixFiles.push(target);
  s.client.watched([{ file: target, type: CREATED }]);
}

function closeOne(s: BurstState): void {
  const uris = [...s.client.docs.keys()];
  if (uris.length) s.client.close(s.rng.pick(uris));
  if (!s.client.docs.size || s.rng.chance(0.5)) openRandom(s);
}

/** Sends one burst of `n` actions without waiting, then waits for every request's answer. */
export async function burst(s: BurstState, n: number): Promise<void> {
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const action = s.rng.weighted({ edit: 60, request: 30, open: 2, close: 2, deleteFile: 1.5, deleteDir: 0.3, writeFile: 2 });
    if (action === 'edit') edit(s);
    else if (action === 'request') request(s, pending);
    else if (action === 'open') openRandom(s);
    else if (action === 'close') closeOne(s);
    else if (action === 'deleteFile') deleteFile(s);
    else if (action === 'deleteDir') deleteDirectory(s);
    else writeFile(s);
  }
  await Promise.all(pending);
}
