// The index on awkward trees: symlink loops, nix build results, binary and non-UTF-8 files, files
// over the size limit, unreadable files, deeply nested expressions.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import { inTurns, makeWayForRequests } from '../../server/src/base/turns';
import { turnCounter } from '../helpers/turnCounter';
import { discoverNixFiles, noLinks } from '../../server/src/base/discover';
import { Confinement } from '../../server/src/base/confinement';
import { changedInput, recordInputs } from '../../server/src/base/inputRecorder';
import { FactPool, packFacts } from '../../server/src/model/scan/factPool';
import type { Position, Range } from '../../server/src/base/types';
import type { FileFacts } from '../../server/src/facts/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { ClanEvaluations, type EvaluationHooks } from '../../server/src/model/clanEvaluations';
import { analyze, brief } from '../helpers/analyze';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('discovery skips .git, node_modules and result links, and survives symlink loops', async () => {
  const root = writeTree({
    'a.nix': '{ }',
    'sub/b.nix': '{ }',
    '.git/c.nix': '{ }',
    'node_modules/d.nix': '{ }',
    'out/e.nix': '{ }',
  });
  roots.push(root);
  fs.symlinkSync(path.join(root, 'out'), path.join(root, 'result'));
  fs.symlinkSync(path.join(root, 'out'), path.join(root, 'result-bin'));
  fs.symlinkSync(root, path.join(root, 'sub', 'loop')); // a cycle back to the root
  fs.symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling.nix'));
  const files = (await discoverNixFiles(root, Confinement.within(root))).map((f) => path.relative(root, f)).sort();
  assert.deepEqual(files, ['a.nix', 'out/e.nix', 'sub/b.nix']);
});

test('a scan given the files found already (the checker: it counts them first) indexes those, with the links met, and discovers nothing again', async () => {
  const root = writeTree({ 'flake.nix': '{ }\n', 'a.nix': '{ }\n', 'sub/b.nix': '{ }\n', 'real/c.nix': '{ }\n' });
  roots.push(root);
  fs.symlinkSync('real', path.join(root, 'linked'));
  const plain = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await plain.scan();
  const links = noLinks();
  const files = await discoverNixFiles(root, Confinement.within(root), () => {}, undefined, links);
  const given = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await given.scan({ found: { files, links } });
  assert.deepEqual([...given.facts.keys()].sort(), [...plain.facts.keys()].sort());
  assert.ok(given.facts.has(path.join(root, 'linked/c.nix')));
  // the links met are the index's: an edit under the real path reaches the file found through the link
  fs.writeFileSync(path.join(root, 'real/c.nix'), '{ clan.core.vars.generators.g = { files.k = { }; script = "touch $out/k"; }; }\n');
  await given.watchedFileChanged(path.join(root, 'real/c.nix'), false);
  assert.deepEqual(given.facts.get(path.join(root, 'linked/c.nix'))?.generators.map((g) => g.name.name), ['g']);
  // only what it is given: the list is not made again
  const some = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await some.scan({ found: { files: files.filter((f) => !f.endsWith('a.nix')), links: noLinks() } });
  assert.ok(!some.facts.has(path.join(root, 'a.nix')) && some.facts.has(path.join(root, 'sub/b.nix')));
});

test('binary, non-UTF-8, and oversized files are skipped with one log line each', async () => {
  const root = writeTree({
    'ok.nix': '{ clan.core.vars.generators.x.dependencies = [ "nope" ]; }',
    'binary.nix': Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x7d]),
    'latin1.nix': Buffer.from([0x7b, 0x20, 0xe9, 0x20, 0x7d]),
    'big.nix': '{ a = "' + 'x'.repeat(5000) + '"; }',
  });
  roots.push(root);
  fs.symlinkSync(path.join(root, 'ok.nix'), path.join(root, 'dir.nix'));
  const { found, log } = await analyze(root, { maxFileSize: 2000 });
  assert.deepEqual(brief(found), ['dir.nix:1 unknown-dependency', 'ok.nix:1 unknown-dependency']);
  assert.equal(log.filter((l) => l.includes('binary.nix')).length, 1);
  assert.match(log.find((l) => l.includes('binary.nix'))!, /binary/);
  assert.match(log.find((l) => l.includes('latin1.nix'))!, /not valid UTF-8/);
  assert.match(log.find((l) => l.includes('big.nix'))!, /over the size limit/);
});

