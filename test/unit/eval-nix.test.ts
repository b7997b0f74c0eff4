// The evaluator against Nix itself: every corpus expression is evaluated by both, and the JSON
// (for results) or the error text (for throw and abort) must be identical, or, for the listed
// cases only, ours must be unknown. Needs nix-instantiate (apt-get install nix-bin, as CI does);
// without it the comparison is skipped with a line saying so.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { evalText, newContext, strictJson, type Outcome } from '../../server/src/facts/eval/index';
import { NixParser } from '../../server/src/syntax/nixParser';
import { readsWithin } from '../../server/src/facts/eval/context';
import { Confinement } from '../../server/src/base/confinement';
import { ALL_CASES, UNKNOWN_CASES } from '../helpers/evalCorpus';
import { nixBatch, nixOne, nixVersion, pool } from '../helpers/nixInstantiate';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'eval');
const version = nixVersion();
const skip = version ? false : 'nix-instantiate is not installed (apt-get install nix-bin): the evaluator is not compared with Nix';
if (skip) process.stdout.write(`# SKIP ${skip}\n`);

let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});

function ours(expr: string): Outcome<string> {
  const ctx = newContext(parser, { reads: readsWithin(Confinement.within(FIXTURES)) });
  return strictJson(ctx, () => evalText(ctx, expr, path.join(FIXTURES, '«string»')));
}

const COMPARED = ALL_CASES.length + UNKNOWN_CASES.length;

test(`the evaluator agrees with nix-instantiate on ${COMPARED} expressions, or is deliberately unknown`, { skip, timeout: 120_000 }, async (t) => {
  const results = ALL_CASES.map((expr) => ({ expr, ours: ours(expr) }));
  const unknowns = results.filter((r) => 'unknown' in r.ours);
  assert.deepEqual(unknowns.map((r) => `${r.expr}: ${'unknown' in r.ours ? r.ours.unknown.reason : ''}`), [], 'every corpus expression must be known to our evaluator');

  const succeeding = results.filter((r) => 'ok' in r.ours);
  const failing = results.filter((r) => 'error' in r.ours);
  let batch = await nixBatch(succeeding.map((r) => r.expr), FIXTURES);
  const mismatches: string[] = [];
  if (!batch) {
    // Some expression fails in Nix: evaluate one by one to say which.
    batch = [];
    const single = await pool(succeeding, 8, (r) => nixOne(r.expr, FIXTURES));
    single.forEach((n, i) => {
      if ('json' in n) batch!.push(n.json);
      else {
        batch!.push('');
        mismatches.push(`${succeeding[i].expr}\n  nix:  error: ${n.error}\n  ours: ${(succeeding[i].ours as { ok: string }).ok}`);
      }
    });
  }
  succeeding.forEach((r, i) => {
    const mine = (r.ours as { ok: string }).ok;
    if (batch![i] !== '' && batch![i] !== mine) mismatches.push(`${r.expr}\n  nix:  ${batch![i]}\n  ours: ${mine}`);
  });

  const nixErrors = await pool(failing, 8, (r) => nixOne(r.expr, FIXTURES));
  let messagesCompared = 0;
  failing.forEach((r, i) => {
    const mine = (r.ours as { error: { kind: string; nixMessage: string } }).error;
    const n = nixErrors[i];
    if ('json' in n) mismatches.push(`${r.expr}\n  nix:  ${n.json}\n  ours: error: ${mine.nixMessage}`);
    else if (mine.kind === 'throw' || mine.kind === 'abort') {
      messagesCompared++;
      if (n.error !== mine.nixMessage) mismatches.push(`${r.expr}\n  nix:  error: ${n.error}\n  ours: error: ${mine.nixMessage}`);
    }
  });
  // The deliberately unknown cases: unknown in ours, and something Nix really evaluates (a value or an error).
  const leftUnknown = UNKNOWN_CASES.map((c) => ({ ...c, ours: ours(c.expr) }));
  for (const c of leftUnknown) if (!('unknown' in c.ours)) mismatches.push(`${c.expr}\n  listed as unknown (${c.why}) but ours gives ${JSON.stringify(c.ours).slice(0, 200)}: move it to the compared cases`);
  const nixOnUnknown = await pool(leftUnknown, 8, (c) => nixOne(c.expr, FIXTURES));
  nixOnUnknown.forEach((n, i) => {
    if ('error' in n && /^syntax error/.test(n.error)) mismatches.push(`${leftUnknown[i].expr}\n  Nix cannot parse it: ${n.error}`);
  });
  const differing = mismatches.length;
  t.diagnostic(
    `${version}: ${COMPARED} expressions compared, ${COMPARED - UNKNOWN_CASES.length - differing} equal (${succeeding.length} values, ${failing.length} errors, ` +
      `${messagesCompared} throw/abort messages), ${UNKNOWN_CASES.length} deliberately unknown, ${differing} differing`,
  );
  assert.deepEqual(mismatches, [], mismatches.join('\n\n'));
});
