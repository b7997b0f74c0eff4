// Names from a hostile repository in what the language server sends the editor (security issue 52):
// diagnostics and their related messages, hovers (Markdown, with the Generate links a trusted editor
// gets), code lens titles, document and workspace symbols, and the server's log. The clan is test/helpers/hostileNames.ts: terminal
// escapes, line breaks, bidi overrides and Markdown syntax in generator, file, prompt, dependency
// and machine names. No text carries a control, format or line-separator character, and no hover
// gets a link, an image, HTML or a heading from a name.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CodeLens, DocumentSymbol, Hover, MarkupContent, SymbolInformation } from 'vscode-languageserver-protocol';
import { PAYLOADS, UNSAFE, onDiskName, removeHostileClan, writeHostileClan } from '../helpers/hostileNames';
import { markdownParts } from '../helpers/markdownParts';
import { TestClient, uri } from '../helpers/lspClient';

let root: string;
let client: TestClient;
before(async () => {
  root = writeHostileClan();
  client = await TestClient.start(root, { textDocument: { hover: { contentFormat: ['markdown'] } }, experimental: { clanVarsCommands: ['clanVars.generate'] } });
  await client.waitReady(60_000);
});
after(async () => {
  await client.stop();
  removeHostileClan(root);
});

const WEB = 'machines/web/configuration.nix';
/** The machine files, each declaring a generator on a machine with a hostile name. */
const MACHINE_FILES = Object.keys(PAYLOADS).map((label) => `machines/m-${onDiskName(label)}/configuration.nix`);

function unsafeIn(text: string): string[] {
  return [...new Set([...text].filter((c) => UNSAFE.test(c)))].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Positions just inside each quoted name after `key."` in the text. */
function namesAfter(text: string, key: RegExp): { line: number; character: number }[] {
  const out = [];
  for (const m of text.matchAll(key)) {
    const before = text.slice(0, m.index! + m[0].length + 1).split('\n');
    out.push({ line: before.length - 1, character: before[before.length - 1].length });
  }
  return out;
}

async function hover(file: string, position: { line: number; character: number }): Promise<string | null> {
  const h = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(file) }, position })) as Hover | null;
  return h ? (h.contents as MarkupContent).value : null;
}

test('hostile names: diagnostics and their related messages are one printable line each', async () => {
  const web = path.join(root, WEB);
  const diagnostics = await client.waitForDiagnostics(web, (d) => d.some((x) => x.code === 'dependency-cycle'), 60_000);
  assert.ok(diagnostics.length > 50);
  const bad: string[] = [];
  for (const [file, list] of client.diagnostics) {
    for (const d of list) {
      for (const text of [d.message as string, ...(d.relatedInformation ?? []).map((r) => r.message)]) if (unsafeIn(text).length) bad.push(`${file} ${d.code}: ${unsafeIn(text).join(' ')} in ${JSON.stringify(text)}`);
    }
  }
  assert.ok([...client.diagnostics.values()].flat().some((d) => d.relatedInformation?.length), 'related messages were checked');
  assert.deepEqual(bad, []);
});

test('hostile names: hovers on generators, files, prompts and dependencies make no link, image, HTML or heading of a name', async () => {
  const bad: string[] = [];
  let links = 0;
  const files = [WEB, ...MACHINE_FILES];
  for (const rel of files) {
    const file = path.join(root, rel);
    const text = fs.readFileSync(file, 'utf8');
    client.open(file, text);
    for (const at of namesAfter(text, /(?:generators|files|prompts)\.(?=")|dependencies = \[ (?=")/g)) {
      const value = await hover(file, at);
      if (value === null) continue;
      const parts = markdownParts(value);
      const where = `${rel}:${at.line + 1}:${at.character + 1}`;
      for (const href of parts.links) {
        // the only links: Generate and Regenerate, running clanVars.generate
        if (href.startsWith('command:clanVars.generate?')) links++;
        else bad.push(`${where}: a link from a name: ${href}`);
      }
      for (const x of [...parts.images, ...parts.html, ...parts.headings]) bad.push(`${where}: ${JSON.stringify(x)} from a name`);
      // a code block's lines are ours: what a name brings may not be in any of them
      for (const s of parts.shown.flatMap((x) => x.split('\n'))) if (unsafeIn(s).length) bad.push(`${where}: ${unsafeIn(s).join(' ')} shown in ${JSON.stringify(s)}`);
    }
  }
  assert.ok(links >= Object.keys(PAYLOADS).length, `the Generate links on machines with hostile names were checked (${links})`);
  assert.deepEqual(bad, []);
});

test('hostile names: code lens titles, symbols and the log are printable', async () => {
  const bad: string[] = [];
  const symbolNames = (list: DocumentSymbol[]): string[] => list.flatMap((x) => [x.name, x.detail ?? '', ...symbolNames(x.children ?? [])]);
  for (const rel of [WEB, ...MACHINE_FILES]) {
    const document = { textDocument: { uri: uri(path.join(root, rel)) } };
    const lenses = (await client.conn.sendRequest('textDocument/codeLens', document)) as CodeLens[];
    for (const l of lenses) if (l.command && unsafeIn(l.command.title).length) bad.push(`${rel}: ${JSON.stringify(l.command.title)}`);
    const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', document)) as DocumentSymbol[];
    for (const name of symbolNames(symbols)) if (unsafeIn(name).length) bad.push(`${rel} symbol: ${JSON.stringify(name)}`);
  }
  const all = (await client.conn.sendRequest('workspace/symbol', { query: '' })) as SymbolInformation[];
  assert.ok(all.length > 50);
  for (const x of all) if (unsafeIn(x.name).length) bad.push(`workspace symbol: ${JSON.stringify(x.name)}`);
  for (const line of client.logs) for (const l of line.split('\n')) if (unsafeIn(l).length) bad.push(`log: ${JSON.stringify(l)}`);
  assert.deepEqual(bad, []);
});