test('a 10,000-deep nested expression does not overflow the stack', async () => {
  const depth = 10_000;
  const nested = '['.repeat(depth) + '"x"' + ']'.repeat(depth);
  const deepAttrs = '{ a = '.repeat(depth) + '1' + '; }'.repeat(depth);
  const deepParens = '('.repeat(depth) + '{ clan.core.vars.generators.g = { }; }' + ')'.repeat(depth);
  const root = writeTree({
    'nested.nix': `{ clan.core.vars.generators.x.dependencies = ${nested}; }`,
    'attrs.nix': deepAttrs,
    'parens.nix': deepParens,
    'lib/machine-env-matrix.nix': `{ m = ${nested}; }`,
    'lib/secret-registry.nix': `{ k = ${deepAttrs}; }`,
  });
  roots.push(root);
  const { found } = await analyze(root);
  assert.ok(Array.isArray(found));
});

test('incremental updates: a new file, a changed file and a deleted file change the problems', async () => {
  const root = writeTree({ 'a.nix': '{ clan.core.vars.generators.a.dependencies = [ "b" ]; }' });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const count = () => [...index.allProblems().values()].flat().length;
  assert.equal(count(), 1);
  fs.writeFileSync(path.join(root, 'b.nix'), '{ clan.core.vars.generators.b = { }; }');
  await index.updateFromDisk(path.join(root, 'b.nix'));
  assert.equal(count(), 0);
  index.updateFromText(path.join(root, 'b.nix'), '{ clan.core.vars.generators.bb = { }; }');
  assert.equal(count(), 1);
  fs.rmSync(path.join(root, 'b.nix'));
  await index.updateFromDisk(path.join(root, 'b.nix'));
  assert.equal(index.facts.has(path.join(root, 'b.nix')), false);
  assert.equal(count(), 1);
  // a flake.nix appearing below splits the clan
  fs.mkdirSync(path.join(root, 'sub'));
  fs.writeFileSync(path.join(root, 'sub', 'flake.nix'), '{ }');
  fs.writeFileSync(path.join(root, 'sub', 'b.nix'), '{ clan.core.vars.generators.b = { }; }');
  await index.updateFromDisk(path.join(root, 'sub', 'flake.nix'));
  await index.updateFromDisk(path.join(root, 'sub', 'b.nix'));
  assert.equal(count(), 1, 'b in another clan does not satisfy a');
});

test('a background evaluation takes no slice in the turns a request needs (makeWayForRequests)', async () => {
  const parser = await NixParser.load();
  /** Event-loop turns from the scan until the deferred evaluation of the example clan lands. */
  const turnsToLand = async (way: number): Promise<number> => {
    const a = new WorkspaceAnalysis(path.join(__dirname, '..', '..', 'examples', 'clan'), DEFAULT_SETTINGS, parser);
    a.evaluations.deferMs = 1;
    await a.scan();
    a.allProblems(); // asks for the evaluation
    const landed = a.evaluations.whenLanded();
    makeWayForRequests(way); // as a message arriving during the pause would
    const counter = turnCounter();
    await landed;
    counter.stop();
    return counter.turns;
  };
  const plain = await turnsToLand(0);
  assert.ok(plain < 100, `the example clan evaluates in a few slices (${plain} turns)`);
  const held = await turnsToLand(300);
  assert.ok(held >= 300, `300 turns pass before the evaluation goes on (${held})`);
});

test('a background evaluation takes no slice while a publish runs in turns (inTurns)', async () => {
  const parser = await NixParser.load();
  const a = new WorkspaceAnalysis(path.join(__dirname, '..', '..', 'examples', 'clan'), DEFAULT_SETTINGS, parser);
  a.evaluations.deferMs = 1;
  await a.scan();
  a.allProblems(); // asks for the evaluation
  const landed = a.evaluations.whenLanded().then(() => performance.now());
  // 300 ms of work in turns, as a publish of the rules runs: the example clan's evaluation takes a few slices
  let ended = 0;
  function* publish(): Generator<void, void> {
    const end = performance.now() + 300;
    while (performance.now() < end) {
      const step = performance.now() + 2;
      while (performance.now() < step);
      yield;
    }
    ended = performance.now();
  }
  await inTurns(publish());
  assert.ok((await landed) >= ended, 'the evaluation landed after the work in turns ended');
});

