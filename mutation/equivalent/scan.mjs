// Equivalent survivors of the scan folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const P = 'server/src/model/scan/factPool.ts';
const V = 'server/src/model/scan/scanVerdicts.ts';
const S = 'server/src/model/scan/scanParse.ts';
const F = 'server/src/model/scan/scanFolder.ts';
const O = 'server/src/model/scan/scanPool.ts';
const PAUSE = 'when the scan lets other work in (every 20 ms) changes no file it indexes and no fact: it waits for every parse it needs either way (drain), and what runs in between is the server\'s requests';
const WHO_PARSES = 'which thread parses a batch (the scan\'s taking back a batch no worker began, or waiting for the worker) changes no answer: each entry is indexed in its turn with the facts its parse gave, wherever it ran';
const BATCH = 'how many files a batch to the workers holds changes no answer: each file\'s result comes back to its own entry, and the last batch is posted after the last file is read';
const LEAST_BUSY = 'which worker gets a batch changes no answer: each worker answers its batches in order and each answer goes to its batch';
const NEVER_STOPPED = 'the slices yield with a function that always goes on: parseInSteps never answers null to scanInSlices (the line says so)';
const UNDEFINED_IS_NO_POSITION = 'isPosition(undefined) is false (not an object): the checks before it decide nothing it does not';
const RANGE_KEY = 'reached only past 2^26 (67 million) distinct positions in one pool, which no clan has: memory runs out first (every position is a frozen object and a map entry)';
const NO_RESULT = 'no file reaches the index without a result: a worker answers one per job, a stopped worker fills one per job, a batch taken back is parsed file by file, and a parse here always gives one (only a pool answer shorter than its batch could leave a file without, and a worker answers its jobs one for one)';
const ROLE_KEY = "the role's digits are spelled the same way in every key this build writes and reads (a facts cache file belongs to one build, base/cacheFiles.ts): another spelling keys the same files apart the same way";
const PACKED_END = 'the numbers past the fourth are read into no position the result uses: a string of five or more numbers is refused either way (its count is neither 2 nor 4), and one of four stops at its end';

