// The rules engine re-runs name-local rules only over the files an edit can affect. After every
// edit of a seeded sequence (renames, shared names added and removed, scripts and options changed,
// half-typed text), the incremental result (model and rules) must equal a full run over the same facts.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** A module with one generator whose name, dependencies, file, script and options vary with `v`. */
function module(i: number, v: number, n: number, depVariant?: number, fileVariant?: number): string {
  const name = v % 5 === 0 ? 'shared-key' : `gen-${i}-${v % 3}`;
  const share = v % 5 === 0 || v % 9 === 4 ? 'share = true; ' : '';
  const d = depVariant ?? v;
  // the next module's generator, or the previous one's (two neighbours pointing at each other make a cycle)
  const dep = d % 8 === 7 ? 'no-such-gen' : d % 4 === 0 ? 'shared-key' : d % 8 === 5 ? `gen-${(i + n - 1) % n}-${(d >> 3) % 3}` : `gen-${(i + 1) % n}-${(d >> 2) % 3}`;
  const file = (fileVariant ?? v) % 2 ? 'key' : 'secret';
  const written = v % 4 === 1 ? 'other' : file;
  const mode = v % 7 === 3 ? '"0999"' : '"0400"';
  const prompt = v % 6 === 2 ? ' "$prompts/missing"' : '';
  // reads a dependency's file (declared or not), or a generator it does not depend on
  const input = d % 3 === 1 ? `\n      cat "$in/${dep}/${d % 2 ? 'key' : 'secret'}"` : d % 3 === 2 ? `\n      cat "$in/gen-${(i + 2) % n}-0/key"` : '';
  // and a module option reads a file of another generator of its machine (unknown-var-read): named as it is, or not
  const read = `\n  environment.etc.r${i}.source = config.clan.core.vars.generators.gen-${(i + 4) % n}-${(d >> 1) % 3}.files.${d % 2 ? 'key' : 'secret'}.path;`;
  const tail = v % 11 === 10 ? '' : `};${read}\n}\n`;
  return `{ pkgs, config, ... }: {\n  clan.core.vars.generators.${name} = {\n    ${share}dependencies = [ "${dep}" ];\n    files.${file}.mode = ${mode};\n    runtimeInputs = [ pkgs.coreutils ];\n    script = \'\'\n      openssl rand -hex 16 > "$out/${written}"${prompt}${input}\n    \'\';\n  ${tail}`;
}

/** Half the modules are machines' own, half are shared modules imported by two machines. */
function pathOf(i: number): string {
  return i % 2 ? `machines/m${i % 4}/g${i}.nix` : `modules/g${i}.nix`;
}

function serialise(problems: Map<string, Problem[]>): string[] {
  return [...problems.values()].flat().map((p) => `${p.file}:${p.range.start.line}:${p.range.start.character} ${p.code} ${p.message}`).sort();
}

