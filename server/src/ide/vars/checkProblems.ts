// Findings of `clan vars check` -> problems on the generator declarations they are about (the
// generator's name, in the declarations for that machine). Findings without a declaration in the
// workspace are returned as text, for the log.
import type { CheckOutputResult, CheckProblem } from '../../model/generatorView/types';
import { declarationsOf, declaredFor } from '../../rules/secretDeclarations';
import type { ClanModel } from '../../model/clanModel';
import { parseCheckOutput, type CheckFinding } from './checkOutput';
import { printable } from '../../base/printable';

export const CHECK_CODE = 'clan-vars-check';

export function describeFinding(f: CheckFinding): string {
  const where = f.machine ? ` on machine '${f.machine}'` : '';
  switch (f.kind) {
    case 'missing-secret':
      return `clan vars check: secret var '${f.file}' of generator '${f.generator}' is missing${where}. Run \`clan vars generate${f.machine ? ' ' + f.machine : ''}\`.`;
    case 'missing-public':
      return `clan vars check: public var '${f.file}' of generator '${f.generator}' is missing${where}. Run \`clan vars generate${f.machine ? ' ' + f.machine : ''}\`.`;
    case 'unfixed-secret':
      return `clan vars check: secret var '${f.file}' of generator '${f.generator}' is not encrypted for its current recipients${where}${f.detail ? ` (${f.detail})` : ''}. Run \`clan vars fix${f.machine ? ' ' + f.machine : ''}\`.`;
    case 'outdated-validation':
      return `clan vars check: generator '${f.generator}' has an outdated validation hash${where}: its \`validation\` changed since it was generated. It runs again on the next \`clan vars generate\`.`;
    case 'generator-not-found':
      return `clan vars check: generator '${f.generator}' was not found${where}.`;
  }
}

export function checkProblems(clan: ClanModel, output: string): CheckOutputResult {
  const report = parseCheckOutput(output);
  const problems: CheckProblem[] = [];
  const unplaced: string[] = [];
  for (const f of report.findings) {
    // names as clan printed them, from the workspace: one printable line
    const message = printable(describeFinding(f));
    // declarations of another machine's modules do not count; ones no known machine has may apply to any
    const decls = declarationsOf(clan, { machine: f.machine, generator: f.generator, file: f.file ?? '' }).filter((g) => !f.machine || declaredFor(clan, g, f.machine));
    if (decls.length === 0) {
      unplaced.push(message);
      continue;
    }
    const severity = f.kind === 'generator-not-found' ? 'error' : 'warning';
    for (const g of decls) problems.push({ file: g.file, range: g.name.range, severity, code: CHECK_CODE, message });
  }
  return { problems, unplaced, valid: report.valid };
}
