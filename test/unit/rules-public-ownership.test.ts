// public-file-ownership as a clan user meets it (the whole finding: message, explanation, range,
// severity, fix), with declarations of one generator spread over modules and computed names; the
// internal-error finding's severity and explanation; and silencing by `# clan-vars: ignore` comments.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import type { Problem } from '../../server/src/base/types';
import { internalErrorProblem } from '../../server/src/rules/internalError';
import { RULES } from '../../server/src/rules/index';
import type { Rule } from '../../server/src/rules/types';
import { generatorModule as gen, lineRange } from '../helpers/ruleCases';
import { logRuleRuns, scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const CODE = 'public-file-ownership';
// the engine logs how many generators each run of a rule went over
logRuleRuns();

/** The findings of `code` in a clan of these files, as file (relative), line (1-based) and the finding. */
async function findings(files: Record<string, string>, code = CODE): Promise<(Problem & { rel: string; line: number; covers: string })[]> {
  const root = writeTree(files);
  roots.push(root);
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, () => {});
  return report.problems
    .filter((p) => p.code === code)
    .map((p) => {
      const text = fs.readFileSync(p.file, 'utf8').split('\n');
      return { ...p, rel: path.relative(root, p.file), line: p.range.start.line + 1, covers: text[p.range.start.line].slice(p.range.start.character, p.range.end.character) };
    })
    .sort((a, b) => a.rel.localeCompare(b.rel) || a.line - b.line);
}

const message = (file: string, gen: string, attr: string) =>
  `File '${file}' of generator '${gen}' is public, so its ${attr} cannot be set (it is in the Nix store): remove ${attr}, or make the file secret.`;
const explanation = (attr: string, text: string, should: string) =>
  `clan warns: "The ${attr} is set to ${text}, but should be ${should}. This doesn't work because the file will be added to the nix store".`;

test('public-file-ownership: the defaults clan accepts on a public file (owner root, group root or wheel, mode 0400) are not reported', async () => {
  const found = await findings({
    'm.nix': gen('g', `    files.a = { secret = false; owner = "root"; group = "root"; mode = "0400"; };
    files.b = { secret = false; group = "wheel"; };`),
  });
  assert.deepEqual(found, []);
});

test('public-file-ownership: each of owner, group and mode on a public file: message, explanation, range, severity and the unsafe fix', async () => {
  const found = await findings({
    'm.nix': gen('g', `    files.pub = {
      secret = false;
      owner = "nginx";
      group = "nginx";
      mode = "0444";
    };`),
  });
  assert.deepEqual(
    found.map((p) => [p.rel, p.line, p.covers, p.severity, p.message, p.explanation]),
    [
      ['m.nix', 6, 'owner', 'warning', message('pub', 'g', 'owner'), explanation('owner', '"nginx"', 'root')],
      ['m.nix', 7, 'group', 'warning', message('pub', 'g', 'group'), explanation('group', '"nginx"', 'root')],
      ['m.nix', 8, 'mode', 'warning', message('pub', 'g', 'mode'), explanation('mode', '"0444"', '0400')],
    ],
  );
  // the fix removes the whole binding's line, and is not applied by --fix on its own
  for (const [i, attr] of ['owner', 'group', 'mode'].entries()) {
    const p = found[i];
    assert.deepEqual(p.fixes, [{ title: `Remove ${attr}`, edits: [{ file: p.file, range: { start: { line: 5 + i, character: 0 }, end: { line: 6 + i, character: 0 } }, newText: '' }], safe: false }]);
  }
});

test('public-file-ownership: a number as mode is reported too (it is not "0400")', async () => {
  const found = await findings({ 'm.nix': gen('g', '    files.q = { secret = false; mode = 420; };') });
  assert.deepEqual(found.map((p) => [p.line, p.covers, p.message, p.explanation]), [[4, 'mode', message('q', 'g', 'mode'), explanation('mode', '420', '0400')]]);
});

test('public-file-ownership: secret = false in one module and owner in another module of the same generator', async () => {
  const found = await findings({
    'a.nix': '{ clan.core.vars.generators.s.files.k.secret = false; }\n',
    'b.nix': '{ clan.core.vars.generators.s.files.k.owner = "x"; }\n',
    // another generator's file is secret in one module and owner is set in the other: fine
    'c.nix': '{ clan.core.vars.generators.t.files.k.secret = true; }\n',
    'd.nix': '{ clan.core.vars.generators.t.files.k.owner = "x"; }\n',
  });
  assert.deepEqual(
    found.map((p) => [p.rel, p.line, p.covers, p.message]),
    [['b.nix', 1, 'owner', message('k', 's', 'owner')]],
  );
  assert.deepEqual(found[0].fixes?.[0].edits[0].range, lineRange(0, 2, 51));
});