test('rules engine: incremental results equal a full run after each edit', async () => {
  const N = 12;
  const files: Record<string, string> = { 'flake.nix': '{ }' };
  for (let i = 0; i < N; i++) files[pathOf(i)] = module(i, i, N);
  // a shared generator m3 declares on its own: the edits make the other machines' definitions match it or not
  files['machines/m3/fixed.nix'] = `{ clan.core.vars.generators.shared-key = { share = true; files.key = { }; script = "touch $out/key"; }; }\n`;
  for (const m of [1, 3]) files[`machines/m${m}/configuration.nix`] = `{ imports = [ ${[0, 2, 4, 6, 8, 10].filter((i) => i % 4 === m - 1).map((i) => `../../modules/g${i}.nix`).join(' ')} ${[...Array(N).keys()].filter((i) => i % 2 && i % 4 === m).map((i) => `./g${i}.nix`).join(' ')} ]; }\n`;
  const root = writeTree(files);
  roots.push(root);
  const lines: string[] = [];
  const previous = process.env.CLAN_VARS_DEBUG_RULES;
  process.env.CLAN_VARS_DEBUG_RULES = '1';
  try {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), (l) => lines.push(l));
    await index.scan();
    index.allProblems();
    let seed = 7;
    let partialSteps = 0;
    let dependencySteps = 0;
    let cycleSteps = 0;
    let readerSteps = 0;
    let readerFindings = 0;
    const last = [...Array(N).keys()];
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let step = 0; step < 120; step++) {
      const i = next() % N;
      // odd steps change only a dependency (the names stay), every sixth step only the file a generator declares, the others anything
      if (step % 2) index.updateFromText(`${root}/${pathOf(i)}`, module(i, last[i], N, next() % 1000));
      else if (step % 6 === 4) index.updateFromText(`${root}/${pathOf(i)}`, module(i, last[i], N, undefined, next() % 1000));
      else index.updateFromText(`${root}/${pathOf(i)}`, module(i, (last[i] = next() % 1000), N));
      lines.length = 0;
      const incremental = serialise(index.allProblems());
      const partial = lines.filter((l) => / ran over \d+ generators/.test(l) && Number(/over (\d+)/.exec(l)![1]) < N);
      index.engine.clear();
      index.models.clear();
      const full = serialise(index.allProblems());
      assert.deepEqual(incremental, full, `step ${step}: edit of ${pathOf(i)}`);
      if (partial.length) partialSteps++;
      if (partial.some((l) => l.includes('unknown-dependency'))) dependencySteps++;
      if (partial.some((l) => l.includes('dependency-cycle'))) cycleSteps++;
      if (partial.some((l) => l.includes('unknown-var-read'))) readerSteps++;
      readerFindings += full.filter((l) => l.includes(' unknown-var-read ')).length;
    }
    // most edits touch one generator name: the name-local rules ran over a part of the clan
    assert.ok(partialSteps >= 40, `incremental runs in ${partialSteps} of 120 steps`);
    assert.ok(dependencySteps >= 20, `incremental unknown-dependency runs in ${dependencySteps} of 120 steps`);
    assert.ok(cycleSteps >= 10, `incremental dependency-cycle runs in ${cycleSteps} of 120 steps`);
    assert.ok(readerSteps >= 10, `incremental unknown-var-read runs in ${readerSteps} of 120 steps`);
    assert.ok(readerFindings > 0, 'reads of files no generator declares made unknown-var-read findings to compare');
  } finally {
    if (previous === undefined) delete process.env.CLAN_VARS_DEBUG_RULES;
    else process.env.CLAN_VARS_DEBUG_RULES = previous;
  }
});

test('rules engine: an edit of a literal name re-runs the rules over computed names that may be it (mergedDeclarations)', async () => {
  // modules/wg.nix reads $prompts/psk for "wg-${name}": whether some wg-* declares it changes with the edits
  // no script of their own: a second script would make them other generators than "wg-${name}"
  const literal = (i: number, psk: boolean) => `{ clan.core.vars.generators.wg-${i} = { ${psk ? 'prompts.psk = { }; ' : ''}files.k = { }; }; }\n`;
  const files: Record<string, string> = {
    'flake.nix': '{ }',
    'modules/wg.nix': `{ name, ... }: { clan.core.vars.generators."wg-\${name}" = { files.key = { }; script = "cat $prompts/psk > $out/key"; }; }\n`,
  };
  for (let i = 0; i < 4; i++) files[`modules/wg-${i}.nix`] = literal(i, false);
  const root = writeTree(files);
  roots.push(root);
  const lines: string[] = [];
  const previous = process.env.CLAN_VARS_DEBUG_RULES;
  process.env.CLAN_VARS_DEBUG_RULES = '1';
  try {
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), (l) => lines.push(l));
    await index.scan();
    index.allProblems();
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const psk = [false, false, false, false];
    let flips = 0;
    let partial = 0;
    let before = true;
    for (let step = 0; step < 40; step++) {
      const i = next() % 4;
      psk[i] = next() % 3 === 0;
      index.updateFromText(`${root}/modules/wg-${i}.nix`, literal(i, psk[i]));
      lines.length = 0;
      const incremental = serialise(index.allProblems());
      if (lines.some((l) => /rule unknown-prompt ran over [1-4] generators/.test(l))) partial++;
      index.engine.clear();
      index.models.clear();
      const full = serialise(index.allProblems());
      assert.deepEqual(incremental, full, `step ${step}: wg-${i} ${psk[i] ? 'declares' : 'drops'} psk`);
      const found = full.some((l) => l.includes('/modules/wg.nix:') && l.includes(' unknown-prompt '));
      assert.equal(found, !psk.some((p) => p), `step ${step}`);
      if (found !== before) flips++;
      before = found;
    }
    assert.ok(flips >= 4, `the finding came or went in ${flips} of 40 steps`);
    assert.ok(partial >= 10, `unknown-prompt ran over part of the clan in ${partial} of 40 steps`);
  } finally {
    if (previous === undefined) delete process.env.CLAN_VARS_DEBUG_RULES;
    else process.env.CLAN_VARS_DEBUG_RULES = previous;
  }
});

