// The rules engine (rules/engine.ts): what the editor and the checker see of its bookkeeping. A
// finding list keeps its identity while its file's findings stay (the publisher sends nothing
// then), silencing comments take effect on the keystroke that adds them, a file's findings come in
// one order, a rule that throws costs only its own findings, and an edit re-runs a rule over the
// part of the clan it can reach (with CLAN_VARS_DEBUG_RULES=1 the engine logs how many generators
// each run went over).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import type { Problem } from '../../server/src/base/types';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { RULES } from '../../server/src/rules/index';
import type { Rule } from '../../server/src/rules/types';
import { logRuleRuns, scannedClan } from '../helpers/ruleRuns';


logRuleRuns();

/** A clan in a fresh folder, scanned, with the engine's log lines. */
const open = scannedClan;

function serialise(problems: Map<string, Problem[]>, root: string): string[] {
  return [...problems.values()].flat().map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.code}`).sort();
}

/** How many generators each rule ran over, by rule code, from the log lines since `lines` was emptied. */
function runs(lines: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const l of lines) {
    const m = /^rule (\S+) ran over (\d+) generators/.exec(l);
    if (m) (out.get(m[1]) ?? out.set(m[1], []).get(m[1])!).push(Number(m[2]));
  }
  return out;
}

/** The findings after a fresh build over the same facts. */
function fresh(index: WorkspaceAnalysis, root: string): string[] {
  index.engine.clear();
  index.models.clear();
  return serialise(index.allProblems(), root);
}

/** Runs `fn` with `rules` added to the engine's rules. */
async function withRules<T>(rules: Rule[], fn: () => Promise<T>): Promise<T> {
  RULES.push(...rules);
  try {
    return await fn();
  } finally {
    for (const r of rules) RULES.splice(RULES.indexOf(r), 1);
  }
}

const gen = (name: string, body = 'files.key = { }; script = "touch $out/key";') => `{ clan.core.vars.generators.${name} = { ${body} }; }\n`;

test('rules engine: a file whose findings did not change keeps its list of findings (the editor is sent nothing for it)', async () => {
  const { root, index } = await open({
    'a.nix': gen('a', 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";'),
    'b.nix': gen('b'),
  });
  const a = path.join(root, 'a.nix');
  const first = index.allProblems().get(a);
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 unknown-dependency']);
  assert.equal(index.allProblems().get(a), first, 'asked again: the same list');
  // an edit of another generator's script: a's findings are the same
  index.updateFromText(path.join(root, 'b.nix'), gen('b', 'files.key = { }; script = "echo hi > $out/key";'));
  assert.equal(index.allProblems().get(a), first, "after b's edit: the same list");
  index.updateFromText(path.join(root, 'b.nix'), gen('b', 'files.key = { }; script = "echo ho > $out/key";'));
  assert.equal(index.allProblems().get(a), first, "after b's second edit: the same list");
});

test('rules engine: a silencing comment added or removed takes effect on that edit', async () => {
  const text = (comment: string) => `{ clan.core.vars.generators.a = { dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key"; }; }${comment}\n`;
  const { root, index } = await open({ 'a.nix': text(''), 'b.nix': gen('b') });
  const a = path.join(root, 'a.nix');
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 unknown-dependency']);
  index.updateFromText(a, text(' # clan-vars: ignore unknown-dependency'));
  assert.equal(index.allProblems().has(a), false, 'silenced: the file has no findings to show (not an empty list)');
  index.updateFromText(a, text(''));
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 unknown-dependency'], 'the comment removed: the finding is back');
  index.updateFromText(a, text(' # clan-vars: ignore all'));
  assert.deepEqual([...index.allProblems().keys()], [], 'silenced again');
  assert.deepEqual(fresh(index, root), []);
});

test("rules engine: a file's findings are ordered by position, then code, then message", async () => {
  const { root, index } = await open({ 'a.nix': gen('a') });
  const a = path.join(root, 'a.nix');
  const at = (line: number, character: number, code: string, message: string): Problem => ({
    file: a,
    range: { start: { line, character }, end: { line, character: character + 1 } },
    severity: 'warning',
    code,
    message,
  });
  const order: Rule = {
    code: 'test-order',
    uses: ['generators'],
    check: () => [at(2, 0, 'c-code', 'm'), at(1, 5, 'b-code', 'y'), at(1, 5, 'b-code', 'x'), at(1, 5, 'a-code', 'z'), at(1, 3, 'z-code', 'm'), at(0, 9, 'z-code', 'm'), at(1, 5, 'b-code', 'x2'), at(1, 10, 'a-code', 'a'), at(3, 0, 'a-code', 'z'), at(3, 0, 'b-code', 'a')],
  };
  await withRules([order], async () => {
    const shown = (index.allProblems().get(a) ?? []).filter((p) => p.code.endsWith('-code')).map((p) => `${p.range.start.line}:${p.range.start.character} ${p.code} ${p.message}`);
    assert.deepEqual(shown, ['0:9 z-code m', '1:3 z-code m', '1:5 a-code z', '1:5 b-code x', '1:5 b-code x2', '1:5 b-code y', '1:10 a-code a', '2:0 c-code m', '3:0 a-code z', '3:0 b-code a']);
  });
});

test("rules engine: a finding's texts are printable, wherever they are shown", async () => {
  const { root, index } = await open({ 'a.nix': gen('a') });
  const a = path.join(root, 'a.nix');
  const start = { line: 0, character: 0 };
  const hostile: Rule = {
    code: 'test-hostile',
    uses: ['generators'],
    check: () => [
      {
        file: a,
        range: { start, end: start },
        severity: 'warning',
        code: 'test-hostile',
        message: 'name \x1b[31mred',
        explanation: 'why\nnot',
        related: [{ location: { file: a, range: { start, end: start } }, message: 'see \u202eeman' }],
        fixes: [{ title: 'rename \x07it', preview: 'new\rname', edits: [], safe: false }],
      },
    ],
  };
  await withRules([hostile], async () => {
    const [p] = (index.allProblems().get(a) ?? []).filter((p) => p.code === 'test-hostile');
    assert.equal(p.message, 'name \\x1b[31mred');
    assert.equal(p.explanation, 'why\\nnot');
    assert.equal(p.related![0].message, 'see \\u202eeman');
    assert.equal(p.fixes![0].title, 'rename \\x07it');
    assert.equal(p.fixes![0].preview, 'new\\rname');
  });
});