test('a deferred evaluation hands over what the model takes from it a step at a time, the event loop turning between steps', async () => {
  // the signatures and the merges of the shared clan's registry and matrix took 45-90 ms in one piece:
  // a hover sent then waited for all of it
  const root = path.join(__dirname, '..', '..', 'examples', 'clan');
  const a = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  a.evaluations.deferMs = 1;
  await a.scan();
  const hooks = (a.evaluations as unknown as { hooks: EvaluationHooks }).hooks;
  const merge = hooks.prepare!;
  const turnsAtStep: number[] = [];
  let due = -1;
  const counter = turnCounter();
  hooks.prepare = function* (clan, evaluation) {
    for (let i = 0; i < 3; i++) {
      const end = performance.now() + 15; // longer than a slice
      while (performance.now() < end);
      turnsAtStep.push(counter.turns);
      yield;
    }
    yield* merge(clan, evaluation);
  };
  const landed = a.evaluations.whenLanded().then(() => (due = counter.turns));
  a.allProblems(); // asks for the evaluation
  await landed;
  counter.stop();
  assert.equal(turnsAtStep.length, 3, 'every step ran');
  assert.ok(turnsAtStep[0] < turnsAtStep[1] && turnsAtStep[1] < turnsAtStep[2], `the event loop turned between the steps (${turnsAtStep})`);
  assert.ok(due > turnsAtStep[2], 'the clan is due after the last');
  const model = a.clan(root);
  assert.ok(model.registry?.facts.entries.length, 'and its model takes the evaluation');
});

test('awaiting a deferred evaluation keeps the process alive until it lands (whenLanded)', () => {
  // The pause before an evaluation is an unref'd timer; with nothing else on the event loop, a
  // process awaiting the evaluation used to end before it ran (npm test: "Promise resolution is
  // still pending but the event loop has already resolved"). A 300 ms pause makes that certain.
  const script = `
    const path = require('node:path');
    const { WorkspaceAnalysis } = require('./server/src/rules/workspaceAnalysis');
    const { NixParser } = require('./server/src/syntax/nixParser');
    const { DEFAULT_SETTINGS } = require('./server/src/base/settings');
    (async () => {
      const a = new WorkspaceAnalysis(path.resolve('examples/clan'), DEFAULT_SETTINGS, await NixParser.load());
      a.evaluations.deferMs = 300;
      await a.scan();
      const landed = a.evaluations.whenLanded();
      a.allProblems();
      await landed;
      a.allProblems();
      console.log(a.clan(path.resolve('examples/clan')).evaluation ? 'evaluated' : 'not evaluated');
    })();`;
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '--eval', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout.trim(), 'evaluated');
});

test('an edit of the matrix keeps the evaluated registry and its generators; an edit of the registry does not', async () => {
  const root = path.join(__dirname, '..', '..', 'examples', 'clan');
  const matrixFile = path.join(root, 'lib', 'machine-env-matrix.nix');
  const registryFile = path.join(root, 'lib', 'secret-registry.nix');
  const a = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  a.evaluations.deferMs = 1;
  await a.scan();
  const evaluated = async () => {
    const landed = a.evaluations.whenLanded();
    a.allProblems(); // asks for the evaluation
    await landed;
    a.allProblems(); // takes it
    return a.clan(root);
  };
  const first = await evaluated();
  assert.ok(first.evaluation && !first.evaluation.registryOnly, 'evaluated');
  const generator = () => a.clan(root).byName.get('openrouter-api-key')?.find((g) => g.origin === 'registry');
  const before = generator();
  assert.ok(before?.files.length, 'the evaluated registry generator, with its files');

  a.updateFromText(matrixFile, fs.readFileSync(matrixFile, 'utf8') + '\n# typing\n');
  a.allProblems();
  const typing = a.clan(root);
  assert.equal(typing.evaluation?.registryOnly, true, 'the registry part is served while the matrix is edited');
  assert.equal(typing.registry?.facts, first.registry?.facts, 'the same registry facts');
  assert.equal(typing.matrix?.facts, a.facts.get(matrixFile)?.matrix, 'the literal matrix');
  assert.equal(generator(), before, 'the same generator object');

  const landed = await evaluated();
  assert.ok(landed.evaluation && !landed.evaluation.registryOnly, 'evaluated again');
  assert.equal(generator(), before, 'an unchanged registry keeps its generators');

  a.updateFromText(registryFile, fs.readFileSync(registryFile, 'utf8') + '\n# typing\n');
  a.allProblems();
  assert.equal(a.clan(root).evaluation, null, 'literal facts while the registry is edited');
  assert.notEqual(generator(), before);
  assert.deepEqual(generator()?.files, [], 'the literal entry does not know its files');
  // the evaluation the edit started must not run into the next test (it reads files; a test records reads)
  a.evaluations.clear();
});

