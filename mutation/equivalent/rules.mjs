// Equivalent survivors of the rules folder (see ../equivalent.mjs), one file per group of rules.
import facts from './rules-facts.mjs';
import leftovers from './rules-leftovers.mjs';
import options from './rules-options.mjs';

export default [...facts, ...leftovers, ...options];