test('rules engine: a rule that throws loses only its own findings, and the log says where it failed', async () => {
  const { root, index, lines } = await open({ 'a.nix': gen('a', 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";') });
  const thrower: Rule = {
    code: 'test-throws',
    uses: ['generators'],
    check: () => {
      throw new Error('boom');
    },
  };
  await withRules([thrower], async () => {
    const problems = index.allProblems();
    assert.deepEqual(serialise(problems, root), ['a.nix:1 unknown-dependency']);
    for (const [file, list] of problems) {
      assert.equal(typeof file, 'string');
      for (const p of list) assert.equal(p.file, file);
    }
    const failed = lines.filter((l) => l.startsWith('rule test-throws failed'));
    assert.equal(failed.length, 1, lines.join('\n'));
    assert.ok(failed[0].startsWith(`rule test-throws failed in ${root}: Error: boom\n    at `), failed[0]);
  });
});

test('rules engine: a file whose analysis throws after an edit is reported, in its own clan only, until it is analysed again', async () => {
  const plain = '{ networking.hostName = "h"; }\n';
  const { root, index } = await open({
    'a.nix': gen('a'),
    'b.nix': gen('b', 'dependencies = [ "a" ]; files.key = { }; script = "touch $out/key";'),
    'plain.nix': plain,
    'sub/c.nix': gen('c'),
    'sub/plain.nix': plain,
  });
  const sub = path.join(root, 'sub');
  const a = path.join(root, 'a.nix');
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // a bug of the parser (any) for the texts marked FAIL
  const parser = (index as unknown as { parser: NixParser }).parser;
  const parse = parser.parse.bind(parser);
  const update = (rel: string, text: string) => {
    parser.parse = (t: string) => {
      if (t.includes('# FAIL')) throw new Error('no parse today');
      return parse(t);
    };
    try {
      index.updateFromText(path.join(root, rel), text);
    } finally {
      parser.parse = parse;
    }
  };
  // a module without generators nor findings
  update('plain.nix', `${plain}# FAIL`);
  assert.deepEqual(serialise(index.allProblems(), root), ['plain.nix:1 internal-error']);
  update('a.nix', `${gen('a')}# FAIL`);
  update('sub/c.nix', `${gen('c')}# FAIL`);
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 internal-error', 'b.nix:1 unknown-dependency', 'plain.nix:1 internal-error', 'sub/c.nix:1 internal-error']);
  const list = index.allProblems().get(a);
  assert.match(list![0].message, /^Clan Vars could not analyse this file: no parse today\./);
  assert.equal(index.allProblems().get(a), list, 'asked again: the same list');
  // sub/ becomes a clan of its own: c.nix is reported there, no longer in the clan above
  index.updateFromText(path.join(sub, 'flake.nix'), '{ }');
  update('sub/plain.nix', `${plain}# FAIL`);
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 internal-error', 'b.nix:1 unknown-dependency', 'plain.nix:1 internal-error', 'sub/c.nix:1 internal-error', 'sub/plain.nix:1 internal-error']);
  assert.deepEqual(serialise(index.engine.problemsByFile(root), root), ['a.nix:1 internal-error', 'b.nix:1 unknown-dependency', 'plain.nix:1 internal-error']);
  assert.deepEqual(serialise(index.engine.problemsByFile(sub), root), ['sub/c.nix:1 internal-error', 'sub/plain.nix:1 internal-error']);
  for (const rel of ['a.nix', 'plain.nix', 'sub/c.nix', 'sub/plain.nix']) update(rel, rel.endsWith('plain.nix') ? plain : gen(path.basename(rel, '.nix')));
  assert.deepEqual(serialise(index.allProblems(), root), [], 'analysed again: no finding left');
});

test('rules engine: a clan that goes away and comes back is checked afresh', async () => {
  const { root, index } = await open({
    'a.nix': gen('a'),
    'sub/b.nix': gen('b', 'dependencies = [ "a" ]; files.key = { }; script = "touch $out/key";'),
  });
  const flake = path.join(root, 'sub/flake.nix');
  assert.deepEqual(serialise(index.allProblems(), root), []);
  index.updateFromText(flake, '{ }');
  assert.deepEqual(serialise(index.allProblems(), root), ['sub/b.nix:1 unknown-dependency'], 'a is in another clan');
  index.remove(flake);
  assert.deepEqual(serialise(index.allProblems(), root), []);
  index.updateFromText(path.join(root, 'sub/b.nix'), gen('b'));
  index.updateFromText(flake, '{ }');
  assert.deepEqual(serialise(index.allProblems(), root), [], 'b no longer depends on a');
  index.updateFromText(path.join(root, 'sub/b.nix'), gen('b', 'dependencies = [ "a" ]; files.key = { }; script = "touch $out/key";'));
  assert.deepEqual(serialise(index.allProblems(), root), ['sub/b.nix:1 unknown-dependency']);
  index.remove(flake);
  index.updateFromText(path.join(root, 'sub/b.nix'), gen('b'));
  index.updateFromText(flake, '{ }');
  const now = serialise(index.allProblems(), root);
  assert.deepEqual(now, fresh(index, root));
});

test('rules engine: a removed file takes its findings with it', async () => {
  const opened = await open({
    'a.nix': gen('a', 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";'),
    'b.nix': gen('b'),
  });
  const { root, index } = opened;
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 unknown-dependency']);
  const { lines } = opened;
  lines.length = 0;
  index.remove(path.join(root, 'a.nix'));
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // a name-local rule re-ran over the removed file: no generator
  assert.deepEqual(runs(lines).get('invalid-mode'), [0]);
  assert.deepEqual(runs(lines).get('dependency-cycle'), [0]);
});

/** `n` generators g0... in files g0.nix..., each in a file of its own. */
function fillers(n: number, from = 0): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = from; i < from + n; i++) files[`g${i}.nix`] = gen(`g${i}`);
  return files;
}

const sharedGen = (name: string) => gen(name, 'share = true; files.key = { }; script = "touch $out/key";');

test('rules engine: an edit of one generator re-runs the rules that follow names over its file, the others not at all or whole', async () => {
  const { root, index, lines } = await open({ ...fillers(20), 'chain.nix': gen('c0', 'dependencies = [ "g1" ]; files.key = { }; script = "touch $out/key";') });
  const total = index.clan(root).generators.length;
  index.allProblems();
  lines.length = 0;
  index.updateFromText(path.join(root, 'g3.nix'), gen('g3', 'files.key.mode = "0999"; script = "touch $out/key";'));
  assert.deepEqual(serialise(index.allProblems(), root), ['g3.nix:1 invalid-mode']);
  const ran = runs(lines);
  // name-local: the edited file only, once
  assert.deepEqual(ran.get('invalid-mode'), [1]);
  assert.deepEqual(ran.get('unknown-dependency'), [1]);
  // cycles: what the edited generators reach (g3 depends on nothing)
  assert.deepEqual(ran.get('dependency-cycle'), [1]);
  // a rule that declares no reach runs over the whole clan
  assert.deepEqual(ran.get('import-apply-generators'), [total]);
  // rules that use no generators are not run again
  for (const code of ['duplicate-env-var', 'undefined-variable', 'facts-leftover', 'unknown-registry-key']) assert.equal(ran.has(code), false, code);
  assert.deepEqual(serialise(index.allProblems(), root), fresh(index, root));
});

test('rules engine: a rule re-runs over part of the clan up to a quarter of its files (16 at least), beyond that over all of it', async () => {
  // 15 files declare the shared generator, another one a generator of its own, 24 more one each; and a computed name
  const files: Record<string, string> = { ...fillers(24), 'x.nix': gen('lone'), 'y.nix': gen('lone2'), 'wg.nix': '{ name, ... }: { clan.core.vars.generators."wg-${name}" = { files.k = { }; script = "touch $out/k"; }; }\n' };
  for (let i = 0; i < 15; i++) files[`s${i}.nix`] = sharedGen('shared');
  const { root, index, lines } = await open(files);
  const total = index.clan(root).generators.length;
  assert.ok(Object.keys(files).length + 1 < 64, 'a quarter of the files is less than 16');
  index.allProblems();
  lines.length = 0;
  // lone becomes shared: 16 files declare it now
  index.updateFromText(path.join(root, 'x.nix'), sharedGen('shared'));
  index.allProblems();
  assert.deepEqual(runs(lines).get('invalid-mode'), [16]);
  assert.deepEqual(serialise(index.allProblems(), root), fresh(index, root));
  // and a 17th
  lines.length = 0;
  index.updateFromText(path.join(root, 'y.nix'), sharedGen('shared'));
  index.allProblems();
  assert.deepEqual(runs(lines).get('invalid-mode'), [total]);
});

test('rules engine: a file emptied of its generators, and one declaring names the edited file declares too, are checked again', async () => {
  // b.nix declares shared and alpha; alpha's prompt is declared in c.nix only
  const { root, index, lines } = await open({
    ...fillers(10),
    'a.nix': sharedGen('shared'),
    'b.nix': '{ clan.core.vars.generators = { shared = { share = true; files.key = { }; script = "touch $out/key"; }; alpha = { files.k = { }; script = "cat $prompts/p > $out/k"; }; }; }\n',
    'c.nix': '{ clan.core.vars.generators.alpha.prompts.p = { }; }\n',
  });
  assert.deepEqual(serialise(index.allProblems(), root), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), gen('shared', 'share = true; files.key.mode = "0999"; script = "touch $out/key";'));
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 invalid-mode']);
  assert.deepEqual(runs(lines).get('unknown-prompt'), [4], 'shared in a and b, alpha in b and c');
  lines.length = 0;
  index.updateFromText(path.join(root, 'g3.nix'), '{ }\n');
  assert.deepEqual(serialise(index.allProblems(), root), ['a.nix:1 invalid-mode']);
  assert.deepEqual(runs(lines).get('invalid-mode'), [0]);
  assert.deepEqual(serialise(index.allProblems(), root), fresh(index, root));
});

test("rules engine: an edit of a generator's files re-checks the generators depending on it, not those they depend on", async () => {
  const reader = (i: number) => gen(`d${i}`, 'dependencies = [ "b" ]; files.k = { }; script = "cat $in/b/key > $out/k";');
  const b = (files: string) => `{ clan.core.vars.generators = { b = { ${files} }; bb = { files.k = { }; script = "touch $out/k"; }; }; }\n`;
  const files: Record<string, string> = { ...fillers(30), 'b.nix': b('files.key = { }; script = "touch $out/key";') };
  for (let i = 0; i < 15; i++) files[`d${i}.nix`] = reader(i);
  const { root, index, lines } = await open(files);
  const total = index.clan(root).generators.length;
  assert.deepEqual(serialise(index.allProblems(), root), []);
  lines.length = 0;
  // b writes another file: its 15 readers read a file it no longer has
  index.updateFromText(path.join(root, 'b.nix'), b('files.other = { }; script = "touch $out/other";'));
  const found = serialise(index.allProblems(), root);
  assert.equal(found.filter((l) => l.endsWith(' unknown-input')).length, 15, found.join('\n'));
  const ran = runs(lines);
  assert.deepEqual(ran.get('unknown-input'), [17], 'b (and bb) and its 15 dependents');
  assert.deepEqual(ran.get('invalid-mode'), [2], 'a name-local rule: b.nix only');
  assert.deepEqual(found, fresh(index, root));
  // a 16th dependent: more than 16 files, the rule runs whole
  index.updateFromText(path.join(root, 'd15.nix'), reader(15));
  index.allProblems();
  lines.length = 0;
  index.updateFromText(path.join(root, 'b.nix'), b('files.key = { }; script = "touch $out/key";'));
  assert.deepEqual(serialise(index.allProblems(), root), []);
  assert.deepEqual(runs(lines).get('unknown-input'), [total + 1]);
});

test('rules engine: renaming a generator re-runs a name-local rule over its file only', async () => {
  const { root, index, lines } = await open(fillers(20));
  index.allProblems();
  lines.length = 0;
  index.updateFromText(path.join(root, 'g3.nix'), gen('g3x', 'files.key.mode = "0999"; script = "touch $out/key";'));
  assert.deepEqual(serialise(index.allProblems(), root), ['g3.nix:1 invalid-mode']);
  const ran = runs(lines);
  assert.deepEqual(ran.get('invalid-mode'), [1]);
  // its suggestions come from every name: a rule following dependencies runs whole
  assert.deepEqual(ran.get('unknown-dependency'), [20]);
});

test("rules engine: an edit of a generator's files re-checks the modules reading them", async () => {
  const m = (rel: string) => `machines/m/${rel}`;
  const configuration = (readers: number) => `{ imports = [ ${[...Array(30).keys()].map((i) => `./g${i}.nix`).join(' ')} ./r.nix ./other.nix ${[...Array(readers).keys()].map((i) => `./read${i}.nix`).join(' ')} ]; }\n`;
  const read = (i: number) => `{ config, ... }: { environment.etc.r${i}.source = config.clan.core.vars.generators.g3.files.key.path; }\n`;
  const files: Record<string, string> = {
    [m('configuration.nix')]: configuration(13),
    // a module reading g3's file that declares a generator of its own
    [m('r.nix')]: `{ config, ... }: { environment.etc.r.source = config.clan.core.vars.generators.g3.files.key.path; environment.etc.r5.source = config.clan.core.vars.generators.g5.files.key.path; clan.core.vars.generators.own = { files.k = { }; script = "touch $out/k"; }; }\n`,
    // and one reading another generator's file only
    [m('other.nix')]: `{ config, ... }: { environment.etc.o.source = config.clan.core.vars.generators.g5.files.key.path; clan.core.vars.generators.own2 = { files.k = { }; script = "touch $out/k"; }; }\n`,
  };
  for (const [rel, text] of Object.entries(fillers(30))) files[m(rel)] = text;
  for (let i = 0; i < 13; i++) files[m(`read${i}.nix`)] = read(i);
  const { root, index, lines } = await open(files);
  assert.deepEqual(serialise(index.allProblems(), root), []);
  lines.length = 0;
  index.updateFromText(path.join(root, m('g3.nix')), gen('g3', 'files.other = { }; script = "touch $out/other";'));
  const found = serialise(index.allProblems(), root);
  assert.equal(found.filter((l) => l.endsWith(' unknown-var-read')).length, 14, found.join('\n'));
  const ran = runs(lines);
  assert.deepEqual(ran.get('unknown-var-read'), [2], "g3's file and r.nix (its own generator)");
  assert.deepEqual(ran.get('invalid-mode'), [1], 'a rule not following reads: g3 only');
  assert.deepEqual(found, fresh(index, root));
  // a new module reading g3's file: g3, r.nix and 14 readers are 16 files
  index.updateFromText(path.join(root, m('read13.nix')), read(13));
  index.updateFromText(path.join(root, m('configuration.nix')), configuration(14));
  assert.equal(serialise(index.allProblems(), root).filter((l) => l.endsWith(' unknown-var-read')).length, 15);
  lines.length = 0;
  index.updateFromText(path.join(root, m('g3.nix')), gen('g3'));
  assert.deepEqual(serialise(index.allProblems(), root), [], 'every read of g3 checked again, the new one too');
  assert.deepEqual(runs(lines).get('unknown-var-read'), [2]);
  index.updateFromText(path.join(root, m('g3.nix')), gen('g3', 'files.other = { }; script = "touch $out/other";'));
  index.allProblems();
  // 17 readers and g3: more than 16 files
  for (const i of [14, 15, 16]) index.updateFromText(path.join(root, m(`read${i}.nix`)), read(i));
  index.updateFromText(path.join(root, m('configuration.nix')), configuration(17));
  index.allProblems();
  lines.length = 0;
  index.updateFromText(path.join(root, m('g3.nix')), gen('g3'));
  assert.deepEqual(serialise(index.allProblems(), root), []);
  assert.deepEqual(runs(lines).get('unknown-var-read'), [index.clan(root).generators.length]);
});

test('rules engine: while the clan has no dependency cycle, an edit searches what the edited generators reach (64 generators at most)', async () => {
  const link = (i: number, to: number | null) => gen(`c${i}`, `${to === null ? '' : `dependencies = [ "c${to}" ]; `}files.key = { }; script = "touch $out/key";`);
  const files: Record<string, string> = { ...fillers(10) };
  for (let i = 0; i < 65; i++) files[`c${i}.nix`] = link(i, i < 63 ? i + 1 : null);
  const { root, index, lines } = await open(files);
  const total = index.clan(root).generators.length;
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // c0 reaches c0..c63: 64 generators
  lines.length = 0;
  index.updateFromText(path.join(root, 'c0.nix'), link(0, 1).replace('files.key = { }', 'files.key.mode = "0400"'));
  index.allProblems();
  assert.deepEqual(runs(lines).get('dependency-cycle'), [64]);
  lines.length = 0;
  index.updateFromText(path.join(root, 'c63.nix'), link(63, 64));
  index.allProblems();
  assert.deepEqual(runs(lines).get('dependency-cycle'), [2]);
  // 65: the whole clan is searched
  lines.length = 0;
  index.updateFromText(path.join(root, 'c0.nix'), link(0, 1));
  index.allProblems();
  assert.deepEqual(runs(lines).get('dependency-cycle'), [total]);
});

test('rules engine: a dependency cycle an edit closes is found, through the generators the edited one reaches or a computed name', async () => {
  const dep = (name: string, to: string, extra = '') => `{ clan.core.vars.generators = { ${name} = { dependencies = [ "${to}" ]; files.key = { }; script = "touch $out/key"; }; ${extra} }; }\n`;
  const computed = '"x-${builtins.toString 1}" = { files.k = { }; script = "touch $out/k"; };';
  const { root, index, lines } = await open({
    ...fillers(10),
    'p.nix': dep('p', 'q'),
    'q.nix': gen('q'),
    'a.nix': dep('a', 'b'),
    'b.nix': `{ clan.core.vars.generators = { b = { files.key = { }; script = "touch $out/key"; }; ${computed} }; }\n`,
  });
  assert.deepEqual(serialise(index.allProblems(), root), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'q.nix'), dep('q', 'p'));
  const cycle = serialise(index.allProblems(), root);
  assert.deepEqual(runs(lines).get('dependency-cycle'), [2], 'q reaches p, and p q');
  assert.ok(cycle.includes('q.nix:1 dependency-cycle'), cycle.join('\n'));
  assert.deepEqual(cycle, fresh(index, root));
  index.updateFromText(path.join(root, 'q.nix'), gen('q'));
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // an edit of a file with a computed name: it may be any name, the whole clan is searched
  lines.length = 0;
  index.updateFromText(path.join(root, 'b.nix'), dep('b', 'a', computed));
  const second = serialise(index.allProblems(), root);
  assert.ok(second.includes('b.nix:1 dependency-cycle'), second.join('\n'));
  assert.deepEqual(second, fresh(index, root));
});