test('recording reads: what the analysis read, and functions it does not follow spoil the recording', async () => {
  const root = writeTree({ 'a.nix': '{ }', 'sub/b.nix': '{ x = 1; }' });
  roots.push(root);
  const { recording } = await recordInputs([], async () => {
    fs.readFileSync(path.join(root, 'a.nix'), 'utf8');
    fs.readdirSync(path.join(root, 'sub'), { withFileTypes: true });
    fs.existsSync(path.join(root, 'missing.nix'));
    assert.equal(typeof fs.realpathSync.native, 'function', 'what hangs on a function stays');
    await fs.promises.stat(path.join(root, 'sub', 'b.nix'));
  });
  assert.equal(recording.spoiled, null);
  assert.deepEqual(recording.inputs.map(([op, file]) => [op, path.relative(root, file)]).sort(), [['dir', 'sub'], ['exists', 'missing.nix'], ['file', 'a.nix'], ['stat', 'sub/b.nix']]);
  assert.equal(changedInput(recording.inputs), null);
  fs.writeFileSync(path.join(root, 'missing.nix'), '{ }');
  assert.deepEqual(changedInput(recording.inputs)?.slice(0, 2), ['exists', path.join(root, 'missing.nix')], 'a file that appeared');
  fs.rmSync(path.join(root, 'missing.nix'));
  assert.equal(changedInput(recording.inputs), null);
  fs.writeFileSync(path.join(root, 'a.nix'), '{ a = 1; }');
  assert.deepEqual(changedInput(recording.inputs)?.slice(0, 2), ['file', path.join(root, 'a.nix')], 'a file edited');
  assert.equal(fs.readFileSync.name, 'readFileSync', 'restored');
  const spoiled = await recordInputs([], async () => {
    await new Promise((resolve) => fs.readFile(path.join(root, 'a.nix'), resolve));
  });
  assert.match(spoiled.recording.spoiled ?? '', /fs\.readFile/);
  const ignored = await recordInputs([path.join(root, 'sub')], async () => {
    fs.readFileSync(path.join(root, 'sub', 'b.nix'));
  });
  assert.deepEqual(ignored.recording.inputs, []);
  // stats that answer undefined for a missing path (fs.rmSync asks so, when the cache prunes a file another process removed)
  const missing = path.join(root, 'gone.nix');
  const gone = await recordInputs([], async () => {
    assert.equal(fs.lstatSync(missing, { throwIfNoEntry: false }), undefined);
    assert.equal(fs.statSync(missing, { throwIfNoEntry: false }), undefined);
    fs.rmSync(missing, { force: true });
  });
  assert.deepEqual(gone.recording.inputs.map(([op, file, , digest]) => [op, path.relative(root, file), digest]).sort(), [['lstat', 'gone.nix', 'E:ENOENT'], ['stat', 'gone.nix', 'E:ENOENT']]);
  assert.equal(changedInput(gone.recording.inputs), null);
  fs.writeFileSync(missing, '{ }');
  assert.deepEqual(changedInput(gone.recording.inputs)?.[1], missing, 'the path appeared');
});