test('public-file-ownership: a generator with a computed name (no literal name) is checked on its own declaration', async () => {
  const found = await findings({
    'c.nix': '{ name, ... }: { clan.core.vars.generators."wg-${name}".files.k = { secret = false; owner = "y"; }; }\n',
  });
  assert.deepEqual(found.map((p) => [p.rel, p.covers, p.message]), [['c.nix', 'owner', message('k', 'wg-*', 'owner')]]);
});

test('public-file-ownership: an edit of another module that makes the file public brings the finding (incremental run)', async () => {
  const { root, index, lines } = await scannedClan({
    'a.nix': '{ clan.core.vars.generators.s.files.k.secret = true; }\n',
    'b.nix': '{ clan.core.vars.generators.s.files.k.owner = "x"; }\n',
    'c.nix': '{ clan.core.vars.generators.other.files.k.owner = "y"; }\n',
  });
  const shown = () => [...index.allProblems().values()].flat().filter((p) => p.code === CODE).map((p) => `${path.relative(root, p.file)} ${p.message}`);
  assert.deepEqual(shown(), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), '{ clan.core.vars.generators.s.files.k.secret = false; }\n');
  assert.deepEqual(shown(), [`b.nix ${message('k', 's', 'owner')}`]);
  // the rule re-ran over the edited name's declarations only (its reach is the name), not over 'other'
  const runs = lines.map((l) => new RegExp(`^rule ${CODE} ran over (\\d+) generators`).exec(l)?.[1]).filter((n) => n !== undefined);
  assert.deepEqual(runs, ['2']);
  index.updateFromText(path.join(root, 'b.nix'), '{ clan.core.vars.generators.s.files.k.owner = "root"; }\n');
  assert.deepEqual(shown(), []);
});

test('internal-error: an error on the file, at its start, with what is missing from the checks', () => {
  const p = internalErrorProblem('/c/m.nix', 'boom');
  assert.deepEqual(p, {
    file: '/c/m.nix',
    range: lineRange(0, 0, 0),
    severity: 'error',
    code: 'internal-error',
    message: 'Clan Vars could not analyse this file: boom. This is a bug in Clan Vars, not in the file: please report it with this message.',
    explanation: "Until it is fixed, the file's generators, reads of vars and settings are missing from every check.",
  });
});

test('silencing: an ignore comment covers its own line and the line below, for its codes or all, nothing else', async () => {
  const found = await findings(
    {
      'm.nix': `{
  clan.core.vars.generators.g = {
    # clan-vars: ignore invalid-mode
    files.a.mode = "400";
    files.b.mode = "400";
    # clan-vars: ignore invalid-needed-for
    files.c.mode = "400";
    files.d.mode = "400";
    # clan-vars: ignore all
    files.e.mode = "400";
    files.f.mode = "400"; # clan-vars: ignore invalid-mode
  };
}
`,
    },
    'invalid-mode',
  );
  // line 4: the comment above; line 5: two lines below it; line 7: another code; line 8: a comment below does not cover the line above
  assert.deepEqual(found.map((p) => p.line), [5, 7, 8]);
});

test('invalid-needed-for: "service" and "user" (the singular the option description uses) get the plural, as a safe fix', async () => {
  const found = await findings({ 'm.nix': gen('g', '    files.a.neededFor = "service";\n    files.b.neededFor = "user";') }, 'invalid-needed-for');
  const enumText = `one of "partitioning", "activation", "users", "services"'`;
  assert.deepEqual(
    found.map((p) => [p.line, p.covers, p.severity, p.message, p.fixes]),
    [
      [4, '"service"', 'error', `neededFor of files.a of generator 'g' cannot be "service": evaluation fails with "A definition for option ... is not of type \`${enumText}".` + ' Did you mean "services"?', [{ title: 'Change to "services"', edits: [{ file: found[0].file, range: found[0].range, newText: '"services"' }], safe: true }]],
      [5, '"user"', 'error', `neededFor of files.b of generator 'g' cannot be "user": evaluation fails with "A definition for option ... is not of type \`${enumText}".` + ' Did you mean "users"?', [{ title: 'Change to "users"', edits: [{ file: found[1].file, range: found[1].range, newText: '"users"' }], safe: true }]],
    ],
  );
});

