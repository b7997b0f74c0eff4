// The scan's time for slow parses (workspace/scanBudget.ts) and the texts it remembers as too slow
// (workspace/scanVerdicts.ts), in process: from the sources no worker can be started, so the scan
// parses what it cannot parse in a moment in slices that let other work in.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { defaultParseBudgetMs, NixParser } from '../../server/src/syntax/nixParser';
import { parseAllowanceMs, ScanBudget, slowParseTotalMs } from '../../server/src/model/scan/scanBudget';
import { forgetVerdicts } from '../../server/src/model/scan/scanVerdicts';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { removeTree, writeTree } from '../helpers/tempClan';
import { turnCounter } from '../helpers/turnCounter';
import { slowText } from '../helpers/slowText';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** Lines of 19,000 characters that take tree-sitter seconds each. */

test('scan budget: a parse gets its allowance and what is left of the total, never more than its own budget; the total is shared', () => {
  const budget = ScanBudget.create(1000);
  const other = new ScanBudget(budget.shared); // a worker's view
  assert.deepEqual(budget.grant(100), { ms: defaultParseBudgetMs(100), reason: 'parsing took longer than 1001 ms' }); // a small file: its own budget
  assert.deepEqual(budget.grant(50_000), { ms: 1300, reason: "parsing took longer than 1300 ms (its allowance and the scan's 1 s for slow parses)" });
  other.charge(50_000, parseAllowanceMs(50_000) - 1); // within the allowance: free
  assert.equal(budget.chargedMs, 0);
  other.charge(50_000, parseAllowanceMs(50_000) + 600);
  assert.equal(budget.chargedMs, 600);
  assert.deepEqual(budget.grant(50_000), { ms: 700, reason: "parsing took longer than 700 ms (its allowance and the 0.4 s left of the scan's 1 s for slow parses)" });
  budget.charge(10, parseAllowanceMs(10) + 500);
  assert.deepEqual(other.grant(50_000), { ms: 300, reason: "parsing took longer than 300 ms (its allowance only: the scan's 1 s for slow parses was spent)" });
  assert.equal(other.grant(1_000_000).ms, parseAllowanceMs(1_000_000));
  assert.equal(slowParseTotalMs({}), 10_000);
  assert.equal(slowParseTotalMs({ CLAN_VARS_SLOW_PARSE_MS: '2500' }), 2500);
  assert.equal(slowParseTotalMs({ CLAN_VARS_SLOW_PARSE_MS: 'soon' }), 10_000);
});