test('rules engine: a matrix edit re-runs the rules it reaches over the generators depending on a changed name, and those found before', async () => {
  const registry = (other: boolean) => `{ pkgs ? null }: {\n${['k0', 'k1', 'k2', 'k3'].map((k) => `  ${k} = { generator = "reg-${k}"; files.value = { }; script = "cat $prompts/value > $out/value${other && k === 'k0' ? ' # again' : ''}"; prompts.value = { }; };`).join('\n')}\n}\n`;
  const matrix = (m0: string[]) => `{\n  m0 = [ ${m0.map((k) => `"${k}"`).join(' ')} ];\n  m1 = [ "k0" "k1" "k2" "k3" ];\n}\n`;
  const files: Record<string, string> = {
    'lib/secret-registry.nix': registry(false),
    'lib/machine-env-matrix.nix': matrix(['k0', 'k1', 'k2', 'k3']),
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
  };
  for (const m of [0, 1]) {
    files[`machines/m${m}/configuration.nix`] = `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m${m}; inherit pkgs; };\nin {\n  imports = [ ./own.nix ./reader.nix ${[0, 1, 2, 3, 4, 5].map((j) => `./f${j}.nix`).join(' ')} ];\n  clan.core.vars.generators = gens;\n}\n`;
    for (let j = 0; j < 6; j++) files[`machines/m${m}/f${j}.nix`] = gen(`f-${m}-${j}`);
    // own-m depends on reg-k0 and reads its file
    files[`machines/m${m}/own.nix`] = gen(`own-${m}`, `dependencies = [ "reg-k0" ]; files.k = { }; script = "cat $in/reg-k0/value > $out/k";`);
    // and a module reads reg-k0's file through config, declaring a generator of its own
    files[`machines/m${m}/reader.nix`] = `{ config, ... }: { environment.etc.r.source = config.clan.core.vars.generators.reg-k0.files.value.path; clan.core.vars.generators.rd-${m} = { files.k = { }; script = "touch $out/k"; }; }\n`;
  }
  const { root, index, lines } = await open(files);
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // m0 no longer has reg-k0
  lines.length = 0;
  index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), matrix(['k1', 'k2', 'k3']));
  const second = serialise(index.allProblems(), root);
  const ran = runs(lines);
  assert.ok(second.includes('machines/m0/own.nix:1 unknown-dependency'), second.join('\n'));
  assert.deepEqual(ran.get('unknown-dependency'), [6]);
  // the registry's 4 generators, own-0 and own-1; and reader.nix's of both machines for the rule following reads
  assert.deepEqual(ran.get('unknown-input'), [6]);
  assert.deepEqual(ran.get('unknown-var-read'), [8]);
  assert.deepEqual(second, fresh(index, root));
  // m0 no longer has reg-k1 either (nothing depends on it): the registry and own-0, found before
  index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), matrix(['k1', 'k2', 'k3']));
  index.allProblems();
  lines.length = 0;
  index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), matrix(['k2', 'k3']));
  assert.deepEqual(serialise(index.allProblems(), root), second);
  assert.deepEqual(runs(lines).get('unknown-dependency'), [5]);
  assert.deepEqual(second, fresh(index, root));
  // a registry edit that keeps every name: the registry's generators and own-0, found before
  lines.length = 0;
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), registry(true));
  assert.deepEqual(serialise(index.allProblems(), root), second);
  assert.deepEqual(runs(lines).get('unknown-dependency'), [5]);
  // a matrix edit and flake.lock changed (the modules changed): the rules run whole
  lines.length = 0;
  index.structureFileChanged(path.join(root, 'flake.lock'));
  index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), matrix(['k1', 'k2', 'k3']));
  assert.deepEqual(serialise(index.allProblems(), root), second);
  assert.deepEqual(runs(lines).get('unknown-dependency'), [index.clan(root).generators.length]);
  // more edits than the record of generator changes keeps, then a matrix edit: the rules run whole
  for (let i = 0; i < 70; i++) index.updateFromText(path.join(root, 'machines/m1/f0.nix'), gen('f-1-0', `files.key = { }; script = "echo ${i} > $out/key";`));
  lines.length = 0;
  index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), matrix(['k0', 'k1', 'k2', 'k3']));
  assert.deepEqual(serialise(index.allProblems(), root), []);
  assert.deepEqual(runs(lines).get('unknown-dependency'), [index.clan(root).generators.length]);
});