test('positions and ranges in the facts of different files are one frozen object per value (FactPool)', () => {
  const pool = new FactPool();
  const at = (line: number, character: number) => ({ line, character });
  const a = { file: 'a', generators: [{ name: { name: 'x', range: { start: at(1, 2), end: at(1, 5) } }, extra: { line: 1, character: 2, note: 'not a position' } }], kinds: ['string_expression'], none: [] } as unknown as FileFacts;
  const b = { file: 'b', generators: [{ name: { name: 'y', range: { start: at(1, 2), end: at(3, 0) } }, same: { range: { start: at(1, 2), end: at(1, 5) } }, wider: { start: at(1, 2), end: at(1, 5), note: 'more than a range' } }], spots: [at(3, 0)], kinds: ['string_expression'], none: [], script: 's'.repeat(49) } as unknown as FileFacts;
  const before = JSON.stringify([a, b]);
  pool.share(a);
  pool.share(b);
  assert.equal(JSON.stringify([a, b]), before, 'the values are unchanged');
  type G = { name: { range: Range }; same: { range: Range }; wider: Range & { note: string } };
  const ga = a.generators[0] as unknown as G;
  const gb = b.generators[0] as unknown as G;
  assert.equal(ga.name.range.start, gb.name.range.start, 'equal positions are one object');
  assert.equal(gb.name.range.end, (b as unknown as { spots: Position[] }).spots[0], 'in arrays too');
  assert.notEqual(ga.name.range.end, gb.name.range.end);
  assert.equal(ga.name.range, gb.same.range, 'equal ranges are one object');
  assert.notEqual(ga.name.range, gb.name.range);
  assert.notEqual(gb.wider, ga.name.range, 'an object with more than a range is left alone');
  assert.equal(gb.wider.start, ga.name.range.start, 'but its positions are shared');
  assert.ok(Object.isFrozen(ga.name.range) && Object.isFrozen(ga.name.range.start));
  assert.throws(() => ((ga.name.range.start as { line: number }).line = 9), TypeError, 'a shared position cannot be changed');
  assert.throws(() => ((ga.name.range as { end: Position }).end = at(0, 0)), TypeError, 'nor a shared range');
  assert.equal(Object.isFrozen((a.generators[0] as unknown as { extra: object }).extra), false, 'an object with more than a position is left alone');
  type L = { kinds: string[]; none: unknown[]; spots: Position[] };
  const [la, lb] = [a as unknown as L, b as unknown as L];
  assert.equal(la.kinds, lb.kinds, 'equal lists of short strings are one array');
  assert.equal(la.none, lb.none, 'so are empty lists');
  assert.throws(() => la.kinds.push('x'), TypeError, 'a shared list cannot be changed');
  assert.equal(Object.isFrozen(lb.spots), false, 'a list of positions is left alone');
  // the short strings (a, b, x, y, string_expression and the two notes), one of each; the long one is not pooled
  assert.deepEqual(pool.size, { positions: 3, ranges: 2, strings: 7 });
});

