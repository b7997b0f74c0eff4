// Equivalent survivors of the rules folder (see ../equivalent.mjs), one file per group of rules.
import engine from './rules-engine.mjs';
import facts from './rules-facts.mjs';
import leftovers from './rules-leftovers.mjs';
import missingOutput from './rules-missing-output.mjs';
import options from './rules-options.mjs';
import secretKeyDarwin from './rules-secret-key-darwin.mjs';
import sharedDefinition from './rules-shared-definition.mjs';
import unknownInput from './rules-unknown-input.mjs';

export default [...engine, ...facts, ...leftovers, ...missingOutput, ...options, ...secretKeyDarwin, ...sharedDefinition, ...unknownInput];
