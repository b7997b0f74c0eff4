// The folders mutation testing covers (npm run mutation [folder...]): where one wrong branch is a
// false or missing finding, a wrong evaluation or a security hole. Each names the source files
// Stryker mutates and the unit tests that run against them (only these: a folder runs in minutes).
export const FOLDERS = {
  rules: {
    what: 'the rules: each finding and each silence',
    mutate: ['server/src/rules/**/*.ts'],
    tests: [
      'test/unit/rules*.test.ts', 'test/unit/command-tables.test.ts', 'test/unit/secrets-rules.test.ts', 'test/unit/secret-not-shared.test.ts', 'test/unit/import-apply-fix.test.ts', 'test/unit/model-machines.test.ts', 'test/unit/model-closed-modules.test.ts',
      'test/unit/model-chains.test.ts', 'test/unit/model-inventory-tags.test.ts', 'test/unit/diagnostics-examples.test.ts', 'test/unit/authoring-core.test.ts',
      // the list of rules and codes (index.ts) is held to the docs' tables, the SARIF rules and the editor's setting
      'test/unit/diagnostics-doc.test.ts', 'test/unit/codes.test.ts',
    ],
    // Tests run only when one of their files is mutated (a run with --only other files leaves them
    // out: migration-walk alone took half the time of a run of the rules that name no fact):
    // facts-leftover, evaluation-error and the migration's code action (legacyMigration) are checked
    // where the migration and the evaluation are; the writer's step (WorkspaceAnalysis.commit) with
    // the workspace's changes and evaluations.
    testsFor: [
      {
        files: ['server/src/rules/factsLeftover.ts', 'server/src/rules/evaluationError.ts', 'server/src/rules/legacyMigration.ts'],
        tests: ['test/unit/migration-actions.test.ts', 'test/unit/migration-walk.test.ts', 'test/unit/migration-classes.test.ts', 'test/unit/eval-workspace.test.ts'],
      },
      { files: ['server/src/rules/workspaceAnalysis.ts'], tests: ['test/unit/workspace.test.ts', 'test/unit/linked-nix-files.test.ts'] },
    ],
  },
  secrets: {
    what: 'secrets: sops and age decryption, identities, recipients',
    mutate: ['server/src/secrets/**/*.ts'],
    tests: ['test/unit/secrets-*.test.ts', 'test/unit/vars-status.test.ts'],
  },
  migration: {
    what: 'the migration script and its steps',
    mutate: ['server/src/ide/migrationScript.ts', 'server/src/ide/migrationSteps.ts'],
    tests: ['test/unit/migration-*.test.ts'],
  },
  builtins: {
    what: "the evaluator's built-ins, compared with nix-instantiate",
    mutate: ['server/src/facts/eval/builtins/**/*.ts'],
    tests: ['test/unit/eval-nix.test.ts', 'test/unit/eval-behaviour.test.ts'],
  },
  model: {
    what: 'the module graph and the machine model',
    mutate: ['server/src/model/moduleGraph.ts', 'server/src/model/moduleLookup.ts', 'server/src/model/machineModel.ts', 'server/src/model/serviceInstances.ts', 'server/src/model/registryMachines.ts', 'server/src/model/clanParts.ts', 'server/src/model/clanCoreToggles.ts', 'server/src/model/sharing.ts', 'server/src/model/computedInstances.ts', 'server/src/model/clanModel.ts', 'server/src/model/optionValues.ts'],
    tests: ['test/unit/model-*.test.ts', 'test/unit/vars-helper.test.ts', 'test/unit/rules-engine.test.ts', 'test/unit/rules-incremental.test.ts', 'test/unit/rules-open-machine.test.ts', 'test/unit/rules.test.ts', 'test/unit/rules-clan.test.ts', 'test/unit/rules-darwin.test.ts'],
  },
  scan: {
    what: 'the scan: files handed to workers and indexed in the order found, the facts a worker packs and the main thread pools, the verdicts on texts too slow to parse, a parse within its time',
    // the workers start from the sources in scan-folder-workers.test.ts (CLAN_VARS_TEST_SCAN_WORKERS_FROM_SOURCES);
    // factsCache.ts's file is keyed by the build (none under tsx: base/cacheFiles.ts buildId), so
    // its tests run the checker (test/cli/facts-cache), which a mutant of the sources does not reach
    mutate: ['server/src/model/scan/factPool.ts', 'server/src/model/scan/scanVerdicts.ts', 'server/src/model/scan/scanJob.ts', 'server/src/model/scan/scanParse.ts', 'server/src/model/scan/scanFolder.ts', 'server/src/model/scan/scanPool.ts'],
    tests: ['test/unit/fact-pool.test.ts', 'test/unit/scan-verdicts.test.ts', 'test/unit/scan-job.test.ts', 'test/unit/scan-folder-workers.test.ts', 'test/unit/scan-late.test.ts', 'test/unit/scan-pool-start.test.ts', 'test/unit/workspace.test.ts', 'test/unit/scan-budget.test.ts', 'test/unit/shared-trees.test.ts'],
  },
  facts: {
    what: "the facts every rule reads: a module's generators (names, files, prompts, dependencies, options, the conditions they are set under), the registry's entries and the matrix's machines and keys",
    mutate: ['server/src/facts/generators.ts', 'server/src/facts/generatorValues.ts', 'server/src/facts/generatorConditions.ts', 'server/src/facts/registry.ts', 'server/src/facts/matrix.ts'],
    tests: [
      'test/unit/extract-generators.test.ts', 'test/unit/extract-evaluated-generators.test.ts', 'test/unit/extract-registry-matrix.test.ts', 'test/unit/rules-generator-facts.test.ts',
      'test/unit/model-generator-index.test.ts', 'test/unit/rules-options.test.ts', 'test/unit/rules-matrix-runs.test.ts', 'test/unit/rules-unknown-registry-key.test.ts', 'test/unit/authoring-core.test.ts',
      'test/unit/model-setting-conditions.test.ts', 'test/unit/facts-*.test.ts',
    ],
  },
  discovery: {
    what: "the scan's discovery of .nix files: what it lists, the links it follows, and the paths a change under a real path reaches",
    mutate: ['server/src/base/discover.ts'],
    tests: ['test/unit/discover.test.ts', 'test/unit/linked-nix-files.test.ts'],
  },
  confinement: {
    what: 'confinement and escaping: reads and writes inside the workspace, names shown and passed on',
    mutate: [
      'server/src/base/confinement.ts', 'server/src/base/readWorkspaceFile.ts', 'server/src/base/safeWrite.ts', 'server/src/base/pathPrefix.ts', 'server/src/base/printable.ts',
      'server/src/model/clanNames.ts', 'server/src/ide/shellWords.ts', 'server/src/base/storePath.ts',
    ],
    tests: [
      'test/unit/confinement.test.ts', 'test/unit/read-workspace-file.test.ts', 'test/unit/read-workspace-limits.test.ts', 'test/unit/path-prefix.test.ts', 'test/unit/safe-write.test.ts',
      'test/unit/printable.test.ts', 'test/unit/hostile-names-client.test.ts', 'test/unit/clan-names.test.ts', 'test/unit/raw-reads.test.ts', 'test/unit/secrets-outside-links.test.ts',
      'test/unit/migration-script-hostile.test.ts', 'test/unit/store-path.test.ts', 'test/unit/secrets-vars-on-disk-listing.test.ts',
    ],
  },
};
