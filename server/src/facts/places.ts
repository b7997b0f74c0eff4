// Values keyed by a place in a file (line and column), kept in the order they were added: the
// matrix's keys are one entry per place where a key is written, however many machines reach it.
import type { Position, Range } from '../base/types';
import { samePosition } from '../syntax/syntax';
import { samePath } from '../base/pathPrefix';
import type { MatrixKeyRef } from './types';

/** Values by their place in a file, in the order they were added. */
export class Places<T> {
  private readonly byLine = new Map<number, Map<number, T>>();
  private readonly order: T[] = [];

  get(p: Position): T | undefined {
    return this.byLine.get(p.line)?.get(p.character);
  }

  /** Adds the value of a place not set before. */
  set(p: Position, value: T): void {
    const line = this.byLine.get(p.line) ?? this.byLine.set(p.line, new Map()).get(p.line)!;
    line.set(p.character, value);
    this.order.push(value);
  }

  values(): T[] {
    return this.order;
  }
}

/**
 * Records that `machine` reaches the matrix key `key` written at `range`. A machine's keys are added
 * together, so a repeat of the machine is the last one the key has. Returns the key's entry when
 * this made it (the first machine to reach the place).
 */
export function addKeyRef(keys: Places<MatrixKeyRef>, key: string, range: Range, machine: string): MatrixKeyRef | undefined {
  const ref = keys.get(range.start);
  if (!ref) {
    const made = { key, range, machines: [machine] };
    keys.set(range.start, made);
    return made;
  }
  if (ref.machines[ref.machines.length - 1] !== machine) ref.machines.push(machine);
  return undefined;
}

/** Whether two matrix keys written at the same place are the same key with the same machines. */
export function sameKeyRef(a: MatrixKeyRef, b: MatrixKeyRef): boolean {
  return a.key === b.key && samePosition(a.range.end, b.range.end) && samePath(a.machines, b.machines);
}
