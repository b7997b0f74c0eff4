// invalid-validation as a clan user meets it: clan-core types `validation` as
// nullOr (oneOf [ bool int str (attrsOf (oneOf [ bool int str (attrsOf (oneOf [ bool int str ])) ])) ]),
// so a list, a float, null inside, or anything nested deeper than two attrsets fails evaluation.
// The whole finding (message, explanation, range, severity, fix), what is not reported, and the
// finding following an edit (incremental run).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { generatorModule as gen } from '../helpers/ruleCases';
import { logRuleRuns, scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const CODE = 'invalid-validation';
// the engine logs how many generators each run of a rule went over
logRuleRuns();

type Found = Problem & { rel: string; line: number; covers: string };

/** The findings of invalid-validation in a clan of these files, as file (relative), line (1-based), the text the range covers, and the finding. */
async function findings(files: Record<string, string>): Promise<Found[]> {
  const root = writeTree(files);
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems
    .filter((p) => p.code === CODE)
    .map((p) => {
      const text = fs.readFileSync(p.file, 'utf8').split('\n');
      const { start, end } = p.range;
      const covers = start.line === end.line ? text[start.line].slice(start.character, end.character) : [text[start.line].slice(start.character), ...text.slice(start.line + 1, end.line), text[end.line].slice(0, end.character)].join('\n');
      return { ...p, rel: path.relative(root, p.file), line: start.line + 1, covers };
    })
    .sort((a, b) => a.rel.localeCompare(b.rel) || a.line - b.line);
}

const message = (where: string, generator: string, why: string) => `${where} of generator '${generator}' is ${why}: turn the value into a string (builtins.toJSON) or flatten it.`;
const EXPLANATION = 'validation takes a bool, int or string, or attrsets of those nested at most two levels; evaluation fails with a type error.';
const LIST = 'a list (clan forbids lists here because their order would change the hash)';
const THIRD_ATTRSET = 'an attrset three levels deep (at most two levels of attrsets are allowed)';
const nested = (depth: number) => `nested ${depth} levels deep (at most two levels of attrsets are allowed)`;

/** The one fix a list or attrset gets, at the finding's range. */
const wrap = (p: Problem, newText: string) => [{ title: 'Wrap in builtins.toJSON (a string)', edits: [{ file: p.file, range: p.range, newText }], safe: false }];

/** A module of generator `g` with a file, a script and these lines (four spaces in). */
const module = (lines: string) => gen('g', `    files.k = { };\n    script = "touch $out/k";\n${lines}`);

test('invalid-validation: a list literal: message, explanation, range, severity and the unsafe fix wrapping it in builtins.toJSON', async () => {
  const found = await findings({ 'm.nix': module('    validation.hosts = [ "a" "b" ];') });
  assert.deepEqual(
    found.map((p) => [p.rel, p.line, p.covers, p.severity, p.message, p.explanation]),
    [['m.nix', 6, '[ "a" "b" ]', 'error', message('validation.hosts', 'g', LIST), EXPLANATION]],
  );
  // a list literal goes in as it is: `builtins.toJSON [ ... ]` needs no parentheses
  assert.deepEqual(found[0].fixes, wrap(found[0], 'builtins.toJSON [ "a" "b" ]'));
});

test('invalid-validation: a value that is a list whatever it evaluates to (++, map) is a list too; the fix puts it in parentheses', async () => {
  const found = await findings({
    'm.nix': `{ hosts, ... }:
{
  clan.core.vars.generators.g = {
    files.k = { };
    script = "touch $out/k";
    validation = {
      joined = [ "a" ] ++ hosts;
      mapped = map (h: h.name) hosts;
    };
  };
}
`,
  });
  assert.deepEqual(
    found.map((p) => [p.line, p.covers, p.message]),
    [
      [7, '[ "a" ] ++ hosts', message('validation.joined', 'g', LIST)],
      [8, 'map (h: h.name) hosts', message('validation.mapped', 'g', LIST)],
    ],
  );
  assert.deepEqual(found[0].fixes, wrap(found[0], 'builtins.toJSON ([ "a" ] ++ hosts)'));
  assert.deepEqual(found[1].fixes, wrap(found[1], 'builtins.toJSON (map (h: h.name) hosts)'));
});

test('invalid-validation: a float: the unsafe fix turns it into the string of its text', async () => {
  const found = await findings({ 'm.nix': module('    validation.ratio = 1.5;') });
  assert.deepEqual(found.map((p) => [p.line, p.covers, p.severity, p.message, p.explanation]), [[6, '1.5', 'error', message('validation.ratio', 'g', 'a float'), EXPLANATION]]);
  const p = found[0];
  assert.deepEqual(p.fixes, [{ title: 'Change to "1.5"', edits: [{ file: p.file, range: p.range, newText: '"1.5"' }], safe: false }]);
});

test('invalid-validation: null inside an attrset is reported with no fix; null as the whole value is the default and fine', async () => {
  const found = await findings({
    'm.nix': module('    validation.gone = null;'),
    'n.nix': gen('h', '    files.k = { };\n    script = "touch $out/k";\n    validation = null;'),
  });
  assert.deepEqual(found.map((p) => [p.rel, p.line, p.covers, p.message, p.fixes]), [['m.nix', 6, 'null', message('validation.gone', 'g', 'null inside an attrset'), []]]);
});

test('invalid-validation: scalars and attrsets of them nested two levels are fine', async () => {
  const found = await findings({
    'm.nix': module(`    validation = {
      name = "lea";
      port = 443;
      on = true;
      one = { };
      two = { a = "x"; b = 1; };
      three.c = false;
    };`),
  });
  assert.deepEqual(found, []);
});

test('invalid-validation: a string three levels down is reported at the value with no fix', async () => {
  const found = await findings({ 'm.nix': module('    validation.deep.a.b = "y";') });
  assert.deepEqual(found.map((p) => [p.line, p.covers, p.severity, p.message, p.explanation, p.fixes]), [[6, '"y"', 'error', message('validation.deep.a.b', 'g', nested(3)), EXPLANATION, []]]);
});

test('invalid-validation: an attrset at the third level is reported once, on the attrset, not again on the values inside it', async () => {
  const found = await findings({
    'm.nix': module(`    validation = {
      x = { y = { z = "a"; w = { v = 1; }; }; };
      r.s = rec { t = "b"; };
    };`),
  });
  assert.deepEqual(
    found.map((p) => [p.line, p.covers, p.severity, p.message, p.explanation]),
    [
      [7, '{ z = "a"; w = { v = 1; }; }', 'error', message('validation.x.y', 'g', THIRD_ATTRSET), EXPLANATION],
      [8, 'rec { t = "b"; }', 'error', message('validation.r.s', 'g', THIRD_ATTRSET), EXPLANATION],
    ],
  );
  assert.deepEqual(found[0].fixes, wrap(found[0], 'builtins.toJSON ({ z = "a"; w = { v = 1; }; })'));
  assert.deepEqual(found[1].fixes, wrap(found[1], 'builtins.toJSON (rec { t = "b"; })'));
});

test('invalid-validation: an empty attrset at the third level is a type error too (its level allows only bool, int and string)', async () => {
  // clan-core: the innermost attrsOf takes oneOf [ bool int str ]; `{ }` fails that check
  const found = await findings({
    'm.nix': module(`    validation.x.y = { };
    validation.p.q = {
    };
    validation.s.t = { };
    validation.s.t.u = "a";`),
  });
  assert.deepEqual(
    found.map((p) => [p.line, p.covers, p.message]),
    [
      [6, '{ }', message('validation.x.y', 'g', THIRD_ATTRSET)],
      [7, '{\n    }', message('validation.p.q', 'g', THIRD_ATTRSET)],
      [9, '{ }', message('validation.s.t', 'g', THIRD_ATTRSET)],
    ],
  );
});

test('invalid-validation: a value three levels down is reported unless its own third-level attrset is (another attrset of the same names elsewhere does not hide it)', async () => {
  const found = await findings({
    'm.nix': module(`    files.deep.secret = false;
    validation.other.secret = "1";
    validation.deep.c = "2";
    validation.deep.secret.b = "y";`),
  });
  // files.deep.secret, validation.other.secret and validation.deep.c share two of the three names, none is validation.deep.secret
  assert.deepEqual(found.map((p) => [p.line, p.covers, p.message]), [[9, '"y"', message('validation.deep.secret.b', 'g', nested(3))]]);
});

test('invalid-validation: deeper than two levels: an empty attrset is reported (nothing inside it is), an attrset with values is reported at its values, none twice, and no fix (a string there is as wrong)', async () => {
  const found = await findings({
    'm.nix': module(`    validation.a.b.c = { };
    validation.p.q.r = { s = "y"; };
    validation.x.y = { z = { }; };
    validation.l.m.n = [ "a" ];
    validation.f.g.h = 1.5;`),
  });
  assert.deepEqual(
    found.map((p) => [p.line, p.covers, p.message, p.fixes]),
    [
      [6, '{ }', message('validation.a.b.c', 'g', nested(3)), []],
      [7, '"y"', message('validation.p.q.r.s', 'g', nested(4)), []],
      [8, '{ z = { }; }', message('validation.x.y', 'g', THIRD_ATTRSET), wrap(found[2], 'builtins.toJSON ({ z = { }; })')],
      [9, '[ "a" ]', message('validation.l.m.n', 'g', LIST), []],
      [10, '1.5', message('validation.f.g.h', 'g', 'a float'), []],
    ],
  );
});

test('invalid-validation: an attrset deeper than the reader goes (its values unread) is reported at the attrset', async () => {
  const found = await findings({ 'm.nix': module('    validation.a.b.c.d.e = { f = 1; };') });
  assert.deepEqual(found.map((p) => [p.line, p.covers, p.message]), [[6, '{ f = 1; }', message('validation.a.b.c.d.e', 'g', nested(5))]]);
});

test('invalid-validation: a value whose text is cut (over 200 characters) is reported without a fix: the fix would write the cut text', async () => {
  const long = Array.from({ length: 40 }, (_, i) => `"host${i}"`).join(' ');
  const found = await findings({ 'm.nix': module(`    validation.hosts = [ ${long} ];`) });
  assert.deepEqual(found.map((p) => [p.line, p.message, p.fixes]), [[6, message('validation.hosts', 'g', LIST), []]]);
  // a short list in the same clan keeps its fix
  const short = await findings({ 'm.nix': module('    validation.hosts = [ "host0" ];') });
  assert.deepEqual(short.map((p) => p.fixes?.length), [1]);
});

test('invalid-validation: an edit that puts a list into validation brings the finding, and one that removes it clears it (incremental run over the edited name only)', async () => {
  const { root, index, lines } = await scannedClan({
    'a.nix': '{ clan.core.vars.generators.s.validation.hosts = "a"; }\n',
    'b.nix': '{ clan.core.vars.generators.s.files.k = { }; }\n',
    'c.nix': '{ clan.core.vars.generators.other.validation.name = "x"; }\n',
  });
  const shown = () => [...index.allProblems().values()].flat().filter((p) => p.code === CODE).map((p) => `${path.relative(root, p.file)} ${p.message}`);
  assert.deepEqual(shown(), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), '{ clan.core.vars.generators.s.validation.hosts = [ "a" ]; }\n');
  assert.deepEqual(shown(), [`a.nix ${message('validation.hosts', 's', LIST)}`]);
  // the rule re-ran over the edited name's declarations only (its reach is the name), not over 'other'
  const runs = lines.map((l) => new RegExp(`^rule ${CODE} ran over (\\d+) generators`).exec(l)?.[1]).filter((n) => n !== undefined);
  assert.deepEqual(runs, ['2']);
  index.updateFromText(path.join(root, 'a.nix'), '{ clan.core.vars.generators.s.validation.hosts = "a"; }\n');
  assert.deepEqual(shown(), []);
});
