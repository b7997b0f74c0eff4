// One file's parse within the scan's time (model/scan/scanJob.ts scanInOneGo, scanParse.ts):
// the time a first try already spent counts, a clock cap stops a parse without a verdict, and what a
// parse takes beyond its allowance is charged to the scan. Written against the survivors of
// `npm run mutation scan`.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { NixParser, ParseTimeout } from '../../server/src/syntax/nixParser';
import { parseAllowanceMs, ScanBudget } from '../../server/src/model/scan/scanBudget';
import { scanInOneGo, type ScanJob } from '../../server/src/model/scan/scanJob';
import { parseInSteps, ScanParsing } from '../../server/src/model/scan/scanParse';

let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});

/** Ordinary Nix that takes tree-sitter some tens of milliseconds (3,000 bindings, 130 kB). */
const TEXT = '{\n' + Array.from({ length: 3000 }, (_, i) => `  a${i} = { b = "x${i}"; c = [ 1 2 3 ]; };`).join('\n') + '\n}\n';
const job = (extra: Partial<ScanJob> = {}): ScanJob => ({ file: '/clan/big.nix', text: TEXT, roles: { registry: false, matrix: false }, ...extra });

test('a parse within its time gives the facts and charges nothing', () => {
  const budget = ScanBudget.create(10_000);
  const result = scanInOneGo(parser, job(), budget);
  assert.ok('facts' in result, JSON.stringify(result).slice(0, 200));
  assert.equal(budget.chargedMs, 0);
});

test('the time a first try spent counts: what is left of the grant ends the parse, with the grant\'s reason, and is charged', () => {
  const budget = ScanBudget.create(10_000);
  const grant = budget.grant(TEXT.length);
  const result = scanInOneGo(parser, job({ usedMs: grant.ms - 2 }), budget);
  assert.deepEqual(result, { tooSlow: grant.reason });
  // the grant (its own budget, 2.3 s for 130 kB) beyond the allowance (380 ms) was charged
  const over = grant.ms - parseAllowanceMs(TEXT.length);
  assert.ok(budget.chargedMs >= over - 5 && budget.chargedMs < over + 500, `${budget.chargedMs} against ${over}`);
});

test('a fast parse after a long first try charges the first try\'s time beyond the allowance', () => {
  const budget = ScanBudget.create(10_000);
  const result = scanInOneGo(parser, job({ usedMs: 1000 }), budget);
  assert.ok('facts' in result);
  const over = 1000 - parseAllowanceMs(TEXT.length);
  assert.ok(budget.chargedMs >= over && budget.chargedMs < over + 500, `${budget.chargedMs} against ${over}`);
});

test('a clock cap shorter than the grant stops the parse without a verdict, with the time spent, and charges nothing', () => {
  const budget = ScanBudget.create(10_000);
  const result = scanInOneGo(parser, job({ usedMs: 5 }), budget, 1);
  assert.ok('stopped' in result, JSON.stringify(result).slice(0, 200));
  assert.ok(result.stopped >= 5 && result.stopped < 1000, String(result.stopped));
  assert.equal(budget.chargedMs, 0);
});

test('a parse that fails otherwise is an error for the scan to do again, not a verdict', () => {
  const budget = ScanBudget.create(10_000);
  // not a text tree-sitter takes (its own error, not a timeout)
  const bad = scanInOneGo(parser, job({ text: { length: 10 } as unknown as string }), budget);
  assert.ok('error' in bad && bad.error.length > 0, JSON.stringify(bad));
  assert.equal(budget.chargedMs, 0);
});

test('after a first try the rest of a parse gets what is left of the grant, not the grant again (ScanParsing, no worker: in slices)', async () => {
  const budget = ScanBudget.create(10_000);
  const parsing = new ScanParsing(parser, budget, null, () => {});
  try {
    const grant = budget.grant(TEXT.length);
    const rest = parsing.parse(job({ usedMs: grant.ms - 6 }), 1);
    assert.ok(rest instanceof Promise, 'the first try stopped at its cap');
    assert.deepEqual(await rest, { tooSlow: grant.reason });
    const whole = parsing.parse(job(), 1);
    assert.ok('facts' in (await whole));
  } finally {
    await parsing.close();
  }
});

test('a parse in steps: the value, its time charged, a step\'s other error thrown, the steps closed when stopped', async () => {
  const budget = ScanBudget.create(10_000);
  let closed = 0;
  function* steps(n: number, fail?: Error): Generator<void, string> {
    try {
      for (let i = 0; i < n; i++) yield;
      if (fail) throw fail;
      return 'done';
    } finally {
      closed++;
    }
  }
  const go = async () => true;
  assert.deepEqual(await parseInSteps(steps(3), budget, 10, 'slow', 0, go), { value: 'done' });
  assert.equal(budget.chargedMs, 0, 'quick steps cost nothing beyond the allowance');
  assert.deepEqual(await parseInSteps(steps(1, new ParseTimeout(5)), budget, 10, 'slow', 2000, go), { tooSlow: 'slow' });
  assert.ok(budget.chargedMs >= 2000 - parseAllowanceMs(10) && budget.chargedMs < 2300, String(budget.chargedMs));
  await assert.rejects(parseInSteps(steps(1, new Error('not a timeout')), budget, 10, 'slow', 0, go), /not a timeout/);
  closed = 0;
  assert.equal(await parseInSteps(steps(5), budget, 10, 'slow', 0, async () => false), null);
  assert.equal(closed, 1, 'stopped between steps: the steps are closed');
});
