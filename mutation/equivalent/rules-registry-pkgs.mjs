// Equivalent survivors of rules/registryForcesPkgs.ts and rules/undefinedVariable.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const PKGS = 'server/src/rules/registryForcesPkgs.ts';

export default [
  eq(PKGS, 'ArrayDeclaration', '[]', '["Stryker was here"]', "the fallback for a file without import calls: the string put there has no target, so call.target (undefined) !== registry.file (a path) and the loop continues past it, as over no calls", '(class).check'),
];
