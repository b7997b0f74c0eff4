// Names from a hostile repository in what the extension shows (security issue 52): the vars view's
// tooltips (a generator's is Markdown, a file's plain text), the status item's Markdown tooltip
// (its lines as client/src/statusItem.ts escapes them) and notifications, which VS Code shows with
// `[text](target)` as a link (a command link runs the command). No text carries a control, format
// or line-separator character, and none makes a link, an image, HTML or a heading of a name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownText, noticeText } from '../../server/src/base/printable';
import type { GeneratorStatus } from '../../server/src/lsp/protocol';
import { statusText } from '../../client/src/statusText';
import { describeFile, describeGenerator } from '../../client/src/vars/describeState';
import { PAYLOADS, UNSAFE } from '../helpers/hostileNames';
import { markdownParts } from '../helpers/markdownParts';

const unsafeIn = (s: string) => [...s].filter((c) => UNSAFE.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`);

/** What a Markdown tooltip may not hold: links, images, HTML, headings, or unsafe characters in what it shows. */
function markdownProblems(md: string): string[] {
  const parts = markdownParts(md);
  const shown = parts.shown.flatMap((s) => s.split('\n')).filter((s) => unsafeIn(s).length);
  return [...parts.links, ...parts.images, ...parts.html, ...parts.headings, ...shown];
}

function hostileGenerator(p: string, state: GeneratorStatus['state'], validation: GeneratorStatus['validation']): GeneratorStatus {
  return {
    name: `g-${p}`,
    machine: `m-${p}`,
    state,
    validation,
    files: [{ name: `f-${p}`, secret: true, state: 'missing', kind: 'sops', path: `/c/vars/${p}/secret`, detail: `d-${p}` }],
    declarations: [],
    dependents: [`dep-${p}`],
    why: 'stored',
    filesFromDisk: true,
    movedFrom: 'clan facts',
  };
}

test('vars view: generator and file tooltips show hostile names as text', () => {
  const bad: string[] = [];
  for (const [label, p] of Object.entries(PAYLOADS)) {
    for (const g of [
      hostileGenerator(p, 'orphaned', { kind: 'none' }),
      hostileGenerator(p, 'outdated', { kind: 'outdated', stored: `s-${p}`, expected: `e-${p}`, reason: `r-${p}` }),
      hostileGenerator(p, 'unknown', { kind: 'unknown', reason: `r-${p}` }),
      hostileGenerator(p, 'generated', { kind: 'match', expected: `${p}0123456789abcdef` }),
    ]) {
      const d = describeGenerator(g, 'sops');
      for (const x of markdownProblems(d.long)) bad.push(`${label} ${g.state}: ${JSON.stringify(x)}`);
      if (unsafeIn(d.short).length) bad.push(`${label} ${g.state} short: ${JSON.stringify(d.short)}`);
      const f = describeFile(g.files[0]);
      // a plain tooltip: its own lines, none holding anything unsafe
      for (const line of f.long.split('\n')) if (unsafeIn(line).length) bad.push(`${label} file: ${JSON.stringify(line)}`);
      assert.equal(f.long.split('\n').length, 3, JSON.stringify(f.long));
    }
  }
  assert.deepEqual(bad, []);
});

test('status item: the tooltip, escaped line by line as the item does, shows hostile names as text', () => {
  const bad: string[] = [];
  for (const [label, p] of Object.entries(PAYLOADS)) {
    const t = statusText({ state: 'ready', files: 1, generators: 1, errors: 0, warnings: 0 }, { text: `set g-${p}/f-${p}: failed`, ok: false }, [{ machine: `m-${p}`, count: 2 }]);
    const md = t.tooltip.split('\n').map(markdownText).join('  \n');
    for (const x of markdownProblems(md)) bad.push(`${label}: ${JSON.stringify(x)}`);
  }
  assert.deepEqual(bad, []);
});

/** VS Code's link syntax in notifications (src/vs/base/common/linkedText.ts). */
const NOTICE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

test('notifications: a name makes no link and no line', () => {
  const link = '[Reload](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)';
  for (const p of [...Object.values(PAYLOADS), link, `x](command:y) [z`]) {
    const text = noticeText(`Clan Vars: generator '${p}' is not known to the vars view yet.`);
    assert.deepEqual([...text.matchAll(NOTICE_LINK)], [], text);
    assert.deepEqual(unsafeIn(text), [], text);
  }
});
