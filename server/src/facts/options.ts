// A generator's options as the extraction read them: the one at a path, those under a prefix.
import { samePath, startsWithPath } from '../base/pathPrefix';
import type { Generator, OptionValue } from './types';

export function optionAt(g: Generator, ...path: string[]): OptionValue | undefined {
  for (const o of g.options) if (samePath(o.path, path)) return o;
  return undefined;
}

export function optionsUnder(g: Generator, ...prefix: string[]): OptionValue[] {
  const found: OptionValue[] = [];
  for (const o of g.options) if (startsWithPath(o.path, prefix)) found.push(o);
  return found;
}
