// Equivalent survivors of the rules folder (see ../equivalent.mjs), one file per group of rules.
import options from './rules-options.mjs';

export default [...options];
