// clan-vars-lint: checks clan vars generators in one or more directories, with exactly the analysis
// the language server runs. Exit status: 1 when an error is found, 0 otherwise, 2 on bad usage, when no folder given holds a clan, or on an internal error (results incomplete).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFolder, type FolderReport } from './analyzeFolder';
import { applyPlan, planFixes } from './applyFixes';
import { clanOfFolder, graphsOfFolder, machinesOfFolder } from './folder';
import { machinesReportText } from '../ide/machinesReport';
import { migrationScript } from '../ide/migrationScript';
import { flakeNamesClan } from '../model/machines';
import { migrationReport } from '../ide/migrationReport';
import { serializeGraphs } from '../ide/graph/serialize';
import { NixParser } from '../syntax/nixParser';
import { closestName } from '../base/closestName';
import { CODES } from '../rules/index';
import { INTERNAL_ERROR } from '../rules/internalError';
import { VERSION } from '../base/version';
import { sarifLog } from './sarif';
import { noteAnalysedFolder } from '../base/cacheFiles';
import { fetchInputsOf } from './fetchFlakeInputs';
import { printable, printableJson, printableLines } from '../base/printable';
import { parseArgs, USAGE, UsageError, type Options } from './options';
import { explainCode } from './explain';
import { reportBase, type Check, type Finding } from './format/findings';
import { plural } from '../base/plural';
import { compactReport } from './format/compact';
import { jsonReport } from './format/json';
import { githubReport } from './format/github';
import { gitlabReport } from './format/gitlab';
import { textReport } from './format/text';
import { paint, useColor } from './format/color';
import { SourceLines } from './format/codeFrame';
import { textWidth } from './format/wrap';

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help' | 'version';
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    writeLine(process.stderr, `clan-vars-lint: ${e.message}`);
    writeLine(process.stderr, HELP_HINT);
    return 2;
  }
  if (options === 'help') {
    writeText(process.stdout, USAGE + '\n');
    return 0;
  }
  if (options === 'version') {
    writeLine(process.stdout, `clan-vars-lint ${VERSION}`);
    return 0;
  }
  if (options.explain !== undefined) {
    try {
      writeText(process.stdout, explainCode(options.explain, textWidth(process.stdout, process.env)).join('\n') + '\n');
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      writeLine(process.stderr, `clan-vars-lint: ${e.message} (the codes are listed in docs/diagnostics.md)`);
      return 2;
    }
    return 0;
  }
  const codes = CODES.map((c) => c.code);
  for (const code of options.settings.ignore) {
    if (codes.includes(code)) continue;
    const near = closestName(code, codes);
    writeLine(process.stderr, `clan-vars-lint: warning: --ignore ${code}: no such diagnostic code${near ? `; did you mean '${near}'?` : ''} (the codes are listed in docs/diagnostics.md)`);
  }
  for (const dir of options.dirs) {
    let ok = false;
    try {
      ok = fs.statSync(dir).isDirectory();
    } catch {
      /* reported below */
    }
    if (!ok) {
      writeLine(process.stderr, `clan-vars-lint: '${dir}' is not a directory`);
      writeLine(process.stderr, HELP_HINT);
      return 2;
    }
  }
  // a cache folder or key inside any folder checked (or its repository) is used for none of them (base/cacheFiles.ts)
  for (const dir of options.dirs) noteAnalysedFolder(fs.realpathSync(path.resolve(dir)));
  const say = (line: string) => writeLine(process.stderr, `clan-vars-lint: ${line}`);
  if (options.fetchInputs) for (const dir of options.dirs) if (!(await fetchInputsOf(dir, options.allowInputPaths, say))) return 2;
  if (options.migrationScript || options.migrationReport) {
    const clan = await clanOfFolder(fs.realpathSync(path.resolve(options.dirs[0])), options.settings, (line) => writeLine(process.stderr, `clan-vars-lint: ${line}`));
    writeText(process.stdout, options.migrationScript ? migrationScript(clan) : migrationReport(clan));
    return 0;
  }
  if (options.graph) {
    const graphs = [];
    for (const dir of options.dirs) graphs.push(...(await graphsOfFolder(fs.realpathSync(path.resolve(dir)), options.settings, (line) => writeLine(process.stderr, `clan-vars-lint: ${line}`))));
    writeText(process.stdout, serializeGraphs(graphs, options.graph));
    return 0;
  }
  if (options.machines) {
    const reports = [];
    for (const dir of options.dirs) reports.push(...(await machinesOfFolder(fs.realpathSync(path.resolve(dir)), options.settings, (line) => writeLine(process.stderr, `clan-vars-lint: ${line}`))));
    writeText(process.stdout, options.machines === 'json' ? printableJson(reports, 2) + '\n' : reports.map(machinesReportText).join(''));
    return 0;
  }
  const findings: Finding[] = [];
  const roots: string[] = [];
  const counts = { files: 0, generators: 0, skipped: 0 };
  let clans = 0;
  const noClan: string[] = [];
  for (const dir of options.dirs) {
    const root = fs.realpathSync(path.resolve(dir));
    roots.push(root);
    const log = (line: string) => writeLine(process.stderr, `clan-vars-lint: ${line}`);
    let report = await analyzeFolder(root, options.settings, log, { reuse: true });
    if (options.fix) report = await fixFolder(root, report, options, log);
    counts.files += report.files;
    counts.generators += report.generators;
    counts.skipped += report.skipped;
    if (report.files === 0) noClan.push(`${dir}: no .nix files here, so there is no clan to check (run it in a clan's folder, the one with flake.nix)`);
    else if (report.generators === 0 && report.problems.length === 0 && !flakeNamesClan(root)) noClan.push(`${dir}: no clan here: no clan vars generator declarations in ${plural(report.files, '.nix file')} and no flake.nix that uses clan (run it in a clan's folder, the one with flake.nix)`);
    else clans++;
    for (const problem of report.problems) {
      const rel = path.relative(root, problem.file);
      findings.push({ problem, root, shown: options.dirs.length > 1 ? path.join(dir, rel) : rel });
    }
  }
  for (const line of noClan) writeLine(process.stderr, `clan-vars-lint: ${line}`);
  // a CI job given a mistyped folder must not pass; nothing on stdout, which would read as a result
  if (clans === 0) {
    if (options.dirs.length > 1) writeLine(process.stderr, `clan-vars-lint: no clan found in any of the ${options.dirs.length} folders given`);
    return 2;
  }
  printFindings({ findings, counts, cwd: process.cwd(), roots }, options);
  const errors = findings.filter((f) => f.problem.severity === 'error').length;
  if (NixParser.aborted) {
    writeLine(process.stderr, `clan-vars-lint: internal error: the Nix parser failed (${NixParser.aborted}); the results above are incomplete`);
    return 2;
  }
  // a bug, not a mistake in the clan: a CI job must not pass with files left out
  const failed = findings.filter((f) => f.problem.code === INTERNAL_ERROR).length;
  if (failed > 0) {
    writeLine(process.stderr, `clan-vars-lint: internal error: ${plural(failed, 'file')} could not be analysed (${failed === 1 ? 'its' : 'their'} ${INTERNAL_ERROR} ${failed === 1 ? 'finding says' : 'findings say'} which and why); the results are incomplete`);
    return 2;
  }
  return errors > 0 ? 1 : 0;
}