test('scan budget: slow files are parsed in slices that let other work in, skipped with the reason, and remembered for the next scan and a change on disk', async () => {
  const root = writeTree({ 'flake.nix': '{ }\n', 'a.nix': '{ x = 1; }\n', 'slow0.nix': slowText(0), 'slow1.nix': slowText(1) });
  roots.push(root);
  forgetVerdicts();
  const saved = process.env.CLAN_VARS_SLOW_PARSE_MS;
  process.env.CLAN_VARS_SLOW_PARSE_MS = '300';
  const parser = await NixParser.load();
  try {
    // turns of the event loop, counted while the scan runs, noted at each log line
    const counter = turnCounter();
    const logs: { line: string; turns: number }[] = [];
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser, (line) => logs.push({ line, turns: counter.turns }));
    assert.equal(await index.scan(), 4);
    counter.stop();
    const skipped = (rel: string) => logs.find((l) => l.line.startsWith(`skipping ${path.join(root, rel)}: `));
    const [first, second] = [skipped('slow0.nix'), skipped('slow1.nix')];
    assert.match(first?.line ?? '', /: could not be parsed: parsing took longer than \d+ ms/, logs.map((l) => l.line).join('\n'));
    assert.match(second?.line ?? '', /: could not be parsed: parsing took longer than 3\d\d ms \(its allowance only: the scan's 0\.3 s for slow parses was spent\)$/);
    // the event loop turned while the slow files were parsed: they did not hold the thread (how
    // often depends on the machine's load; the old scan, in one go, let none in). Not "between the
    // two verdicts": under load both results of the slow lane's worker can land in one turn (CI run
    // of 2026-11-24: 420 -> 420 turns)
    assert.ok(first!.turns > 1 && second!.turns >= first!.turns, `${first!.turns} -> ${second!.turns} turns`);
    assert.equal(index.facts.get(path.join(root, 'a.nix'))?.skipped, undefined);

    // a later scan (another folder's index, the same process) and a change on disk parse neither again
    const again: string[] = [];
    const later = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser, (line) => again.push(line));
    await later.scan();
    const reason = (line: string) => line.slice(line.indexOf(': ') + 2);
    assert.deepEqual(
      again.filter((l) => l.startsWith('skipping')),
      [first!.line, second!.line].map((l) => `skipping ${l.split(': ')[0].slice('skipping '.length)}: ${reason(l)}; remembered for this text, not parsed again`),
    );
    const fresh = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser);
    await fresh.updateFromDisk(path.join(root, 'slow0.nix'));
    assert.equal(fresh.facts.get(path.join(root, 'slow0.nix'))?.skipped, `could not be parsed: ${reason(first!.line).slice('could not be parsed: '.length)}; remembered for this text, not parsed again`);
  } finally {
    if (saved === undefined) delete process.env.CLAN_VARS_SLOW_PARSE_MS;
    else process.env.CLAN_VARS_SLOW_PARSE_MS = saved;
    forgetVerdicts();
  }
});

test("scan budget: a registry too slow to parse is skipped with the reason after one parse (the evaluation's syntax made by the scan gets the scan's time)", async () => {
  const registry = slowText(7);
  const root = writeTree({ 'flake.nix': '{ }\n', 'lib/secret-registry.nix': registry, 'a.nix': '{ x = 1; }\n' });
  roots.push(root);
  forgetVerdicts();
  const saved = process.env.CLAN_VARS_SLOW_PARSE_MS;
  process.env.CLAN_VARS_SLOW_PARSE_MS = '300';
  const parser = await NixParser.load();
  let parses = 0;
  const budgets: (number | undefined)[] = [];
  const { parse, parseSteps } = parser;
  parser.parse = function (this: NixParser, text, ...rest) {
    if (text === registry) parses++;
    return parse.call(this, text, ...rest);
  };
  parser.parseSteps = function (this: NixParser, text, ...rest) {
    if (text === registry) {
      parses++;
      budgets.push(rest[1]);
    }
    return parseSteps.call(this, text, ...rest);
  };
  try {
    const logs: string[] = [];
    const index = new WorkspaceAnalysis(root, DEFAULT_SETTINGS, parser, (line) => logs.push(line));
    assert.equal(await index.scan(), 3);
    const file = path.join(root, 'lib/secret-registry.nix');
    // the scan's grant: its allowance and the scan's time for slow parses, not the parser's own budget
    assert.match(index.facts.get(file)?.skipped ?? '', /^could not be parsed: parsing took longer than \d+ ms \(its allowance and the scan's 0\.3 s for slow parses\)$/);
    assert.equal(parses, 1, 'parsed once, not again in the normal way once it ran out of time');
    assert.equal(`${Math.round(budgets[0] ?? NaN)}`, index.facts.get(file)?.skipped?.match(/longer than (\d+) ms/)?.[1], 'the parse was given that time');
    assert.equal(index.facts.get(path.join(root, 'a.nix'))?.skipped, undefined);
  } finally {
    parser.parse = parse;
    parser.parseSteps = parseSteps;
    if (saved === undefined) delete process.env.CLAN_VARS_SLOW_PARSE_MS;
    else process.env.CLAN_VARS_SLOW_PARSE_MS = saved;
    forgetVerdicts();
  }
});
