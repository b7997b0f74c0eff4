// Equivalent survivors of matrix.ts after the fixes of facts-h3 (an envMatrix named with escapes, and
// `inherit (x)` read through lets, rec sets and `inherit name;`; see ../equivalent.mjs). None of the
// 18 survivors handed to facts-h3 is equivalent: these two are for the code those fixes wrote, as
// Stryker should report them (their lines and columns are the fixed source's).
import { eq } from './eq.mjs';

const M = 'server/src/facts/matrix.ts';

const ENV_MATRIX_FAST_PATH =
  'ENV_MATRIX matches every text that can write envMatrix as a name (bare, or quoted with any letter Nix reads as itself escaped; an interpolated name is no literal name to bindingAt): a text it does not match has no envMatrix binding, so walking its sets for one finds none and only the work differs';
const NEVER_NULL_NODE =
  "n is never null: an inherit (x) always has its x, a let its body, and the scope's values are never null (letScope and withSetBindings keep only bindings with a value)";

export default [
  // 55:21
  eq(M, 'ConditionalExpression', 'ENV_MATRIX.test(text)', 'true', ENV_MATRIX_FAST_PATH, 'extractMatrix'),
  // 354:6 and 354:41 (replaces the entry for resolveVar's `n?.type`, a function the fix removed)
  eq(M, 'OptionalChaining', 'n?.type', 'n.type', NEVER_NULL_NODE, 'inheritSource'),
];
