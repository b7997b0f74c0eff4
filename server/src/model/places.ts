// Values keyed by a place in a file (line and column), kept in the order they were added: the
// matrix's keys are one entry per place where a key is written, however many machines reach it.
import type { Position } from './types';

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
