// Every diagnostic rule, in one list. Each rule lives in its own file.
import { brokenSecretLink } from './brokenSecretLink';
import { dependencyCycle } from './dependencyCycle';
import { evaluationError } from './evaluationError';
import { undefinedVariable } from './undefinedVariable';
import { importApplyGenerators } from './importApplyGenerators';
import { secretNotSharedWithMachine } from './secretNotSharedWithMachine';
import { secretRecipientsOutdated } from './secretRecipientsOutdated';
import { invalidNeededFor } from './invalidNeededFor';
import { invalidPromptType } from './invalidPromptType';
import { invalidMode } from './invalidMode';
import { invalidValidation } from './invalidValidation';
import { invalidOptionType } from './invalidOptionType';
import { restartUnitsOnDarwin } from './restartUnitsOnDarwin';
import { removedOption } from './removedOption';
import { publicFileOwnership } from './publicFileOwnership';
import { usersSecretOwner } from './usersSecretOwner';
import { secretValueAccess } from './secretValueAccess';
import { sharedDependsOnMachine } from './sharedDependsOnMachine';
import { sharedDefinitionMismatch } from './sharedDefinitionMismatch';
import { duplicateMatrixKey } from './duplicateMatrixKey';
import { duplicateRegistryGenerator } from './duplicateRegistryGenerator';
import { duplicateEnvVar } from './duplicateEnvVar';
import { unknownSecretKey } from './unknownSecretKey';
import { registryForcesPkgs } from './registryForcesPkgs';
import type { Rule } from './types';
import { unknownDependency } from './unknownDependency';
import { unknownRegistryKey } from './unknownRegistryKey';
import { missingOutput } from './missingOutput';
import { undeclaredOutput } from './undeclaredOutput';
import { unknownPrompt } from './unknownPrompt';
import { unknownInput } from './unknownInput';
import { unknownVarRead } from './unknownVarRead';
import { missingRuntimeInput } from './missingRuntimeInput';
import { sandboxHostile } from './sandboxHostile';
import { factsLeftover } from './factsLeftover';
import { sopsNixSecret } from './sopsNixSecret';

export const RULES: Rule[] = [
  unknownRegistryKey,
  evaluationError,
  undefinedVariable,
  importApplyGenerators,
  unknownDependency,
  dependencyCycle,
  secretRecipientsOutdated,
  secretNotSharedWithMachine,
  brokenSecretLink,
  missingOutput,
  undeclaredOutput,
  unknownPrompt,
  unknownInput,
  unknownVarRead,
  missingRuntimeInput,
  sandboxHostile,
  invalidNeededFor,
  invalidPromptType,
  invalidMode,
  invalidValidation,
  invalidOptionType,
  restartUnitsOnDarwin,
  removedOption,
  publicFileOwnership,
  usersSecretOwner,
  secretValueAccess,
  sharedDependsOnMachine,
  sharedDefinitionMismatch,
  duplicateMatrixKey,
  duplicateRegistryGenerator,
  duplicateEnvVar,
  unknownSecretKey,
  registryForcesPkgs,
  factsLeftover,
  sopsNixSecret,
];
