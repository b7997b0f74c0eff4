// The clan command lines the extension runs, as argv arrays (never shell strings), and the checks
// on what goes into them. Plain node: no vscode import, so tests run it directly.
import { nameProblem, varIdProblem } from '../../../server/src/model/clanNames';

// The name check is shared with the migration script (server/src/model/clanNames.ts); the PATH
// lookup, which never searches a relative entry (the clan's folder, for a command run there), with
// the fetch plan (server/src/base/searchPath.ts).
export { nameProblem, varIdProblem };
export { findExecutable } from '../../../server/src/base/searchPath';

export type VarsAction =
  | { kind: 'generate'; machines: string[] }
  | { kind: 'regenerate'; machine: string; generator: string }
  | { kind: 'check'; machines: string[] }
  | { kind: 'fix'; machines: string[] }
  | { kind: 'get'; machine: string; varId: string }
  | { kind: 'set'; machine: string; varId: string };

export const DEFAULT_CLAN_COMMAND = ['clan'];

/** The `clanVars.clanCommand` setting as an argv prefix; an error text when it is not a list of strings. */
export function clanCommandFrom(setting: unknown): { argv: string[] } | { error: string } {
  if (setting === undefined || setting === null) return { argv: [...DEFAULT_CLAN_COMMAND] };
  if (!Array.isArray(setting) || setting.length === 0 || setting.some((s) => typeof s !== 'string' || s === '')) {
    return { error: 'clanVars.clanCommand must be a non-empty list of strings, e.g. ["clan"]' };
  }
  return { argv: [...setting] };
}

/** The arguments after the clan command for an action. */
export function clanArgs(action: VarsAction): string[] {
  switch (action.kind) {
    case 'generate':
      return ['vars', 'generate', ...action.machines];
    case 'regenerate':
      return ['vars', 'generate', action.machine, '--generator', action.generator, '--regenerate'];
    case 'check':
      return ['vars', 'check', ...action.machines];
    case 'fix':
      return ['vars', 'fix', ...action.machines];
    case 'get':
      return ['vars', 'get', action.machine, action.varId];
    case 'set':
      return ['vars', 'set', action.machine, action.varId];
  }
}

function actionProblem(action: VarsAction): string | undefined {
  switch (action.kind) {
    case 'generate':
    case 'check':
    case 'fix':
      return action.machines.map((m) => nameProblem('machine', m)).find(Boolean);
    case 'regenerate':
      return nameProblem('machine', action.machine) ?? nameProblem('generator', action.generator);
    case 'get':
    case 'set':
      return nameProblem('machine', action.machine) ?? varIdProblem(action.varId);
  }
}

/** The full argv for an action, or why it cannot be built. */
export function commandLine(setting: unknown, action: VarsAction): { argv: string[] } | { error: string } {
  const cmd = clanCommandFrom(setting);
  if ('error' in cmd) return cmd;
  const problem = actionProblem(action);
  if (problem) return { error: `refusing to run clan: ${problem}` };
  return { argv: [...cmd.argv, ...clanArgs(action)] };
}

/** An argv for the log: each argument quoted when it has to be. Display only; never executed. */
export function displayArgv(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
