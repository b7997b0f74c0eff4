// Every rule's code is documented in docs/diagnostics.md, and every rule lives in its own file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { codeDocs, docsLink } from '../../server/src/base/diagnosticDocs';
import { RULES } from '../../server/src/rules';
import { REPO_ROOT } from '../helpers/tempClan';
import { codePicks } from '../../client/src/codePicks';

test('docs/diagnostics.md lists every code with its severity', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8');
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  for (const code of codes) assert.match(doc, new RegExp(`^\\| \`${code}\` \\| (error|warning|information|hint)`, 'm'), `${code} is not in the table`);
  // each code says what clan does and when it is silent
  const sections = doc.split(/^### /m).slice(1);
  for (const code of codes) {
    const section = sections.find((x) => x.split('\n')[0].includes(`\`${code}\``));
    assert.ok(section && /^- Clan: /m.test(section) && /^- Silent /m.test(section), `${code} has no "Clan:" and "Silent" section`);
  }
  const dir = path.join(REPO_ROOT, 'server', 'src', 'rules');
  for (const code of codes) {
    const file = code.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) + '.ts';
    assert.ok(fs.existsSync(path.join(dir, file)), `rule ${code} lives in ${file}`);
  }
});

test("each code's link (codeDescription) opens docs/diagnostics.md at the heading of its section", () => {
  const file = path.join(REPO_ROOT, 'docs', 'diagnostics.md');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const { code } of RULES) {
    const href = docsLink(code);
    const m = /^file:\/\/(.+)#L(\d+)$/.exec(href ?? '');
    assert.ok(m, `${code}: ${href}`);
    assert.equal(decodeURIComponent(m[1]), file);
    const line = lines[Number(m[2]) - 1];
    assert.match(line, new RegExp(`^### .*\`${code}\``), `${code} links to line ${m[2]}: ${line}`);
  }
});

test("each code's explanation (the SARIF help) has its own example, not those of the codes it shares a section with", () => {
  for (const { code } of RULES) {
    const section = codeDocs().get(code)?.section ?? '';
    assert.match(section, /^\*\*Example[ .]/m, `${code} has no example in its help`);
    for (const label of section.matchAll(/^\*\*Example \(`([a-z0-9-]+)`\)/gm)) assert.equal(label[1], code, `${code}'s help has the example of ${label[1]}`);
  }
  assert.match(codeDocs().get('invalid-mode')!.section!, /Example \(`invalid-mode`\)/);
});

test('Explain a Diagnostic Code: each rule\'s code is offered with its severity and one sentence of what it means', () => {
  const picks = codePicks(codeDocs());
  const byCode = new Map(picks.map((p) => [p.label, p]));
  for (const { code } of RULES) {
    const p = byCode.get(code);
    assert.ok(p, `${code} is not offered`);
    assert.match(p.description, /^(error|warning|information|hint)/, `${code}: ${p.description}`);
    // a sentence, as plain text: no Markdown code marks, short enough for a picker's line
    assert.match(p.detail, /^[A-Z`'"$]?.{10,}[.)]$/s, `${code}: "${p.detail}"`);
    assert.ok(!p.detail.includes('`') && p.detail.length <= 300, `${code}: "${p.detail}"`);
  }
  assert.deepEqual(picks.map((p) => p.label), [...picks.map((p) => p.label)].sort());
});
