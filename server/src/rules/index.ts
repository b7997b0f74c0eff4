// Every diagnostic rule, in one list. Each rule lives in its own file.
import type { Severity } from '../base/types';
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
import { INTERNAL_ERROR } from './internalError';

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

/** The groups of codes, as docs/diagnostics.md's tables are headed under "Codes". */
export const CODE_GROUPS = [
  'Registry, matrix and dependencies',
  'Scripts',
  'Option values',
  'Access and shared generators',
  'Moving to vars',
  'Secrets on disk',
  'From `clan vars check`',
  'Clan Vars itself',
] as const;

export type CodeGroup = (typeof CODE_GROUPS)[number];

/**
 * A diagnostic code: what reports it (a rule of RULES; the editor's *Check Vars*, from `clan vars
 * check`'s output; the engine, for a file it could not analyse), its group in the docs' tables and
 * its usual severity (a finding may say otherwise: a warning where modules could not be read).
 */
export interface CodeInfo {
  code: string;
  from: 'rule' | 'clan vars check' | 'engine';
  group: CodeGroup;
  severity: Severity;
}

/** The code of the findings of `clan vars check` (ide/vars/checkProblems.ts CHECK_CODE). */
export const CLAN_VARS_CHECK = 'clan-vars-check';

const RULE_GROUPS: [CodeGroup, Severity, string[]][] = [
  ['Registry, matrix and dependencies', 'error', ['unknown-registry-key', 'import-apply-generators', 'unknown-dependency', 'dependency-cycle', 'duplicate-registry-generator', 'duplicate-env-var']],
  ['Registry, matrix and dependencies', 'warning', ['duplicate-matrix-key']],
  ['Registry, matrix and dependencies', 'error', ['unknown-secret-key']],
  ['Registry, matrix and dependencies', 'warning', ['registry-forces-pkgs']],
  ['Registry, matrix and dependencies', 'error', ['evaluation-error', 'undefined-variable']],
  ['Scripts', 'error', ['missing-output']],
  ['Scripts', 'warning', ['undeclared-output']],
  ['Scripts', 'error', ['unknown-prompt', 'unknown-input']],
  ['Scripts', 'warning', ['missing-runtime-input', 'sandbox-hostile']],
  ['Option values', 'error', ['invalid-needed-for', 'invalid-prompt-type', 'invalid-mode', 'invalid-validation', 'invalid-option-type', 'restart-units-on-darwin', 'removed-option']],
  ['Option values', 'warning', ['public-file-ownership', 'users-secret-owner']],
  ['Access and shared generators', 'error', ['secret-value-access', 'unknown-var-read', 'shared-depends-on-machine', 'shared-definition-mismatch']],
  ['Moving to vars', 'error', ['facts-leftover']],
  ['Moving to vars', 'hint', ['sops-nix-secret']],
  ['Secrets on disk', 'warning', ['secret-recipients-outdated', 'secret-not-shared-with-machine', 'broken-secret-link']],
];

/**
 * Every diagnostic code, in the order of the docs' tables: the one list the docs' tables, the
 * README's count, the SARIF rules and the codes `--ignore` and `clanVars.diagnostics.ignore` take
 * are held to (test/unit/codes.test.ts).
 */
export const CODES: readonly CodeInfo[] = [
  ...RULE_GROUPS.flatMap(([group, severity, codes]) => codes.map((code): CodeInfo => ({ code, from: 'rule', group, severity }))),
  { code: CLAN_VARS_CHECK, from: 'clan vars check', group: 'From `clan vars check`', severity: 'warning' },
  { code: INTERNAL_ERROR, from: 'engine', group: 'Clan Vars itself', severity: 'error' },
];