test("rules engine: the option rules re-run over the registry's evaluated values only when the evaluation changed", async () => {
  const registry = (value: string) => `{ pkgs ? null }: {\n${['k0', 'k1', 'k2', 'k3'].map((k) => `  ${k} = { generator = "reg-${k}"; files.value = { neededFor = "${k === 'k0' ? value : 'services'}"; }; script = "cat $prompts/value > $out/value"; prompts.value = { }; };`).join('\n')}\n}\n`;
  const files: Record<string, string> = {
    'lib/secret-registry.nix': registry('services'),
    'lib/machine-env-matrix.nix': '{ m0 = [ "k0" "k1" "k2" "k3" ]; }\n',
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
    'machines/m0/configuration.nix': `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\nin {\n  imports = [ ${[0, 1, 2, 3, 4, 5].map((j) => `./f${j}.nix`).join(' ')} ];\n  clan.core.vars.generators = gens;\n}\n`,
  };
  for (let j = 0; j < 6; j++) files[`machines/m0/f${j}.nix`] = gen(`f-${j}`);
  const { root, index, lines } = await open(files);
  const registryFile = path.join(root, 'lib/secret-registry.nix');
  assert.deepEqual(serialise(index.allProblems(), root), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'machines/m0/f0.nix'), gen('f-0', 'files.key.mode = "0999"; script = "touch $out/key";'));
  assert.deepEqual(serialise(index.allProblems(), root), ['machines/m0/f0.nix:1 invalid-mode']);
  assert.deepEqual(runs(lines).get('invalid-needed-for'), [1], 'the evaluation is the same: the edited file only');
  // half-typed: no evaluation, then one again with a value neededFor does not take
  index.updateFromText(registryFile, registry('services').replace(/\n}\n$/, '\n  broken = \n}\n'));
  assert.deepEqual(serialise(index.allProblems(), root), fresh(index, root));
  index.updateFromText(registryFile, registry('boot'));
  const found = serialise(index.allProblems(), root);
  assert.deepEqual(found, fresh(index, root));
});