test('rules engine: when a flake.nix appears or goes away, files move between clans and every clan is checked again', async () => {
  const gen = (name: string, dep: string) => `{ clan.core.vars.generators.${name} = { files.k = { }; dependencies = [ "${dep}" ]; script = "touch $out/k"; }; }\n`;
  const root = writeTree({ 'flake.nix': '{ }', 'a.nix': gen('a', 'b'), 'sub/b.nix': gen('b', 'nope') });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const check = (step: string) => {
    const incremental = serialise(index.allProblems());
    index.engine.clear();
    index.models.clear();
    assert.deepEqual(incremental, serialise(index.allProblems()), step);
    return incremental;
  };
  const before = check('start');
  assert.equal(before.filter((l) => l.includes('unknown-dependency')).length, 1, 'b depends on nope');
  index.updateFromText(`${root}/sub/flake.nix`, '{ }');
  const split = check('sub/ is a clan of its own');
  assert.equal(split.filter((l) => l.includes('unknown-dependency')).length, 2, "a's b is in another clan now");
  index.remove(`${root}/sub/flake.nix`);
  assert.deepEqual(check('sub/ is part of the clan again'), before);
});

/** Each machine's generators with where each declaration is, as comparable text. */
function machinesOf(index: WorkspaceAnalysis, root: string): string[] {
  const model = index.clan(root).machineModel();
  return [...model.machines].flatMap(([m, view]) => [...view.generators].map(([name, decls]) => `${m} ${name} ${decls.map((g) => `${g.file}:${g.name.range.start.line}:${g.origin}`).join(',')}`)).sort();
}