test('public-file-ownership: an owner inherited from a let binding is reported, with no fix (there is no binding of its own to remove)', async () => {
  const found = await findings({
    'm.nix': '{ pkgs, ... }:\nlet owner = "nginx"; in\n{\n  clan.core.vars.generators.g = {\n    files.k = { secret = false; inherit owner; };\n  };\n}\n',
  });
  assert.deepEqual(found.map((p) => [p.line, p.message, p.explanation, p.fixes]), [[5, message('k', 'g', 'owner'), explanation('owner', '"nginx"', 'root'), []]]);
});

test('silencing: a finding on a file the analysis has no facts of (an evaluated option site in the Nix store) is shown', async () => {
  const { index } = await scannedClan({ 'a.nix': '{ clan.core.vars.generators.a.files.k = { }; }\n' });
  const outside = '/nix/store/0000000000000000000000000000000-source/module.nix';
  const start = { line: 2, character: 4 };
  const rule: Rule = {
    code: 'test-outside',
    uses: ['generators'],
    check: () => [{ file: outside, range: { start, end: start }, severity: 'error', code: 'test-outside', message: 'found outside' }],
  };
  RULES.push(rule);
  try {
    assert.deepEqual((index.allProblems().get(outside) ?? []).map((p) => p.message), ['found outside']);
  } finally {
    RULES.splice(RULES.indexOf(rule), 1);
  }
});

test("public-file-ownership: the group clan expects is the machine's platform default (root on NixOS, wheel on darwin); on both, any group warns", async () => {
  const flake = `{
  outputs = { self, clan-core, ... }: {
    clan = clan-core.lib.clan {
      inherit self;
      inventory.machines.mac.machineClass = "darwin";
      inventory.machines.box.machineClass = "nixos";
      machines.mac.imports = [ ./mac.nix ./both.nix ];
      machines.box.imports = [ ./box.nix ./both.nix ];
      # a machine whose class is not stated: either default passes
      machines.other.imports = [ ./other.nix ];
    };
  };
}
`;
  const pub = (name: string, group: string) => `{\n  clan.core.vars.generators.${name}.files.k = { secret = false; group = "${group}"; };\n}\n`;
  const found = await findings({
    'flake.nix': flake,
    'mac.nix': `{\n  imports = [ ./mac-root.nix ./mac-wheel.nix ];\n}\n`,
    'mac-root.nix': pub('a', 'root'),
    'mac-wheel.nix': pub('b', 'wheel'),
    'box.nix': `{\n  imports = [ ./box-root.nix ./box-wheel.nix ];\n}\n`,
    'box-root.nix': pub('c', 'root'),
    'box-wheel.nix': pub('d', 'wheel'),
    'both.nix': pub('e', 'root'),
    'other.nix': `{\n  imports = [ ./other-wheel.nix ];\n}\n`,
    'other-wheel.nix': pub('f', 'wheel'),
  });
  assert.deepEqual(found.map((p) => [p.rel, p.line, p.explanation]), [
    ['both.nix', 2, explanation('group', '"root"', 'root (wheel on darwin)')],
    ['box-wheel.nix', 2, explanation('group', '"wheel"', 'root')],
    ['mac-root.nix', 2, explanation('group', '"root"', 'wheel')],
  ]);
});

test("public-file-ownership: a machine's class changed in flake.nix brings and removes the group finding (incremental run)", async () => {
  const flake = (cls: string) => `{
  outputs = { self, clan-core, ... }: {
    clan = clan-core.lib.clan {
      inherit self;
      inventory.machines.box.machineClass = "${cls}";
      machines.box.imports = [ ./box.nix ];
    };
  };
}
`;
  const { root, index } = await scannedClan({ 'flake.nix': flake('nixos'), 'box.nix': '{\n  clan.core.vars.generators.g.files.k = { secret = false; group = "wheel"; };\n}\n' });
  const shown = () => [...index.allProblems().values()].flat().filter((p) => p.code === CODE).map((p) => `${path.relative(root, p.file)}:${p.range.start.line} ${p.explanation}`);
  assert.deepEqual(shown(), [`box.nix:1 ${explanation('group', '"wheel"', 'root')}`]);
  index.updateFromText(path.join(root, 'flake.nix'), flake('darwin'));
  assert.deepEqual(shown(), []);
  index.updateFromText(path.join(root, 'flake.nix'), flake('nixos'));
  assert.deepEqual(shown(), [`box.nix:1 ${explanation('group', '"wheel"', 'root')}`]);
});