/** The findings on stdout in the format chosen. */
function printFindings(check: Check, options: Options): void {
  switch (options.format) {
    case 'text': {
      const style = { paint: paint(useColor(options.color, process.env, !!process.stdout.isTTY)), width: textWidth(process.stdout, process.env), source: new SourceLines(options.settings.maxFileSize) };
      // every name in it is printable already, and colour went around it: written as it is
      process.stdout.write(textReport(check, style).join('\n') + '\n');
      return;
    }
    case 'compact':
      return compactReport(check).forEach((line) => writeLine(process.stdout, line));
    case 'github':
      return githubReport(check).forEach((line) => writeLine(process.stdout, line));
    case 'json':
      return writeText(process.stdout, printableJson(jsonReport(check), 2) + '\n');
    case 'gitlab':
      return writeText(process.stdout, printableJson(gitlabReport(check), 2) + '\n');
    case 'sarif':
      return writeText(process.stdout, printableJson(sarifLog(check.findings.map((f) => f.problem), reportBase(check.roots, check.cwd)), 2) + '\n');
  }
}

/**
 * Applies the safe fixes (a few rounds, since fixes that overlapped wait for the next), then analyses
 * again. A file left alone (a link, outside the folder, changed since the analysis) is said once and
 * not tried again in later rounds.
 */