test('machine model: after registry and matrix edits, the incrementally updated model and the rules equal a fresh build', async () => {
  const K = 8;
  const registry = (v: number) => {
    // entries come and go, and are renamed, with v; their generators too
    const keys = [...Array(K).keys()].filter((k) => (v >> k) % 5 !== 0);
    return `{ pkgs ? null }: {\n${keys.map((k) => `  key${k}${(v >> (k + 1)) % 7 === 0 ? 'x' : ''} = { generator = "reg-${k}${(v >> k) % 11 === 0 ? '-new' : ''}"; files.value = { neededFor = "${(v >> (k + 2)) % 4 === 0 ? 'user' : 'services'}"; }; script = "cat $prompts/value > $out/value"; prompts.value = { }; };`).join('\n')}\n}\n`;
  };
  const matrix = (v: number) => `{\n${[0, 1, 2].map((m) => `  m${m} = [ ${[...Array(K).keys()].filter((k) => (v >> (k + m)) % 3 !== 0).map((k) => `"key${k}"`).join(' ')} ];`).join('\n')}\n}\n`;
  const files: Record<string, string> = {
    'flake.nix': '{ }',
    'lib/secret-registry.nix': registry(1),
    'lib/machine-env-matrix.nix': matrix(1),
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
  };
  for (const m of [0, 1, 2]) {
    files[`machines/m${m}/configuration.nix`] =
      `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m${m}; inherit pkgs; };\nin {\n  imports = [ ./own.nix ./computed.nix ./reader.nix ./filler-0.nix ./filler-1.nix ./filler-2.nix ./filler-3.nix ];\n  clan.core.vars.generators = gens;\n}\n`;
    // generators no registry edit concerns
    for (let j = 0; j < 4; j++) files[`machines/m${m}/filler-${j}.nix`] = `{ clan.core.vars.generators.filler-${m}-${j} = { files.k = { }; script = "touch $out/k"; }; }\n`;
    // a module generator on each machine depending on registry generators
    files[`machines/m${m}/own.nix`] = `{ clan.core.vars.generators.own-${m} = { dependencies = [ "reg-${m}" "reg-${m + 3}" ]; files.k = { }; script = "cat $in/reg-${m}/value > $out/k"; }; }\n`;
    // and a module that only reads a registry generator's file (unknown-var-read), depending on nothing
    files[`machines/m${m}/reader.nix`] = `{ config, ... }: { environment.etc.reader.source = config.clan.core.vars.generators.reg-${m + 1}.files.value.path; }\n`;
    // and one whose dependencies are computed (unknown here), reading a registry generator's file
    files[`machines/m${m}/computed.nix`] = `{ config, ... }: { clan.core.vars.generators.computed-${m} = { dependencies = config.deps; files.k = { }; script = "cat $in/reg-${m + 1}/value > $out/k"; }; }\n`;
  }
  const root = writeTree(files);
  roots.push(root);
  const lines: string[] = [];
  const previous = process.env.CLAN_VARS_DEBUG_RULES;
  process.env.CLAN_VARS_DEBUG_RULES = '1';
  after(() => {
    if (previous === undefined) delete process.env.CLAN_VARS_DEBUG_RULES;
    else process.env.CLAN_VARS_DEBUG_RULES = previous;
  });
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load(), (l) => lines.push(l));
  await index.scan();
  index.allProblems();
  let partial = 0;
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let findings = 0;
  let inputFindings = 0;
  let inputPartial = 0;
  let readFindings = 0;
  let readPartial = 0;
  let enumFindings = 0;
  let enumPartial = 0;
  for (let step = 0; step < 80; step++) {
    const v = next() % 100_000;
    if (step % 3 === 0) index.updateFromText(`${root}/lib/secret-registry.nix`, registry(v));
    else if (step % 3 === 1) index.updateFromText(`${root}/lib/machine-env-matrix.nix`, matrix(v));
    else index.updateFromText(`${root}/lib/secret-registry.nix`, registry(v).replace('key0 =', 'key0 = ').replace(/\n}\n$/, '\n  broken = \n}\n')); // half-typed: literal facts only
    lines.length = 0;
    const incremental = serialise(index.allProblems());
    const total = index.clan(root).generators.length;
    if (lines.some((l) => l.startsWith('rule unknown-dependency ran over') && Number(/over (\d+)/.exec(l)![1]) < total)) partial++;
    if (lines.some((l) => l.startsWith('rule unknown-input ran over') && Number(/over (\d+)/.exec(l)![1]) < total)) inputPartial++;
    inputFindings += incremental.filter((p) => p.includes(' unknown-input ')).length;
    if (lines.some((l) => l.startsWith('rule unknown-var-read ran over') && Number(/over (\d+)/.exec(l)![1]) < total)) readPartial++;
    readFindings += incremental.filter((p) => p.includes(' unknown-var-read ')).length;
    // the registry's evaluated option values (neededFor = "user") come and go with the evaluation: re-checked where they are written
    if (lines.includes('bump evaluation by evaluation') && lines.some((l) => l.startsWith('rule invalid-needed-for ran over') && Number(/over (\d+)/.exec(l)![1]) < total)) enumPartial++;
    enumFindings += incremental.filter((p) => p.includes(' invalid-needed-for ')).length;
    const model = machinesOf(index, root);
    index.engine.clear();
    index.models.clear();
    assert.deepEqual(model, machinesOf(index, root), `step ${step}: machine model`);
    assert.deepEqual(incremental, serialise(index.allProblems()), `step ${step}: problems`);
    findings += incremental.length;
  }
  assert.ok(findings > 0, 'the edits made findings to compare');
  assert.ok(partial >= 5, `unknown-dependency re-ran over part of the clan after ${partial} of 80 edits`);
  assert.ok(inputFindings > 0, 'reads of a registry generator by a generator with computed dependencies made unknown-input findings to compare');
  assert.ok(inputPartial >= 5, `unknown-input re-ran over part of the clan after ${inputPartial} of 80 edits`);
  assert.ok(readFindings > 0, 'reads of a registry generator a machine lacks made unknown-var-read findings to compare');
  assert.ok(readPartial >= 5, `unknown-var-read re-ran over part of the clan after ${readPartial} of 80 edits`);
  assert.ok(enumFindings > 0, 'evaluated registry options made invalid-needed-for findings to compare');
  assert.ok(enumPartial >= 5, `invalid-needed-for re-ran over part of the clan after ${enumPartial} of 80 edits that changed the evaluation`);
});

test('machine model: one updated for a registry edit does not keep the model it was made from alive', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const registry = (suffix: string) => `{ pkgs ? null }: {\n  a = { generator = "a${suffix}"; files.v = { }; script = "touch $out/v"; };\n  b = { generator = "b"; files.v = { }; script = "touch $out/v"; };\n}\n`;
  const root = writeTree({
    'flake.nix': '{ }',
    'lib/secret-registry.nix': registry(''),
    'lib/machine-env-matrix.nix': '{ m = [ "a" "b" ]; }\n',
    'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script; }; }) keys)\n',
    'machines/m/configuration.nix': '{ pkgs, ... }: { clan.core.vars.generators = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m; inherit pkgs; }; }\n',
  });
  roots.push(root);
  const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  index.allProblems();
  const before = new WeakRef((() => index.clan(root).machineModel())());
  index.updateFromText(`${root}/lib/secret-registry.nix`, registry('2'));
  index.allProblems();
  const now = index.clan(root).machineModel();
  assert.ok(now.delta && now.delta.from === before.deref()?.serial, 'the model was updated from the one before (not built anew)');
  await new Promise((r) => setImmediate(r));
  gc();
  assert.equal(before.deref(), undefined, 'the model before the edit was collected');
});

