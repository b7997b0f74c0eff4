// Every rule's code is documented in docs/diagnostics.md, and every rule lives in its own file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/rules';
import { REPO_ROOT } from '../helpers/tempClan';

test('docs/diagnostics.md lists every code with its severity', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8');
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  for (const code of codes) assert.match(doc, new RegExp(`^\\| \`${code}\` \\| (error|warning)`, 'm'), `${code} is not in the table`);
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
