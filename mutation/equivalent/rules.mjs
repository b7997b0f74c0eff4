// Equivalent survivors of the rules folder (see ../equivalent.mjs), one file per group of rules.
import facts from './rules-facts.mjs';
import options from './rules-options.mjs';

export default [...facts, ...options];
