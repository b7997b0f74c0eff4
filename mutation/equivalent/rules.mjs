// Equivalent survivors of the rules folder (see ../equivalent.mjs), one file per group of rules.
import chunkb from './rules-chunkb.mjs';
import dependencyReference from './rules-dependency-reference.mjs';
import engine from './rules-engine.mjs';
import facts from './rules-facts.mjs';
import invalidValidation from './rules-invalid-validation.mjs';
import leftovers from './rules-leftovers.mjs';
import legacyMigration from './rules-legacy-migration.mjs';
import matrixRuns from './rules-matrix-runs.mjs';
import missingOutput from './rules-missing-output.mjs';
import modeTypePrompt from './rules-mode-type-prompt.mjs';
import openMachineTypo from './rules-open-machine-typo.mjs';
import options from './rules-options.mjs';
import publicOwnership from './rules-public-ownership.mjs';
import registryKey from './rules-registry-key.mjs';
import registryPkgs from './rules-registry-pkgs.mjs';
import registryStub from './rules-registry-stub.mjs';
import removedOption from './rules-removed-option.mjs';
import runtimeInput from './rules-runtime-input.mjs';
import sandboxHostile from './rules-sandbox-hostile.mjs';
import scriptPathA from './rules-script-path-a.mjs';
import scriptPathB from './rules-script-path-b.mjs';
import secretFiles from './rules-secret-files.mjs';
import secretKeyDarwin from './rules-secret-key-darwin.mjs';
import secretRecipients from './rules-secret-recipients.mjs';
import sharedDefinition from './rules-shared-definition.mjs';
import undeclaredOutput from './rules-undeclared-output.mjs';
import unknownInput from './rules-unknown-input.mjs';
import usersShared from './rules-users-shared.mjs';

export default [
  ...chunkb, ...dependencyReference, ...engine, ...facts, ...invalidValidation, ...leftovers, ...legacyMigration, ...matrixRuns, ...missingOutput, ...modeTypePrompt, ...openMachineTypo, ...options, ...publicOwnership, ...registryKey, ...registryPkgs, ...registryStub, ...removedOption, ...runtimeInput, ...sandboxHostile, ...scriptPathA, ...scriptPathB, ...secretFiles, ...secretKeyDarwin, ...secretRecipients, ...sharedDefinition, ...undeclaredOutput, ...unknownInput, ...usersShared,
];
