// Equivalent survivors of the discovery folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const D = 'server/src/base/discover.ts';
const PAUSE = 'when the walk lets other work in (every 20 ms) changes no file it finds and no note it makes: the cancellation it lets in is checked after each folder either way';

export default [
  eq(D, 'ArithmeticOperator', 'performance.now() + PAUSE_EVERY_MS', 'performance.now() - PAUSE_EVERY_MS', PAUSE, 'discoverNixFiles'),
  eq(D, 'ConditionalExpression', 'performance.now() > pauseAt', 'true', PAUSE, 'discoverNixFiles'),
  eq(D, 'ConditionalExpression', 'performance.now() > pauseAt', 'false', PAUSE, 'discoverNixFiles'),
  eq(D, 'EqualityOperator', 'performance.now() > pauseAt', 'performance.now() >= pauseAt', PAUSE, 'discoverNixFiles'),
  eq(D, 'EqualityOperator', 'performance.now() > pauseAt', 'performance.now() <= pauseAt', PAUSE, 'discoverNixFiles'),
  eq(D, 'BlockStatement', '{ await new Promise((resolve) => setImmediate(resolve)); pauseAt = performance.now() + PAUSE_EVERY_MS; }', '{}', PAUSE, 'discoverNixFiles'),
  eq(D, 'ArrowFunction', '(resolve) => setImmediate(resolve)', '() => undefined', PAUSE, 'discoverNixFiles'),
  eq(D, 'EqualityOperator', 'performance.now() > deadline', 'performance.now() >= deadline', 'a deadline met to the fraction of a millisecond: no walk can tell the two', 'discoverNixFiles'),
  eq(D, 'BlockStatement', '{ continue; // dangling link }', '{}', "a link's own entry is neither a file nor a folder (its Dirent): without the continue, nothing is listed for it either", 'discoverNixFiles'),
  eq(D, 'StringLiteral', "'real'", '""', 'noteDangling is called only for a link the confinement placed nowhere (inside gave null), whose answer has no real path; for a real path leadsTo is undefined, which is not null: it returns there too', 'noteDangling'),
  eq(D, 'BlockStatement', '{ return false; }', '{}', 'undefined for false: every caller reads the answer as a condition', 'changesWalk'),
  eq(D, 'ConditionalExpression', 'had', 'false', 'a cache: the lookup made again from the same notes is the same', 'lookupOf'),
  eq(D, 'StringLiteral', "'/'", '""', "the paths compared are absolute: their first '/' is at 0, where the empty string is found too", 'depthOf'),
];