test("rules engine: a partial run keeps the findings it makes outside the part's files out (the registry pipeline's values sit in another file)", async () => {
  const registry = `{ pkgs ? null }: {\n${['k0', 'k1'].map((k) => `  ${k} = { generator = "reg-${k}"; files.value = { }; script = "cat $prompts/value > $out/value"; prompts.value = { }; };`).join('\n')}\n}\n`;
  // vars-generators.nix writes every registry generator's neededFor: a value clan rejects, found there
  const generators = '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) script prompts; files.value = registry.${k}.files.value // { neededFor = "boot"; }; }; }) keys)\n';
  const { root, index, lines } = await open({
    'lib/secret-registry.nix': registry,
    'lib/machine-env-matrix.nix': '{ m0 = [ "k0" "k1" ]; }\n',
    'lib/vars-generators.nix': generators,
    'machines/m0/configuration.nix': `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\nin {\n  imports = [ ./extra.nix ./f0.nix ];\n  clan.core.vars.generators = gens;\n}\n`,
    // a module setting an option of reg-k0: an edit of it re-runs the rules over reg-k0's declarations, the registry's
    'machines/m0/extra.nix': '{ clan.core.vars.generators.reg-k0.files.value.owner = "root"; }\n',
    'machines/m0/f0.nix': gen('f0'),
  });
  const expected = ['lib/vars-generators.nix:3 invalid-needed-for'];
  assert.deepEqual(serialise(index.allProblems(), root), expected);
  lines.length = 0;
  index.updateFromText(path.join(root, 'machines/m0/extra.nix'), '{ clan.core.vars.generators.reg-k0.files.value.group = "root"; }\n');
  assert.deepEqual(serialise(index.allProblems(), root), expected);
  assert.ok(runs(lines).get('invalid-needed-for')!.every((n) => n < index.clan(root).generators.length), 'the rule re-ran over part of the clan');
  index.updateFromText(path.join(root, 'machines/m0/extra.nix'), '{ clan.core.vars.generators.reg-k0.files.value.owner = "root"; }\n');
  index.allProblems();
  // vars-generators.nix read again (saved as it is): its findings are collected again, once each
  index.updateFromText(path.join(root, 'lib/vars-generators.nix'), generators);
  assert.deepEqual(serialise(index.allProblems(), root), expected);
  assert.deepEqual(serialise(index.allProblems(), root), fresh(index, root));
});

