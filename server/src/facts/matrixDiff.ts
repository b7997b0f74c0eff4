// Two versions of the machine matrix's keys compared by identity: the extraction gives each key an
// edit did not change as the same object (facts/matrix.ts), so the lists before and after a
// keystroke differ in a middle part only. What reads every key on a keystroke (the machine model,
// the rules over the matrix) looks again at that part alone.
import type { MatrixKeyRef } from './types';

/** The lists have their first `head` and last `tail` keys in common (the same objects). */
export function keyListDiff(was: readonly MatrixKeyRef[], is: readonly MatrixKeyRef[]): { head: number; tail: number } {
  let head = 0;
  while (head < was.length && head < is.length && was[head] === is[head]) head++;
  let tail = 0;
  while (tail < was.length - head && tail < is.length - head && was[was.length - 1 - tail] === is[is.length - 1 - tail]) tail++;
  return { head, tail };
}

/** Whether the lists differ in so many keys that going over them all again is as quick. */
export function mostChanged(was: readonly MatrixKeyRef[], is: readonly MatrixKeyRef[], { head, tail }: { head: number; tail: number }): boolean {
  return was.length + is.length - 2 * (head + tail) > Math.max(64, is.length / 8);
}

/** The names of the keys in the middle part of both lists. */
export function changedNames(was: readonly MatrixKeyRef[], is: readonly MatrixKeyRef[], { head, tail }: { head: number; tail: number }): Set<string> {
  const names = new Set<string>();
  for (const list of [was, is]) for (let i = head; i < list.length - tail; i++) names.add(list[i].key);
  return names;
}
