// One source for the diagnostic codes: the registry (rules/index.ts CODES). The docs' tables, the
// README's count, the SARIF rules and the editor's ignore setting are held to it here (the codes
// --ignore takes, in test/cli/usage.test.ts), so that a code added to one place and not the others fails.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CHECK_CODE } from '../../server/src/ide/vars/checkProblems';
import { CLAN_VARS_CHECK, CODE_GROUPS, CODES, RULES } from '../../server/src/rules';
import { INTERNAL_ERROR } from '../../server/src/rules/internalError';
import { sarifLog } from '../../server/src/cli/sarif';
import { REPO_ROOT } from '../helpers/tempClan';

const codes = CODES.map((c) => c.code);

test('codes: the registry lists every rule once, the code of clan vars check and internal-error', () => {
  assert.equal(new Set(codes).size, codes.length, 'each code once');
  assert.deepEqual(CODES.filter((c) => c.from === 'rule').map((c) => c.code).sort(), RULES.map((r) => r.code).sort());
  assert.equal(CLAN_VARS_CHECK, CHECK_CODE);
  // what reports the two codes no rule has: the editor's Check Vars (clan vars check's output), the engine (a file it could not analyse)
  assert.deepEqual(CODES.filter((c) => c.from !== 'rule').map((c) => [c.code, c.from]), [[CHECK_CODE, 'clan vars check'], [INTERNAL_ERROR, 'engine']]);
});

/** The rows of the tables under "## Codes" in docs/diagnostics.md: group (the `### ` heading), code and severity cell. */
function docsTables(): { group: string; code: string; severity: string }[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8');
  const part = text.slice(text.indexOf('\n## Codes\n'), text.indexOf('\n## ', text.indexOf('\n## Codes\n') + 1));
  const rows: { group: string; code: string; severity: string }[] = [];
  let group = '';
  for (const line of part.split('\n')) {
    if (line.startsWith('### ')) group = line.slice(4);
    const row = /^\| `([a-z0-9-]+)` \| ([^|]+) \|/.exec(line);
    if (row) rows.push({ group, code: row[1], severity: row[2].trim() });
  }
  return rows;
}

test('codes: docs/diagnostics.md has a table row for each code, in its group and in the order of the registry, with its severity first', () => {
  const rows = docsTables();
  assert.deepEqual([...new Set(rows.map((r) => r.group))], [...CODE_GROUPS]);
  assert.deepEqual(rows.map((r) => `${r.group}: ${r.code}`), CODES.map((c) => `${c.group}: ${c.code}`));
  for (const { code, severity } of CODES) {
    const cell = rows.find((r) => r.code === code)!.severity;
    assert.ok(cell === severity || cell.startsWith(`${severity} `), `${code}: the docs say '${cell}', the registry '${severity}'`);
  }
});

test('codes: every count of codes in the READMEs and docs is the registry\'s', () => {
  const files = ['README.md', 'README.user.md', 'CHANGELOG.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  let counts = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    for (const m of text.matchAll(/\b(\d+) (?:diagnostic )?codes\b/g)) {
      counts++;
      assert.equal(Number(m[1]), CODES.length, `${file} says "${m[0]}"`);
    }
  }
  assert.ok(counts >= 2, 'the README and docs/diagnostics.md give the number of codes');
});

test('codes: the SARIF log has one rule per code of the registry, with its usual severity as the default level', () => {
  const log = sarifLog([], REPO_ROOT) as { runs: { tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } } }[] };
  const rules = log.runs[0].tool.driver.rules;
  assert.deepEqual(rules.map((r) => r.id).sort(), [...codes].sort());
  const level = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
  for (const c of CODES) assert.equal(rules.find((r) => r.id === c.code)!.defaultConfiguration.level, level[c.severity], c.code);
});

test('codes: the editor setting clanVars.diagnostics.ignore offers exactly the codes of the registry', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { items?: { enum?: string[] } }> } } };
  assert.deepEqual(pkg.contributes.configuration.properties['clanVars.diagnostics.ignore'].items?.enum, codes);
});