test('rules engine: a computed name brings in the files an edit reaches only through a name it can be, never through the file declaring it', async () => {
  // b.nix declares shared, which the edited a.nix declares too, and a computed name; d.nix depends on shared;
  // c.nix's computed name can only be a name with a space, which no generator of the clan has
  const { root, index, lines } = await open({
    ...fillers(10),
    'a.nix': sharedGen('shared'),
    'b.nix': '{ name, ... }: { clan.core.vars.generators = { shared = { share = true; files.key = { }; script = "touch $out/key"; }; "wg-${name}" = { files.k = { }; script = "touch $out/k"; }; }; }\n',
    'c.nix': '{ first, second, ... }: { clan.core.vars.generators."${first} ${second}" = { files.k = { }; script = "touch $out/k"; }; }\n',
    'd.nix': '{ name, ... }: { clan.core.vars.generators = { d = { dependencies = [ "shared" ]; files.k = { }; script = "cat $in/shared/key > $out/k"; }; "dd-${name}" = { files.k = { }; script = "touch $out/k"; }; }; }\n',
  });
  assert.deepEqual(serialise(index.allProblems(), root), []);
  lines.length = 0;
  index.updateFromText(path.join(root, 'a.nix'), gen('shared', 'share = true; files.key.mode = "0999"; script = "touch $out/key";'));
  const found = serialise(index.allProblems(), root);
  assert.deepEqual(found, ['a.nix:1 invalid-mode']);
  const ran = runs(lines);
  assert.deepEqual(ran.get('invalid-mode'), [3], "a.nix and b.nix's: shared's files");
  assert.deepEqual(ran.get('unknown-dependency'), [5], 'and d.nix, depending on shared');
  assert.deepEqual(found, fresh(index, root));
});

/**
 * A clan with a registry pipeline: registry keys k0..k3 (generators reg-k0..reg-k3), machines m0 and m1 with
 * the keys `keys` gives them in the matrix; on each machine own-<m> depends on reg-k0, and `extra` more files.
 */
function pipelineClan(extra: Record<string, string> = {}) {
  const registry = `{ pkgs ? null }: {\n${['k0', 'k1', 'k2', 'k3'].map((k) => `  ${k} = { generator = "reg-${k}"; files.value = { }; script = "cat $prompts/value > $out/value"; prompts.value = { }; };`).join('\n')}\n}\n`;
  const matrix = (m0: string[], m1 = ['k0', 'k1', 'k2', 'k3']) => `{\n  m0 = [ ${m0.map((k) => `"${k}"`).join(' ')} ];\n  m1 = [ ${m1.map((k) => `"${k}"`).join(' ')} ];\n}\n`;
  const files: Record<string, string> = {
    'lib/secret-registry.nix': registry,
    'lib/machine-env-matrix.nix': matrix(['k0', 'k1', 'k2', 'k3']),
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
    ...extra,
  };
  for (const m of [0, 1]) {
    files[`machines/m${m}/configuration.nix`] = `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m${m}; inherit pkgs; };\nin {\n  imports = [ ./own.nix ./f.nix ];\n  clan.core.vars.generators = gens;\n}\n`;
    files[`machines/m${m}/own.nix`] = gen(`own-${m}`, `dependencies = [ "reg-k0" ]; files.k = { }; script = "cat $in/reg-k0/value > $out/k";`);
    files[`machines/m${m}/f.nix`] = gen(`f-${m}`);
  }
  return { files, matrix };
}

test('rules engine: the machines looked at between two matrix edits (a hover, a view) do not narrow the re-run to the last edit', async () => {
  const { files, matrix } = pipelineClan();
  const { root, index, lines } = await open(files);
  const matrixFile = path.join(root, 'lib/machine-env-matrix.nix');
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // m0 no longer has reg-k0, which own-0 depends on; the machines are looked at, not the findings
  index.updateFromText(matrixFile, matrix(['k1', 'k2', 'k3']));
  assert.equal(index.clan(root).machineModel().machines.get('m0')?.generators.has('reg-k0'), false);
  // then no longer reg-k1 either (nothing depends on it)
  lines.length = 0;
  index.updateFromText(matrixFile, matrix(['k2', 'k3']));
  const found = serialise(index.allProblems(), root);
  assert.ok(found.includes('machines/m0/own.nix:1 unknown-dependency'), found.join('\n'));
  assert.deepEqual(runs(lines).get('unknown-dependency'), [index.clan(root).generators.length], 'the rules run whole: the machines changed twice since they last ran');
  assert.deepEqual(found, fresh(index, root));
});