test('matrix edits, each kind (a key changed or unknown, a machine added or removed, half-typed text, a line above, a let-bound list, a duplicate): the model and the rules equal a fresh index of the same files, evaluated or not', async () => {
  const registry = `{ pkgs ? null }: {\n${[0, 1, 2, 3, 4, 5].map((k) => `  key${k} = { generator = "reg-${k}"; files.value = { }; script = "cat $prompts/value > $out/value"; prompts.value = { }; };`).join('\n')}\n}\n`;
  const base = `let\n  sharedCore = [ "key0" ];\nin\n{\n  inherit sharedCore;\n  m0 = sharedCore ++ [ "key1" "key2" ];\n  m1 = sharedCore ++ [\n    "key3"\n  ];\n  m2 = [ "key4" ];\n}\n`;
  const texts = [
    base.replace('"key1"', '"key5"'),
    base.replace('"key2"', '"kex2"'),
    base.replace('  m2 =', '  m3 = sharedCore ++ [ "key3" "key4" ];\n  m2 ='),
    base.replace('  m1 = sharedCore ++ [\n    "key3"\n  ];\n', ''),
    base.replace('"key2" ];', '"key2 ];'),
    `# the fleet\n${base}`,
    base.replace('[ "key0" ]', '[ "key0" "key3" ]'),
    base.replace('"key2" ]', '"key2" "key1" ]'),
    base,
  ];
  const files = (matrix: string): Record<string, string> => {
    const out: Record<string, string> = {
      'flake.nix': '{ }',
      'lib/secret-registry.nix': registry,
      'lib/machine-env-matrix.nix': matrix,
      'lib/vars-generators.nix': '{ keys, pkgs ? null }:\nlet registry = import ./secret-registry.nix { inherit pkgs; };\nin builtins.listToAttrs (map (k: { name = registry.${k}.generator; value = { inherit (registry.${k}) files script prompts; }; }) keys)\n',
    };
    for (const m of [0, 1, 2, 3]) {
      out[`machines/m${m}/configuration.nix`] =
        `{ pkgs, ... }:\nlet gens = import ../../lib/vars-generators.nix { keys = (import ../../lib/machine-env-matrix.nix).m${m}; inherit pkgs; };\nin {\n  imports = [ ./own.nix ];\n  clan.core.vars.generators = gens;\n}\n`;
      // a generator depending on registry generators the matrix may or may not give its machine
      out[`machines/m${m}/own.nix`] = `{ clan.core.vars.generators.own-${m} = { dependencies = [ "reg-${m}" "reg-${m + 2}" ]; files.k = { }; script = "cat $in/reg-${m}/value > $out/k"; }; }\n`;
    }
    return out;
  };
  const parser = await NixParser.load();
  for (const deferMs of [1e9, 0]) {
    const root = writeTree(files(base));
    roots.push(root);
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
    // 1e9: the pause in typing never comes, the literal facts are read; 0: evaluated on every edit
    index.evaluations.deferMs = deferMs;
    await index.scan();
    index.allProblems();
    let findings = 0;
    for (const [step, text] of texts.entries()) {
      index.updateFromText(`${root}/lib/machine-env-matrix.nix`, text);
      const incremental = serialise(index.allProblems());
      const machines = machinesOf(index, root);
      const freshRoot = writeTree(files(text));
      roots.push(freshRoot);
      const fresh = new WorkspaceAnalysis(freshRoot, DEFAULT_SETTINGS, parser);
      fresh.evaluations.deferMs = deferMs;
      await fresh.scan();
      const unroot = (lines: string[]) => lines.map((l) => l.split(freshRoot).join(root));
      assert.deepEqual(incremental, unroot(serialise(fresh.allProblems())), `deferMs ${deferMs}, step ${step}: problems`);
      assert.deepEqual(machines, unroot(machinesOf(fresh, freshRoot)), `deferMs ${deferMs}, step ${step}: machine model`);
      findings += incremental.filter((p) => / (unknown-registry-key|duplicate-matrix-key|unknown-dependency) /.test(p)).length;
    }
    assert.ok(findings > 0, 'the edits made findings on the matrix and on the dependencies to compare');
  }
});
