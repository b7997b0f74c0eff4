// The `.validation-hash` clan writes next to a generator's files: the sha256 (hex) of
// `builtins.toJSON validation`. Known only when the whole validation value is.
import { createHash } from 'node:crypto';
import type { Context } from './context';
import { run } from './index';
import { toJSON } from './toJson';
import type { Value } from './values';

/** The hash, null for `validation = null` (clan writes no hash), or undefined when not known statically. */
export function validationHash(ctx: Context, validation: Value): string | null | undefined {
  if (validation.t === 'null') return null;
  const r = run(() => toJSON(ctx, validation, validation.loc));
  if (!('ok' in r) || typeof r.ok !== 'string') return undefined;
  return createHash('sha256').update(r.ok, 'utf8').digest('hex');
}