test('rules engine: more generator edits than the record of them keeps, the model looked at after each, then a matrix edit: the rules run whole', async () => {
  const { files, matrix } = pipelineClan();
  const { root, index, lines } = await open(files);
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // each edit's model is built (as a hover or a view builds it): the generator index follows them one by one
  for (let i = 0; i < 70; i++) {
    index.updateFromText(path.join(root, 'machines/m1/f.nix'), gen('f-1', `files.key = { }; script = "echo ${i} > $out/key";`));
    index.clan(root);
  }
  lines.length = 0;
  index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), matrix(['k1', 'k2', 'k3']));
  const found = serialise(index.allProblems(), root);
  assert.deepEqual(found, ['machines/m0/own.nix:1 unknown-dependency']);
  assert.deepEqual(runs(lines).get('unknown-dependency'), [index.clan(root).generators.length]);
  assert.deepEqual(found, fresh(index, root));
});

/** Generators bad0... in files bad/bad0.nix..., each depending on a name no generator has. */
function unknownDependents(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`bad/bad${i}.nix`] = gen(`bad${i}`, 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";');
  return files;
}

test('rules engine: a matrix edit re-runs the rules it reaches over the files found before and the registry, up to 16 files (a quarter of a small clan)', async () => {
  const { files, matrix } = pipelineClan(unknownDependents(15));
  const { root, index, lines } = await open(files);
  const matrixFile = path.join(root, 'lib/machine-env-matrix.nix');
  const total = () => index.clan(root).generators.length;
  assert.equal(serialise(index.allProblems(), root).length, 15);
  // m0 no longer has reg-k1, which nothing depends on: the 15 files found before and the registry (its 4 generators)
  lines.length = 0;
  index.updateFromText(matrixFile, matrix(['k0', 'k2', 'k3']));
  const found = serialise(index.allProblems(), root);
  assert.equal(found.length, 15, found.join('\n'));
  assert.deepEqual(runs(lines).get('unknown-dependency'), [19]);
  assert.deepEqual(found, fresh(index, root));
  // a 16th file found: with the registry, 17 files
  index.updateFromText(path.join(root, 'bad/bad15.nix'), unknownDependents(16)['bad/bad15.nix']);
  assert.equal(serialise(index.allProblems(), root).length, 16);
  lines.length = 0;
  index.updateFromText(matrixFile, matrix(['k0', 'k3']));
  assert.equal(serialise(index.allProblems(), root).length, 16);
  assert.deepEqual(runs(lines).get('unknown-dependency'), [total()]);
  assert.deepEqual(serialise(index.allProblems(), root), fresh(index, root));
});

test('rules engine: in a clan with a matrix and no registry, a matrix edit re-runs the rules it reaches over the files found before', async () => {
  const { root, index, lines } = await open({ ...fillers(4), ...unknownDependents(16), 'lib/machine-env-matrix.nix': '{ m0 = [ "k0" ]; }\n' });
  assert.equal(serialise(index.allProblems(), root).length, 16);
  lines.length = 0;
  index.updateFromText(path.join(root, 'lib/machine-env-matrix.nix'), '{ m0 = [ "k1" ]; }\n');
  const found = serialise(index.allProblems(), root);
  assert.equal(found.length, 16, found.join('\n'));
  assert.deepEqual(runs(lines).get('unknown-dependency'), [16], 'the 16 files found before, of the 20 generators');
  assert.deepEqual(found, fresh(index, root));
});

test("rules engine: while the registry pipeline's evaluation waits for a pause in typing, the option rules drop the findings it put in another file", async () => {
  const registry = (script: string) => `{ pkgs ? null }: {\n${['k0', 'k1'].map((k) => `  ${k} = { generator = "reg-${k}"; files.value = { }; script = "${script}"; prompts.value = { }; };`).join('\n')}\n}\n`;
  // vars-generators.nix writes every registry generator's neededFor: a value clan rejects, found there
  const generators = '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) script prompts; files.value = registry.${k}.files.value // { neededFor = "boot"; }; }; }) keys)\n';
  const { root, index, lines } = await open({
    'lib/secret-registry.nix': registry('cat $prompts/value > $out/value'),
    'lib/machine-env-matrix.nix': '{ m0 = [ "k0" "k1" ]; }\n',
    'lib/vars-generators.nix': generators,
    'machines/m0/configuration.nix': `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\nin {\n  imports = [ ./f0.nix ];\n  clan.core.vars.generators = gens;\n}\n`,
    'machines/m0/f0.nix': gen('f0'),
  });
  assert.deepEqual(serialise(index.allProblems(), root), ['lib/vars-generators.nix:3 invalid-needed-for']);
  // the editor: the evaluation waits for a pause in typing that does not come
  index.evaluations.deferMs = 3_600_000;
  try {
    lines.length = 0;
    index.updateFromText(path.join(root, 'lib/secret-registry.nix'), registry('cat $prompts/value > $out/value # typing'));
    assert.equal(index.clan(root).evaluation, null, 'no evaluation while typing');
    const found = serialise(index.allProblems(), root);
    assert.deepEqual(found, [], 'the literal registry does not say what vars-generators.nix sets');
    assert.ok(runs(lines).get('invalid-needed-for')!.every((n) => n < index.clan(root).generators.length), 'the rule re-ran over part of the clan');
    assert.deepEqual(found, fresh(index, root));
  } finally {
    index.evaluations.clear();
  }
});