async function fixFolder(root: string, first: FolderReport, options: Options, log: (line: string) => void): Promise<FolderReport> {
  let report = first;
  // beside the findings for a person; apart from the formats a program reads (JSON, SARIF and
  // GitLab's must stay one document, GitHub's one workflow command a line)
  const out = options.format === 'text' || options.format === 'compact' ? process.stdout : process.stderr;
  const leftAlone = new Set<string>();
  let fixed = 0;
  for (let round = 0; round < 5; round++) {
    const fixable = report.problems.filter((p) => !p.fixes?.find((f) => f.safe)?.edits.some((e) => leftAlone.has(e.file)));
    const plan = planFixes(fixable, (file) => report.syntaxErrors.has(file), (file) => report.digests.get(file));
    if (round === 0) for (const file of plan.refused) writeLine(out, `${path.relative(root, file)}: not fixed: the file has syntax errors`);
    if (plan.applied.length === 0) break;
    const outcome = applyPlan(plan, root);
    for (const { file, reason } of outcome.skipped) {
      leftAlone.add(file);
      writeLine(out, `${path.relative(root, file)}: not fixed: ${reason}`);
    }
    for (const { problem, fix } of outcome.applied) {
      writeLine(out, `${path.relative(root, problem.file)}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: fixed ${problem.code}: ${fix.title}`);
    }
    fixed += outcome.applied.length;
    if (outcome.written.length === 0) break;
    report = await analyzeFolder(root, options.settings, log);
  }
  if (fixed === 0 && first.problems.length > 0) {
    const withFix = first.problems.filter((p) => p.fixes?.length).length;
    writeLine(out, `no safe fix for ${plural(first.problems.length, 'problem')}${withFix ? ` (${withFix} ha${withFix === 1 ? 's' : 've'} a quick fix to look at in the editor)` : ''}`);
  }
  return report;
}

const HELP_HINT = "Run 'clan-vars-lint --help' for the options.";

/**
 * One line to stdout or stderr, printable (base/printable.ts): a name it quotes (a file's path, a
 * link's target, a finding's message) cannot end it, start another, or reach the terminal as a
 * control or bidi character.
 */
function writeLine(stream: NodeJS.WriteStream, line: string): void {
  stream.write(printable(line) + '\n');
}

/**
 * A text of several lines built elsewhere (a report, JSON, the usage), each line printable: the
 * guard behind the escaping those texts do where they quote a name.
 */
function writeText(stream: NodeJS.WriteStream, text: string): void {
  stream.write(printableLines(text));
}


// Node ends a process whose event loop is empty even while a promise is pending: then the check
// did not finish, and saying nothing (exit 0, no output) would read as a clean clan.
let settled = false;
process.on('exit', () => {
  if (settled) return;
  writeLine(process.stderr, 'clan-vars-lint: internal error: the check stopped before it finished (nothing was left to wait on); the results are missing');
  process.exitCode = 2;
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (e) => {
    settled = true;
    // its stack on several lines
    writeText(process.stderr, `clan-vars-lint: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  },
);