test('a file whose facts a scan cannot index is an internal error, not a skip, until it is analysed again', async () => {
  const root = writeTree({
    'flake.nix': '{ }',
    'machines/a.nix': '{ clan.core.vars.generators.a.files.key = { }; }\n',
    'machines/b.nix': '{ clan.core.vars.generators.b.dependencies = [ "a" ]; }\n',
  });
  roots.push(root);
  const file = path.join(root, 'machines/a.nix');
  const log: string[] = [];
  const a = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), (l) => log.push(l));
  // a bug in sharing the file's facts (the fact pool's, as in issue 54) stands for any
  const pool = (a as unknown as { factPool: FactPool }).factPool;
  const share = pool.share.bind(pool);
  pool.share = (facts, packed) => {
    if (facts.file === file) throw new Error('no pool today');
    return share(facts, packed);
  };
  await a.scan();
  assert.equal(a.facts.get(file)?.internalError, 'no pool today');
  assert.deepEqual([...a.failedFiles], [file]);
  assert.deepEqual(log.filter((l) => l.includes(file)), [`internal error: ${file} could not be analysed: no pool today`]);
  const problems = () => [...a.allProblems().values()].flat().map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.code}`).sort();
  assert.deepEqual(problems(), ['machines/a.nix:1 internal-error', 'machines/b.nix:1 unknown-dependency']);
  assert.match(a.allProblems().get(file)![0].message, /^Clan Vars could not analyse this file: no pool today\. This is a bug in Clan Vars/);
  a.updateFromText(file, fs.readFileSync(file, 'utf8'));
  assert.deepEqual(problems(), [], 'analysed again: no finding left');
  assert.equal(a.failedFiles.size, 0);
});

test('facts that reach a list or an object twice are shared as they are (the generators map makes from one body)', () => {
  // `lib.listToAttrs (map (n: lib.nameValuePair "x-${n}" { ... }) [ "a" "b" ])`: the two generators
  // share the body's option paths, files and ranges; a list the pool froze at its first visit was
  // written again at the second ("Cannot assign to read only property '0'"), and the file was skipped
  const at = (line: number, character: number) => ({ line, character });
  const path = ['files', 'key', 'mode'];
  const option = { path, keyRange: { start: at(3, 2), end: at(3, 6) } };
  const file = { name: 'key', range: { start: at(2, 4), end: at(2, 7) } };
  const body = { options: [option], files: [file], kinds: ['string_expression', 'attrset_expression'] };
  const facts = {
    file: 'a.nix',
    generators: [{ name: { name: 'x-a' }, ...body }, { name: { name: 'x-b' }, ...body }],
    again: path,
  } as unknown as FileFacts;
  const original = JSON.stringify(facts);
  const pool = new FactPool();
  assert.doesNotThrow(() => pool.share(facts));
  assert.equal(JSON.stringify(facts), original, 'the values are unchanged');
  type G = { options: { path: string[] }[]; kinds: string[] };
  const [a, b] = facts.generators as unknown as G[];
  assert.equal(a.options[0].path, (facts as unknown as { again: string[] }).again, 'one list, shared');
  assert.ok(Object.isFrozen(a.options[0].path) && Object.isFrozen(b.kinds));
  // a second file with the same lists and the first file's facts shared again (a scan after a reconfigure)
  assert.doesNotThrow(() => pool.share({ file: 'b.nix', generators: [{ ...body }], again: path } as unknown as FileFacts));
  assert.doesNotThrow(() => pool.share(facts));
});

test('packed facts (packFacts) read back through the pool equal the facts, with pooled ranges and positions', () => {
  const at = (line: number, character: number) => ({ line, character });
  const range = { start: at(2, 4), end: at(2, 9) };
  const facts = {
    file: 'a.nix',
    // one range object reached from two places, as the registry's facts have
    generators: [{ name: { name: 'x', range }, alias: { range }, insertAt: { position: at(7, 0), indent: '  ' } }],
    odd: { start: at(1, 0), end: at(1, 2), note: 'more than a range' },
    notPosition: { line: 1.5, character: 2 },
    strings: ['\u0001looks packed', '\u0001\u0001twice', '\u0001' + 'long'.repeat(20), 'plain'],
    none: [],
  } as unknown as FileFacts;
  const original = JSON.stringify(facts);
  const packed = packFacts(facts);
  assert.equal(JSON.stringify(facts), original, 'the facts are left as they are');
  assert.ok(packed.length < original.length);
  assert.ok(packed.includes('"\\u00012,4,2,9"') && packed.includes('"\\u00017,0"'), packed);
  const pool = new FactPool();
  const back = pool.share(JSON.parse(packed) as FileFacts, true);
  assert.equal(JSON.stringify(back), original);
  type G = { name: { range: Range }; alias: { range: Range }; insertAt: { position: Position } };
  const g = back.generators[0] as unknown as G;
  assert.equal(g.name.range, g.alias.range, 'equal ranges are one object');
  assert.ok(Object.isFrozen(g.name.range) && Object.isFrozen(g.insertAt.position));
  const other = pool.share({ file: 'b.nix', generators: [{ name: { name: 'y', range: { start: at(2, 4), end: at(2, 9) } } }] } as unknown as FileFacts);
  assert.equal((other.generators[0] as unknown as G).name.range, g.name.range, 'packed and plain facts share one pool');
  // plain facts are not unpacked: a string that looks packed stays a string
  const plain = pool.share({ file: 'c.nix', text: '\u00012,4,2,9' } as unknown as FileFacts);
  assert.equal((plain as unknown as { text: string }).text, '\u00012,4,2,9');
  for (const bad of ['x,y', '', '1,2,3', '1,,2', '1,2,3,4,5', '1,2,', '-1,2', '123456789,1']) {
    assert.throws(() => pool.share(JSON.parse(JSON.stringify({ file: 'd.nix', r: `\u0001${bad}` })) as FileFacts, true), /not a packed range or position/, bad);
  }
});

test('a long string repeated in one file\'s facts crosses once and is read back as one string (packFacts, FactPool)', () => {
  // a script's text is both its option's source text and the script's: two copies crossed before
  const script = "''\n  ssh-keygen -t ed25519 -f \"$out/key\" -C a-long-enough-comment\n''";
  const escaped = '\u0001' + 'starts like a packed value, and is long'.repeat(2);
  const other = 'x'.repeat(49);
  const facts = {
    file: 'a.nix',
    generators: [
      { options: [{ path: ['script'], text: script }, { text: escaped }], script: { raw: script } },
      { options: [{ text: escaped }, { text: other }], script: { raw: script }, short: 'z'.repeat(48) },
    ],
    last: ['z'.repeat(48), other],
  } as unknown as FileFacts;
  const original = JSON.stringify(facts);
  const packed = packFacts(facts);
  assert.equal(packed.split('ssh-keygen').length, 2, 'the script crosses once');
  assert.equal(packed.split('is long').length, 3, 'so does the escaped string (twice in itself)');
  assert.equal(packed.split('x'.repeat(49)).length, 2, 'and the 49 x');
  assert.equal(packed.split('z'.repeat(48)).length, 3, 'a short string is not numbered: it crosses each time (the pool shares it)');
  const back = new FactPool().share(JSON.parse(packed) as FileFacts, true);
  assert.equal(JSON.stringify(back), original);
  type G = { options: { text: string }[]; script: { raw: string } };
  const [a, b] = back.generators as unknown as G[];
  assert.equal(a.script.raw, script);
  assert.equal(b.options[0].text, escaped, 'an escaped string is numbered unescaped');
  assert.equal(b.options[1].text, other);
  // a number no long string had before it in the same facts is refused, not read as undefined
  const withRef = (ref: string) => JSON.parse(JSON.stringify({ file: 'd.nix', first: 'y'.repeat(49), r: `\u0001${ref}` })) as FileFacts;
  assert.equal((new FactPool().share(withRef('#0'), true) as unknown as { r: string }).r, 'y'.repeat(49));
  const pool = new FactPool();
  pool.share(withRef('#0'), true);
  const second = JSON.parse(JSON.stringify({ file: 'e.nix', first: 'w'.repeat(49), r: '\u0001#0' })) as FileFacts;
  assert.equal((pool.share(second, true) as unknown as { r: string }).r, 'w'.repeat(49), 'numbers count in each file anew');
  for (const bad of ['#1', '#', '#x', '#-1', '#0,1']) assert.throws(() => new FactPool().share(withRef(bad), true), /not a long string met before/, bad);
});

test('facts that reach one list from two places (the generators one computed set yields share their options) go through the pool (FactPool)', () => {
  const path = ['files', 'key', 'mode'];
  const options = [{ path, text: '"0400"' }];
  // two generators with the same options array, and a third list reached twice inside one object
  const facts = { file: 'a.nix', generators: [{ name: 'a', options }, { name: 'b', options }], twice: { first: path, second: path } } as unknown as FileFacts;
  const before = JSON.stringify(facts);
  const pool = new FactPool();
  assert.doesNotThrow(() => pool.share(facts));
  assert.equal(JSON.stringify(facts), before, 'the values are unchanged');
  type O = { generators: { options: { path: string[] }[] }[]; twice: { first: string[]; second: string[] } };
  const o = facts as unknown as O;
  assert.equal(o.generators[0].options[0].path, o.twice.second, 'still one array');
  assert.ok(Object.isFrozen(o.twice.first));
});

test('a commit for a request about one document leaves an evaluation that landed to the next full commit', async () => {
  const parser = await NixParser.load();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-landed-'));
  fs.cpSync(path.join(__dirname, '..', '..', 'examples', 'clan'), root, { recursive: true });
  try {
    const a = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
    await a.scan();
    a.allProblems(); // evaluated at once (no pause yet)
    const before = a.settledEvaluation(root);
    assert.ok(before, 'the example clan evaluates');
    a.evaluations.deferMs = 1;
    // a registry edit: the next evaluation waits for the pause, then lands
    const registry = path.join(root, 'lib', 'secret-registry.nix');
    a.updateFromText(registry, fs.readFileSync(registry, 'utf8').replace('envVar = "OPENROUTER_API_KEY"', 'envVar = "OPENROUTER_KEY"'));
    a.commit();
    // until it lands the rules read the literal registry (the edit changed what the evaluation read)
    const meanwhile = a.settledEvaluation(root);
    assert.notEqual(meanwhile, before);
    await a.evaluations.whenLanded();
    const revisions = a.revisions();
    a.commit(false);
    assert.equal(a.settledEvaluation(root), meanwhile, 'a request about one document: what was settled before it landed');
    assert.equal(a.revisions(), revisions, 'and nothing of the index or its models changed');
    a.commit();
    const after = a.settledEvaluation(root);
    assert.ok(after && after !== before && after !== meanwhile, 'the next full commit takes the evaluation that landed');
    assert.ok(after.registry!.entries.some((e) => e.envVar === 'OPENROUTER_KEY'), 'with the edit');
  } finally {
    removeTree(root);
  }
});

test('an evaluation made ahead (while the cold scan waits for its workers) is the one the model takes, unless what it read or was given changed', async () => {
  const parser = await NixParser.load();
  const root = writeTree({
    'lib/secret-registry.nix': '{ a = { generator = "gen-a"; }; }\n',
    'lib/machine-env-matrix.nix': '{ m0 = [ "a" ]; }\n',
    'lib/vars-generators.nix': '{ keys }: { }\n',
  });
  try {
    const registry = path.join(root, 'lib/secret-registry.nix');
    const matrix = path.join(root, 'lib/machine-env-matrix.nix');
    const made = (machines: string[]) => {
      const evaluations = new ClanEvaluations(parser, () => {}, () => DEFAULT_SETTINGS, { bump: () => {}, due: () => {} });
      const parsed = [{ file: registry } as FileFacts, { file: matrix, matrix: { understood: true, machines, keys: [] } } as unknown as FileFacts];
      const files = new Map(parsed.map((f) => [f.file, f]));
      const ahead = evaluations.ahead(parsed);
      return { evaluations, files, ahead: ahead.get(root) };
    };
    // nothing changed: taken
    const same = made(['m0']);
    assert.ok(same.ahead && same.ahead.registry?.entries.some((e) => e.key === 'a'));
    assert.equal(same.evaluations.evaluate(root, same.files), same.ahead);
    // the registry changed on disk after it was read: evaluated again, from the new text
    const edited = made(['m0']);
    fs.writeFileSync(registry, '{ b = { generator = "gen-b"; }; }\n');
    const again = edited.evaluations.evaluate(root, edited.files);
    assert.notEqual(again, edited.ahead);
    assert.deepEqual(again?.registry?.entries.map((e) => e.key), ['b']);
    // other hints (the literal matrix's machines) than it was given: evaluated again
    const hinted = made(['m0']);
    hinted.files.set(matrix, { file: matrix, matrix: { understood: true, machines: ['m0', 'm1'], keys: [] } } as unknown as FileFacts);
    assert.notEqual(hinted.evaluations.evaluate(root, hinted.files), hinted.ahead);
    // a server, which evaluates after a pause in typing, evaluates nothing ahead
    const server = new ClanEvaluations(parser, () => {}, () => DEFAULT_SETTINGS, { bump: () => {}, due: () => {} });
    server.deferMs = 300;
    assert.equal(server.ahead([{ file: registry } as FileFacts]).size, 0);
  } finally {
    removeTree(root);
  }
});

test('an evaluation that failed is not tried again until one of its three files changes', async () => {
  const real = await NixParser.load();
  let parses = 0;
  // a parser that fails as a bug would (not a timeout), counting the evaluator's parses
  const failing = new Proxy(real, {
    get(target, key, receiver) {
      if (key === 'parse' || key === 'parseSteps' || key === 'reparse') {
        return () => {
          parses++;
          throw new Error('deliberate parser failure');
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
  const root = writeTree({
    'lib/secret-registry.nix': '{ a = { generator = "gen-a"; }; }\n',
    'lib/machine-env-matrix.nix': '{ m0 = [ "a" ]; }\n',
    'lib/vars-generators.nix': '{ keys }: { }\n',
  });
  try {
    const logs: string[] = [];
    const evaluations = new ClanEvaluations(failing, (l) => logs.push(l), () => DEFAULT_SETTINGS, { bump: () => {}, due: () => {} });
    const files = new Map(['lib/secret-registry.nix', 'lib/machine-env-matrix.nix'].map((f) => [path.join(root, f), { file: path.join(root, f) } as FileFacts]));
    assert.equal(evaluations.evaluate(root, files), null);
    const tried = parses;
    assert.ok(tried > 0 && logs.some((l) => l.includes('deliberate parser failure')), logs.join('\n'));
    assert.equal(evaluations.evaluate(root, files), null);
    assert.equal(parses, tried, 'the same three texts: not tried again');
    evaluations.noteText(path.join(root, 'lib/machine-env-matrix.nix'), '{ m0 = [ "a" ]; m1 = [ ]; }\n');
    assert.equal(evaluations.evaluate(root, files), null);
    assert.ok(parses > tried, 'the matrix changed: tried again');
  } finally {
    removeTree(root);
  }
});