test('rules engine: an edit that changes the evaluation too re-runs the option rules over the edit\'s files and where the evaluation puts values, up to 16 files', async () => {
  const registry = `{ pkgs ? null }: {\n${['k0', 'k1'].map((k) => `  ${k} = { generator = "reg-${k}"; files.value = { neededFor = "services"; }; script = "cat $prompts/value > $out/value"; prompts.value = { }; };`).join('\n')}\n}\n`;
  const files: Record<string, string> = {
    ...fillers(6),
    'lib/secret-registry.nix': registry,
    'lib/machine-env-matrix.nix': '{ m0 = [ "k0" "k1" ]; }\n',
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
    'machines/m0/configuration.nix': `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m0; inherit pkgs; };\nin {\n  clan.core.vars.generators = gens;\n}\n`,
  };
  // 15 files declare the shared generator
  for (let i = 0; i < 15; i++) files[`s${i}.nix`] = sharedGen('shared');
  const { root, index, lines } = await open(files);
  const matrixFile = path.join(root, 'lib/machine-env-matrix.nix');
  const s0 = (mode: string) => gen('shared', `share = true; files.key.mode = "${mode}"; script = "touch $out/key";`);
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // an edit of s0.nix (its name is in 15 files) and of the matrix (the evaluation changes): with the registry, 16 files
  lines.length = 0;
  index.updateFromText(path.join(root, 's0.nix'), s0('0999'));
  index.updateFromText(matrixFile, '{ m0 = [ "k0" ]; }\n');
  assert.deepEqual(serialise(index.allProblems(), root), ['s0.nix:1 invalid-mode']);
  assert.deepEqual(runs(lines).get('invalid-needed-for'), [17], "the 15 files' generators and the registry's 2, of 23");
  assert.deepEqual(serialise(index.allProblems(), root), fresh(index, root));
  // a 16th file declares it: 17 files, the rules run whole
  index.updateFromText(path.join(root, 's15.nix'), sharedGen('shared'));
  index.allProblems();
  lines.length = 0;
  index.updateFromText(path.join(root, 's0.nix'), s0('0400'));
  index.updateFromText(matrixFile, '{ m0 = [ "k0" "k1" ]; }\n');
  assert.deepEqual(serialise(index.allProblems(), root), []);
  assert.deepEqual(runs(lines).get('invalid-needed-for'), [index.clan(root).generators.length]);
});

test('rules engine: a module at the registry path (no registry) that is no longer analysed: the rules that follow the registry run whole', async () => {
  // the registry file's place holds a module declaring x, which xs.nix declares too; d depends on x
  const module = '{ lib, ... }: lib.mkMerge [ { clan.core.vars.generators.x = { files.key = { }; script = "touch $out/key"; }; } ]\n';
  const { root, index, lines } = await open({
    ...fillers(4),
    'lib/secret-registry.nix': module,
    'xs.nix': '{ clan.core.vars.generators.x = { files.other = { }; script = "touch $out/other"; }; }\n',
    'd.nix': gen('d', 'dependencies = [ "x" ]; files.k = { }; script = "cat $in/x/key > $out/k";'),
  });
  assert.equal(index.clan(root).registry?.facts.understood, false, 'no registry the extraction understands');
  assert.deepEqual(serialise(index.allProblems(), root), []);
  // binary content: the file is skipped, its x with it
  lines.length = 0;
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), `${module}\0`);
  const found = serialise(index.allProblems(), root);
  assert.equal(index.clan(root).registry, null);
  assert.deepEqual(found, ['d.nix:1 unknown-input']);
  assert.deepEqual(runs(lines).get('unknown-input'), [index.clan(root).generators.length], 'not a registry edit: the rule runs whole');
  assert.deepEqual(found, fresh(index, root));
});

test('rules engine: the pass in steps (the server publishes a rule at a time) finds what the pass in one go finds, a step after each rule', async () => {
  const { root, index } = await open({
    'a.nix': gen('a', 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";'),
    'b.nix': gen('b', 'files.key = { }; script = "echo hi > $out/other";'),
  });
  const whole = serialise(index.allProblems(), root);
  assert.ok(whole.some((p) => p.endsWith('unknown-dependency')) && whole.some((p) => p.endsWith('missing-output')), whole.join('\n'));
  index.updateFromText(path.join(root, 'b.nix'), gen('b', 'files.key = { }; script = "echo hi > $out/key";'));
  const steps = index.allProblemsSteps();
  let count = 0;
  let step = steps.next();
  for (; !step.done; step = steps.next()) count++;
  assert.equal(count, RULES.length, 'one step after each rule');
  assert.ok(step.value);
  assert.deepEqual(serialise(step.value, root), fresh(index, root));
  assert.ok(!serialise(step.value, root).some((p) => p.endsWith('missing-output')), 'the edit is seen');
});

test('rules engine: a pass in steps stops when an edit comes in between two steps, and one a request finished meanwhile is taken as it is', async () => {
  const { root, index } = await open({
    'a.nix': gen('a', 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";'),
    'b.nix': gen('b'),
  });
  index.allProblems();
  const b = path.join(root, 'b.nix');
  // an edit between two steps: the pass ends with null (its findings would be of the text before)
  index.updateFromText(b, gen('b', 'dependencies = [ "gone" ]; files.key = { }; script = "touch $out/key";'));
  let steps = index.allProblemsSteps();
  steps.next();
  steps.next();
  index.updateFromText(b, gen('b', 'dependencies = [ "gone2" ]; files.key = { }; script = "touch $out/key";'));
  let step = steps.next();
  while (!step.done) step = steps.next();
  assert.equal(step.value, null);
  // a request that needs the problems runs a pass of its own between two steps: the pass in steps takes its result
  index.updateFromText(b, gen('b', 'dependencies = [ "gone3" ]; files.key = { }; script = "touch $out/key";'));
  steps = index.allProblemsSteps();
  steps.next();
  const asked = index.allProblems();
  step = steps.next();
  while (!step.done) step = steps.next();
  assert.equal(step.value, asked, "the request's result, not a second collection");
  const found = serialise(asked, root);
  assert.ok(found.includes('b.nix:1 unknown-dependency'), found.join('\n'));
  assert.deepEqual(found, fresh(index, root));
  // the same on the first pass of a clan (nothing collected before it)
  const other = await open({ 'a.nix': gen('a', 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";') });
  steps = other.index.allProblemsSteps();
  steps.next();
  const first = other.index.allProblems();
  step = steps.next();
  while (!step.done) step = steps.next();
  assert.equal(step.value, first);
  // a workspace of several clans (the folder's, x's and y's): an edit in the clan whose rules run ends the whole pass with nothing
  const several = await open({ 'x/flake.nix': '{ }\n', 'x/a.nix': gen('a'), 'y/flake.nix': '{ }\n', 'y/b.nix': gen('b') });
  assert.equal(several.index.filesByRoot().size, 3);
  steps = several.index.allProblemsSteps();
  steps.next();
  // the folder's clan comes first (its flake.nix was read first)
  several.index.updateFromText(path.join(several.root, 'flake.nix'), gen('c', 'dependencies = [ "nope" ]; files.key = { }; script = "touch $out/key";'));
  step = steps.next();
  while (!step.done) step = steps.next();
  assert.equal(step.value, null);
  assert.ok(serialise(several.index.allProblems(), several.root).includes('flake.nix:1 unknown-dependency'));
});