export default [
  eq(P, 'ArrayDeclaration', 'new Array<unknown>(x.length)', 'new Array()', 'an array sized before it is filled and one that grows as it is filled hold the same elements', 'pack'),
  eq(P, 'ConditionalExpression', 'start !== undefined && end !== undefined', 'true', UNDEFINED_IS_NO_POSITION, 'isRange'),
  eq(P, 'LogicalOperator', 'start !== undefined && end !== undefined', 'start !== undefined || end !== undefined', UNDEFINED_IS_NO_POSITION, 'isRange'),
  eq(P, 'ConditionalExpression', 'start !== undefined', 'true', UNDEFINED_IS_NO_POSITION, 'isRange'),
  eq(P, 'ConditionalExpression', 'end !== undefined', 'true', UNDEFINED_IS_NO_POSITION, 'isRange'),
  eq(P, 'ConditionalExpression', "typeof x !== 'object'", 'false', 'a string, number or boolean has no integer `line`: the next test answers false for it too (null is still refused by `x === null`)', 'isPosition'),
  eq(P, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'positions are found by the index push returns, never by counting from 0: an element before them is never read', 'FactPool.positionList'),
  eq(P, 'BooleanLiteral', 'false', 'true', 'share sets `packed` before every walk: the first value is never read', 'FactPool.packed'),
  eq(P, 'ConditionalExpression', 'Array.isArray(o)', 'false', "`for (const k in o)` walks an array's elements as the index loop does (facts' arrays have no other keys)", 'FactPool.walk'),
  eq(P, 'BlockStatement', '{ for (let i = 0; i < o.length; i++) o[i] = this.value(o[i]); return; }', '{}', "`for (const k in o)` walks an array's elements as the index loop does (facts' arrays have no other keys)", 'FactPool.walk'),
  eq(P, 'ConditionalExpression', 'had !== undefined', 'false', 'a string set again under its own value: equal strings cannot be told apart in JavaScript, and the count of strings is the same', 'FactPool.string'),
  eq(P, 'LogicalOperator', 'i <= s.length && count < 4', 'i <= s.length || count < 4', PACKED_END, 'FactPool.unpack'),
  eq(P, 'ConditionalExpression', 'i <= s.length', 'true', 'past the end the loop reads a comma with no digits before it, and stops', 'FactPool.unpack'),
  eq(P, 'ConditionalExpression', 'count < 4', 'true', PACKED_END, 'FactPool.unpack'),
  eq(P, 'EqualityOperator', 'count < 4', 'count <= 4', PACKED_END, 'FactPool.unpack'),
  eq(P, 'UnaryOperator', '-1', '+1', 'the end of a position (two numbers) is never read: only a range (four) has one', 'FactPool.unpack'),
  eq(P, 'ObjectLiteral', '{ start: this.positionList[start], end: this.positionList[end] }', '{}', RANGE_KEY, 'FactPool.unpack'),
  eq(P, 'ConditionalExpression', 's >= RANGE_KEY || e >= RANGE_KEY', 'false', RANGE_KEY, 'FactPool.rangeOf'),
  eq(P, 'LogicalOperator', 's >= RANGE_KEY || e >= RANGE_KEY', 's >= RANGE_KEY && e >= RANGE_KEY', RANGE_KEY, 'FactPool.rangeOf'),
  eq(P, 'ConditionalExpression', 's >= RANGE_KEY', 'false', RANGE_KEY, 'FactPool.rangeOf'),
  eq(P, 'ConditionalExpression', 'e >= RANGE_KEY', 'false', RANGE_KEY, 'FactPool.rangeOf'),
  eq(P, 'EqualityOperator', 's >= RANGE_KEY', 's > RANGE_KEY', RANGE_KEY, 'FactPool.rangeOf'),
  eq(P, 'EqualityOperator', 'e >= RANGE_KEY', 'e > RANGE_KEY', RANGE_KEY, 'FactPool.rangeOf'),
  eq(P, 'ArithmeticOperator', 's * RANGE_KEY + e', 's * RANGE_KEY - e', 'with both indexes below RANGE_KEY (checked just before) either sign gives every pair of positions a key of its own', 'FactPool.rangeOf'),
  eq(P, 'ArithmeticOperator', 's * RANGE_KEY', 's / RANGE_KEY', 'with both indexes below RANGE_KEY (checked just before), s / RANGE_KEY is a fraction below 1 and e a whole number: every pair still has a key of its own', 'FactPool.rangeOf'),
  eq(P, 'ConditionalExpression', 'character < 0', 'false', 'no caller passes a negative column: a packed one is read from digits, a plain one passed isPosition (character >= 0)', 'FactPool.positionAt'),
  eq(P, 'ConditionalExpression', 'line < 0', 'false', 'no caller passes a negative line: a packed one is read from digits, a plain one passed isPosition (line >= 0)', 'FactPool.positionAt'),
  eq(P, 'ArithmeticOperator', 'line * COLUMNS + character', 'line * COLUMNS - character', 'with the column below COLUMNS (checked just before) either sign gives every position a key of its own', 'FactPool.positionAt'),
  eq(S, 'ConditionalExpression', '!parsed', 'false', NEVER_STOPPED, 'scanInSlices'),
  eq(S, 'ObjectLiteral', "{ error: 'stopped' }", '{}', NEVER_STOPPED, 'scanInSlices'),
  eq(S, 'StringLiteral', "'stopped'", '""', NEVER_STOPPED, 'scanInSlices'),
  eq(S, 'ConditionalExpression', "'tooSlow' in result", 'true', 'rememberTooSlow remembers only a reason in the form of a verdict: the reason of facts or of an error (undefined) is refused there', 'ScanParsing.noteResult'),
  eq(F, 'BlockStatement', '{ if (performance.now() - paused < PAUSE_EVERY_MS) return; await new Promise((r) => setImmediate(r)); paused = performance.now(); }', '{}', PAUSE, 'pause'),
  eq(F, 'ConditionalExpression', 'performance.now() - paused < PAUSE_EVERY_MS', 'true', PAUSE, 'pause'),
  eq(F, 'ConditionalExpression', 'performance.now() - paused < PAUSE_EVERY_MS', 'false', PAUSE, 'pause'),
  eq(F, 'EqualityOperator', 'performance.now() - paused < PAUSE_EVERY_MS', 'performance.now() - paused <= PAUSE_EVERY_MS', PAUSE, 'pause'),
  eq(F, 'EqualityOperator', 'performance.now() - paused < PAUSE_EVERY_MS', 'performance.now() - paused >= PAUSE_EVERY_MS', PAUSE, 'pause'),
  eq(F, 'ArithmeticOperator', 'performance.now() - paused', 'performance.now() + paused', PAUSE, 'pause'),
  eq(F, 'LogicalOperator', '!pool || !batch.length', '!pool && !batch.length', 'a batch is filled only when there is a pool: with none it is empty, and with one an empty batch posted is answered with no results for no entries', 'flush'),
  eq(F, 'ConditionalExpression', 'until(entry) > performance.now()', 'true', WHO_PARSES, 'drain'),
  eq(F, 'ConditionalExpression', 'until(entry) > performance.now()', 'false', WHO_PARSES, 'drain'),
  eq(F, 'EqualityOperator', 'until(entry) > performance.now()', 'until(entry) >= performance.now()', WHO_PARSES, 'drain'),
  eq(F, 'EqualityOperator', 'until(entry) > performance.now()', 'until(entry) <= performance.now()', WHO_PARSES, 'drain'),
  eq(F, 'BlockStatement', '{ await took; continue; }', '{}', WHO_PARSES + ' (not awaited here, the entry\'s own parse is: the taken batch answers it)', 'drain'),
  eq(F, 'ConditionalExpression', 'took', 'false', WHO_PARSES + ' (not awaited here, the entry\'s own parse is: the taken batch answers it)', 'drain'),
  eq(F, 'ConditionalExpression', 'batch.length >= WORKER_BATCH', 'true', BATCH, 'scanFolder'),
  eq(F, 'EqualityOperator', 'batch.length >= WORKER_BATCH', 'batch.length > WORKER_BATCH', BATCH, 'scanFolder'),
  eq(F, 'EqualityOperator', 'batch.length >= WORKER_BATCH', 'batch.length < WORKER_BATCH', BATCH, 'scanFolder'),
  eq(O, 'ArrowFunction', '(n, p) => n + p.size', '() => undefined', LEAST_BUSY, 'ScanPool.scan'),
  eq(O, 'ArithmeticOperator', 'n + p.size', 'n - p.size', LEAST_BUSY, 'ScanPool.scan'),
  eq(O, 'ConditionalExpression', 'load < this.queues.get(best)!.reduce((n, p) => n + p.size, 0)', 'false', LEAST_BUSY, 'ScanPool.scan'),
  eq(O, 'EqualityOperator', 'load < this.queues.get(best)!.reduce((n, p) => n + p.size, 0)', 'load <= this.queues.get(best)!.reduce((n, p) => n + p.size, 0)', LEAST_BUSY, 'ScanPool.scan'),
  eq(O, 'EqualityOperator', 'load < this.queues.get(best)!.reduce((n, p) => n + p.size, 0)', 'load >= this.queues.get(best)!.reduce((n, p) => n + p.size, 0)', LEAST_BUSY, 'ScanPool.scan'),
  eq(O, 'ConditionalExpression', '!best || load < this.queues.get(best)!.reduce((n, p) => n + p.size, 0)', 'true', LEAST_BUSY, 'ScanPool.scan'),
  eq(V, 'ConditionalExpression', 'stored === undefined', 'false', "VERDICT.test(undefined) tests the string 'undefined', which is no verdict: nothing stored is refused either way", 'knownTooSlow'),
  // 2026-11-30: the survivors of scanFolder.ts and scanPool.ts that the cases of scan-late.test.ts, scan-pool-start.test.ts and scan-folder-workers.test.ts leave
  eq(F, 'EqualityOperator', 'left <= 0', 'left < 0', 'the two differ only when performance.now() is the deadline to the last fraction of a millisecond: a parse ending then is caught or not, which the next drain settles either way', 'endsBy'),
  eq(F, 'ConditionalExpression', "!('text' in now) || !('text' in entry.read)", 'false', 'a file is kept for later only when its text was read (underWay needs it), and a file unreadable now has no text equal to it: the comparison after skips it all the same (the test narrows types for TypeScript)', 'indexLater'),
  eq(F, 'LogicalOperator', "!('text' in now) || !('text' in entry.read)", "!('text' in now) && !('text' in entry.read)", 'a file is kept for later only when its text was read (underWay needs it), and a file unreadable now has no text equal to it: the comparison after skips it all the same (the test narrows types for TypeScript)', 'indexLater'),
  eq(F, 'BlockStatement', '{ return null; }', '{}', 'a syntax that could not be made leaves `made` undefined, and the next line returns it: undefined and null both send the file to the usual parse', 'syntaxAndTree'),
  eq(F, 'ConditionalExpression', '!result', 'false', NO_RESULT, 'indexEntry'),
  eq(F, 'BlockStatement', '{ target.update(file, read.text); return 1; }', '{}', NO_RESULT, 'indexEntry'),
  eq(F, 'UnaryOperator', '+roles.registry', '-roles.registry', ROLE_KEY, 'readEntry'),
  eq(F, 'UnaryOperator', '+roles.matrix', '-roles.matrix', ROLE_KEY, 'readEntry'),
  eq(F, 'UnaryOperator', '+!!roles.clanPart', '-!!roles.clanPart', ROLE_KEY, 'readEntry'),
  eq(O, 'ConditionalExpression', 'results', 'true', 'a worker answers null only for a batch the scan\'s thread took and answered already (take): resolving that promise again changes nothing', 'ScanPool.constructor'),
  eq(O, 'OptionalChaining', 'os.availableParallelism?.()', 'os.availableParallelism()', 'Node 20, which the project needs (package.json engines), always has os.availableParallelism', 'ScanPool.start'),
];
