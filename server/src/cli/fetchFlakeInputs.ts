// `clan-vars-lint --fetch-inputs`: `nix flake archive --json` in each folder before the check, as
// the plan allows (actions/fetchPlan.ts: nix and the programs it starts by name from outside the
// clan, git's hooks and fsmonitor overridden, a repository whose git configuration names programs
// refused). The flag is the user's request; inputs on this disk outside the clan are fetched only
// when named with --allow-input-path, else the run is refused with the list.
import * as path from 'node:path';
import { archivedInputs, archiveFailure, startArchive } from '../actions/fetchInputs';
import { flakeNixRefs } from '../actions/flakeNixRefs';
import { outsideInputsText, planArchive } from '../actions/fetchPlan';

/** Fetches one folder's inputs, nix's stderr passed on through `say`; false (said why) when it may not run or failed. */
export async function fetchInputsOf(dir: string, named: readonly string[], say: (line: string) => void): Promise<boolean> {
  const plan = await planArchive(path.resolve(dir), process.env, { named, flakeNixRefs });
  if ('refuse' in plan) {
    say(`${dir}: cannot fetch the flake inputs: ${plan.refuse}`);
    return false;
  }
  const { argv, cwd, env, unnamed } = plan.run;
  if (unnamed.length) {
    say(
      `${dir}: cannot fetch the flake inputs: the flake (flake.lock or flake.nix) names inputs on this disk outside the clan, which nix would copy into the Nix store, where every user of this machine can read them: ${outsideInputsText(unnamed)}. ` +
        'Name each one to fetch with --allow-input-path PATH; nothing was run.',
    );
    return false;
  }
  say(`${dir}: fetching the flake inputs: ${argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`);
  const r = await startArchive(argv, cwd, (line) => say(`nix: ${line}`), env).done;
  if (r.exitCode !== 0) {
    say(`${dir}: cannot fetch the flake inputs: ${archiveFailure({ ...r, stderrTail: [] })} (nix said so above)`);
    return false;
  }
  const inputs = archivedInputs(r.stdout);
  say(`${dir}: ${inputs ? `${inputs.length} flake input${inputs.length === 1 ? '' : 's'} (direct and transitive) in the Nix store` : 'nix flake archive succeeded (its output was not the JSON expected; the inputs are read from flake.lock)'}`);
  return true;
}
