// Equivalent survivors of rules/secretRecipientsOutdated.ts and rules/secretDeclarations.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const DECLARATIONS = 'server/src/rules/secretDeclarations.ts';

export default [
  eq(DECLARATIONS, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the default of deployedTo is never read: every caller without it (secretNotSharedWithMachine) passes a per-machine var, whose own machine is the command's machine (ref.machine ? [ref.machine] : deployedTo)", 'fixCommand'),
];
