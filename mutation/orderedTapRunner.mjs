// A Stryker test runner, 'tap-ordered': the TAP runner, with the test files that reach a mutant run
// in a better order. Stryker stops at the first test file that fails (forceBail), so a killed mutant
// costs the files run before its killer. Each rule file is reached by every rules test (the engine
// runs every rule), and in the order Stryker gives (the order of the dry run) the killer came late.
// Here the files that killed a mutant of the same source file come first (the last killer first),
// then the rest, the quickest of the dry run first. The order changes no result: a mutant survives
// only when every file passes, and a killed one is killed by whichever file fails first.
// The runner's processes share what they learn through a file beside Stryker's sandbox.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { declareFactoryPlugin, PluginKind, commonTokens, tokens } from '@stryker-mutator/api/plugin';
import { DryRunStatus, MutantRunStatus } from '@stryker-mutator/api/test-runner';
import { createTapTestRunnerFactory } from '@stryker-mutator/tap-runner';

const createTapTestRunner = createTapTestRunnerFactory();

// shared by the runner processes of one Stryker run (their working folder is Stryker's sandbox)
const LEARNED = path.join(process.cwd(), '..', 'tap-ordered.json');

function readLearned() {
  try {
    return JSON.parse(fs.readFileSync(LEARNED, 'utf8'));
  } catch {
    return { killers: {}, times: {} };
  }
}

function writeLearned(learned) {
  try {
    const tmp = `${LEARNED}.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(learned));
    fs.renameSync(tmp, LEARNED);
  } catch {
    // learning is an optimisation: a failed write leaves the order as Stryker gave it
  }
}

/** `files` ordered: the last killers of `source`'s mutants first, then the quickest of the dry run. */
export function order(files, source, learned) {
  const killers = learned.killers[source] ?? [];
  const rank = (f) => {
    const k = killers.indexOf(f);
    return k >= 0 ? k : killers.length;
  };
  const time = (f) => learned.times[f] ?? Number.MAX_SAFE_INTEGER;
  return files.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || time(a.f) - time(b.f) || a.i - b.i).map((x) => x.f);
}

createOrderedTapRunner.inject = tokens(commonTokens.injector);
function createOrderedTapRunner(injector) {
  const inner = createTapTestRunner(injector);
  let learned = readLearned();
  return {
    capabilities: () => inner.capabilities(),
    init: () => inner.init(),
    dispose: () => inner.dispose?.(),
    async dryRun(options) {
      const result = await inner.dryRun(options);
      if (result.status === DryRunStatus.Complete) {
        learned = readLearned();
        for (const t of result.tests) learned.times[t.id] = t.timeSpentMs;
        writeLearned(learned);
      }
      return result;
    },
    async mutantRun(options) {
      const source = options.activeMutant.fileName;
      // a static mutant (one in code that runs when a module loads) has no filter: every test file runs
      const files = options.testFilter ?? inner.testFiles;
      if (files?.length) {
        learned = readLearned();
        options = { ...options, testFilter: order(files, source, learned) };
      }
      const result = await inner.mutantRun(options);
      if (result.status === MutantRunStatus.Killed && result.killedBy?.length) {
        learned = readLearned();
        const killer = result.killedBy[0];
        learned.killers[source] = [killer, ...(learned.killers[source] ?? []).filter((f) => f !== killer)];
        writeLearned(learned);
      }
      return result;
    },
  };
}

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'tap-ordered', createOrderedTapRunner)];
