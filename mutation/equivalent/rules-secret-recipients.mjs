// Equivalent survivors of rules/secretRecipientsOutdated.ts and rules/secretDeclarations.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const OUTDATED = 'server/src/rules/secretRecipientsOutdated.ts';
const DECLARATIONS = 'server/src/rules/secretDeclarations.ts';

export default [
  eq(OUTDATED, 'ConditionalExpression', "v.kind !== 'sops'", 'false', 'only sops vars have recipients: public and age vars are made with recipients: null (model/varsOnDisk.ts), so !v.recipients skips them anyway', '(class).check'),
  eq(DECLARATIONS, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the default of deployedTo is never read: every caller without it (secretNotSharedWithMachine) passes a per-machine var, whose own machine is the command's machine (ref.machine ? [ref.machine] : deployedTo)", 'fixCommand'),
];
