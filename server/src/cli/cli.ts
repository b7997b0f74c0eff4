// clan-vars-lint: checks clan vars generators in one or more directories, with exactly the analysis
// the language server runs. Exit status: 1 when an error is found, 0 otherwise, 2 on bad usage, when no folder given holds a clan, or on an internal error (results incomplete).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFolder, type FolderReport } from './analyzeFolder';
import { applyPlan, planFixes } from './applyFixes';
import { clanOfFolder, graphsOfFolder, machinesOfFolder } from './folder';
import { machinesReportText } from '../ide/machinesReport';
import { migrationScript } from '../ide/migrationScript';
import { Confinement } from '../base/confinement';
import { migrationReport } from '../ide/migrationReport';
import { GRAPH_FORMATS, serializeGraphs, type GraphFormat } from '../ide/graph/serialize';
import { fullMessage, type Problem } from '../base/types';
import { NixParser } from '../syntax/nixParser';
import { closestName } from '../base/closestName';
import { RULES } from '../rules/index';
import { INTERNAL_ERROR } from '../rules/internalError';
import { VERSION } from '../base/version';
import { sarifLog } from './sarif';
import { noteAnalysedFolder } from '../inputs/cacheFiles';
import { fetchInputsOf } from './fetchFlakeInputs';
import { withDefaults, type AnalysisSettings } from '../inputs/settings';
import { tierUpLater } from '../base/v8Tiering';
import { printable, printableJson, printableLines } from '../base/printable';

const USAGE = `usage: clan-vars-lint [--format text|json|sarif] [options] [DIR...]

Checks the clan vars generators, secret registry and machine matrix under each DIR
(default: the current directory).

options:
  --format text|json|sarif  output format (default: text; sarif: SARIF 2.1.0 for code scanning)
  --graph dot|mermaid|json  print the generators' dependency graph instead of diagnostics
  --machines text|json      print each machine with its generators (and their import chains),
                            why it may have more, and its vars, instead of diagnostics
  --secret-store auto|sops|age|password-store
                            where the clan keeps its secrets (default: auto, told from its folders)
  --registry-path PATH      secret registry, relative to the clan root (default: lib/secret-registry.nix)
  --matrix-path PATH        machine matrix, relative to the clan root (default: lib/machine-env-matrix.nix)
  --generators-path PATH    keys -> generators function (default: lib/vars-generators.nix)
  --max-file-size BYTES     skip larger .nix files (default: 2000000)
  --clan-core PATH          a clan-core checkout to read clan-core's services from (default:
                            the locked clan-core input, when it is in the Nix store)
  --ignore CODE[,CODE]      do not report these diagnostic codes (repeatable)
  --fetch-inputs            first fetch the inputs each DIR's flake.lock locks into the Nix
                            store, so the modules of the inputs are read, not left unknown. Runs
                            nix --extra-experimental-features 'nix-command flakes' --option
                            accept-flake-config false flake archive --json --no-update-lock-file
                            in DIR (an argv, no shell; nix's progress goes to stderr): nix is the
                            first on PATH outside DIR and its git repository, and its PATH is
                            only the absolute entries outside them that hold no link into them
                            (so are the git and ssh it starts); git gets core.fsmonitor=false and
                            core.hooksPath=/dev/null (GIT_CONFIG_COUNT: git 2.31 or newer).
                            Refused, nothing run: a repository nix runs git in (DIR's, a local
                            git input's) whose own git configuration names a program (a filter,
                            textconv, credential helper, ssh command, pager, ...; each named); a
                            flake.lock that cannot be read; a local Mercurial input; an input on
                            this disk outside DIR (nix copies it into the store, which every user
                            can read) that --allow-input-path does not name. Exit status 2 when
                            refused, when nix is missing or the fetch fails
  --allow-input-path PATH   with --fetch-inputs: nix may copy this local input outside DIR into
                            the Nix store (repeatable)
  --migration-script        print a bash script that carries the stored values of clan facts and
                            plain sops-nix secrets over to clan vars (clan vars set, values only
                            through pipes), for you to review and run; it has a --dry-run mode
  --migration-report        print (Markdown) every facts service and sops-nix secret, what it
                            becomes, which stored values the script moves from where, and what
                            is left to you and why
  --fix                     apply the safe quick fixes, then report what is left; files
                            with syntax errors, links and files changed since the check are
                            never changed, files are written atomically
  --no-cache                check from scratch: neither read nor write the cache of file
                            facts and results (~/.cache/clan-vars, or $CLAN_VARS_CACHE_DIR;
                            README: Performance)
  --version                 print the version
  -h, --help                show this help

exit status: 0 no errors, 1 errors found, 2 bad usage, no clan in the folders given, or an
internal error (a file that could not be analysed: a bug of clan-vars-lint)`;

interface Options {
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  graph?: GraphFormat;
  machines?: 'text' | 'json';
  migrationScript: boolean;
  migrationReport: boolean;
  fetchInputs: boolean;
  /** Local inputs outside the clan that --fetch-inputs may copy into the store. */
  allowInputPaths: string[];
  dirs: string[];
  settings: AnalysisSettings;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  let format: 'text' | 'json' | 'sarif' = 'text';
  let fix = false;
  let migrationScript = false;
  let migrationReport = false;
  let fetchInputs = false;
  const allowInputPaths: string[] = [];
  const dirs: string[] = [];
  const partial: Partial<AnalysisSettings> = {};
  let graph: GraphFormat | undefined;
  let machines: 'text' | 'json' | undefined;
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = () => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--version':
        return 'version';
      case '--format': {
        const f = take();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${f}'`);
        format = f;
        break;
      }
      case '--machines': {
        const f = take();
        if (f !== 'text' && f !== 'json') throw new UsageError(`--machines must be text or json, not '${f}'`);
        machines = f;
        break;
      }
      case '--graph': {
        const f = take();
        if (!GRAPH_FORMATS.includes(f as GraphFormat)) throw new UsageError(`--graph must be dot, mermaid or json, not '${f}'`);
        graph = f as GraphFormat;
        break;
      }
      case '--registry-path':
        partial.registryPath = take();
        break;
      case '--matrix-path':
        partial.matrixPath = take();
        break;
      case '--generators-path':
        partial.generatorsPath = take();
        break;
      case '--clan-core':
        partial.clanCorePath = path.resolve(take());
        break;
      case '--secret-store': {
        const store = take();
        if (store !== 'auto' && store !== 'sops' && store !== 'age' && store !== 'password-store') throw new UsageError(`--secret-store must be auto, sops, age or password-store, not '${store}'`);
        partial.secretStore = store;
        break;
      }
      case '--ignore':
        partial.ignore = [...(partial.ignore ?? []), ...take().split(',').map((c) => c.trim()).filter(Boolean)];
        break;
      case '--fix':
        fix = true;
        break;
      case '--no-cache':
        // read by the facts cache (workspace/factsCache.ts), as the server reads it from its environment
        process.env.CLAN_VARS_CACHE_DIR = 'off';
        break;
      case '--migration-script':
        migrationScript = true;
        break;
      case '--migration-report':
        migrationReport = true;
        break;
      case '--fetch-inputs':
        fetchInputs = true;
        break;
      case '--allow-input-path':
        allowInputPaths.push(path.resolve(take()));
        break;
      case '--max-file-size': {
        const n = Number(take());
        if (!Number.isInteger(n) || n < 1000) throw new UsageError('--max-file-size must be a whole number of bytes, at least 1000');
        partial.maxFileSize = n;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        dirs.push(a);
    }
  }
  if (allowInputPaths.length && !fetchInputs) throw new UsageError('--allow-input-path goes with --fetch-inputs');
  if (migrationScript && migrationReport) throw new UsageError('--migration-script and --migration-report go one at a time');
  if ((migrationScript || migrationReport) && dirs.length > 1) throw new UsageError(`${migrationScript ? '--migration-script' : '--migration-report'} takes one clan directory`);
  return { format, fix, graph, machines, migrationScript, migrationReport, fetchInputs, allowInputPaths, dirs: dirs.length ? dirs : ['.'], settings: withDefaults(partial) };
}

function oneBased(p: Problem) {
  return {
    line: p.range.start.line + 1,
    column: p.range.start.character + 1,
    endLine: p.range.end.line + 1,
    endColumn: p.range.end.character + 1,
  };
}

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
  const codes = [...RULES.map((r) => r.code), INTERNAL_ERROR];
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
  // a cache folder or key inside any folder checked (or its repository) is used for none of them (inputs/cacheFiles.ts)
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
  const rows: { file: string; problem: Problem }[] = [];
  let files = 0;
  let generators = 0;
  let skipped = 0;
  let clans = 0;
  for (const dir of options.dirs) {
    const root = fs.realpathSync(path.resolve(dir));
    const log = (line: string) => writeLine(process.stderr, `clan-vars-lint: ${line}`);
    let report = await analyzeFolder(root, options.settings, log, { reuse: true });
    if (options.fix) report = await fixFolder(root, report, options, log);
    files += report.files;
    generators += report.generators;
    skipped += report.skipped;
    if (report.files === 0) log(`${dir}: no .nix files here, so there is no clan to check (run it in a clan's folder, the one with flake.nix)`);
    else if (report.generators === 0 && report.problems.length === 0 && !isClanFlake(root)) log(`${dir}: no clan here: no clan vars generator declarations in ${plural(report.files, '.nix file')} and no flake.nix that uses clan (run it in a clan's folder, the one with flake.nix)`);
    else clans++;
    for (const problem of report.problems) {
      const rel = path.relative(root, problem.file);
      rows.push({ file: options.dirs.length > 1 ? path.join(dir, rel) : rel, problem });
    }
  }
  const errors = rows.filter((r) => r.problem.severity === 'error').length;
  const warnings = rows.filter((r) => r.problem.severity === 'warning').length;
  if (options.format === 'sarif') {
    writeText(process.stdout, printableJson(sarifLog(rows.map((r) => r.problem), process.cwd()), 2) + '\n');
  } else if (options.format === 'json') {
    const diagnostics = rows.map(({ file, problem }) => ({
      file,
      ...oneBased(problem),
      severity: problem.severity,
      code: problem.code,
      message: problem.message,
      ...(problem.explanation ? { explanation: problem.explanation } : {}),
    }));
    writeText(process.stdout, printableJson({ diagnostics }, 2) + '\n');
  } else {
    for (const { file, problem } of rows) {
      const { line, column } = oneBased(problem);
      writeLine(process.stdout, `${file}:${line}:${column}: ${problem.severity} ${problem.code} ${fullMessage(problem)}`);
    }
    const hints = rows.filter((r) => r.problem.severity === 'hint').length;
    const infos = rows.length - errors - warnings - hints;
    writeLine(
      process.stdout,
      `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infos ? `, ${plural(infos, 'note')}` : ''}${hints ? `, ${plural(hints, 'hint')}` : ''} ` +
        `(${plural(files, '.nix file')} checked, ${plural(generators, 'generator declaration')}${skipped ? `, ${skipped} skipped` : ''})`,
    );
  }
  // a CI job given a mistyped folder must not pass
  if (clans === 0) {
    writeLine(process.stderr, `clan-vars-lint: no clan found in ${options.dirs.length === 1 ? `'${options.dirs[0]}'` : `any of the ${options.dirs.length} folders given`}`);
    return 2;
  }
  if (NixParser.aborted) {
    writeLine(process.stderr, `clan-vars-lint: internal error: the Nix parser failed (${NixParser.aborted}); the results above are incomplete`);
    return 2;
  }
  // a bug, not a mistake in the clan: a CI job must not pass with files left out
  const failed = rows.filter((r) => r.problem.code === INTERNAL_ERROR).length;
  if (failed > 0) {
    writeLine(process.stderr, `clan-vars-lint: internal error: ${plural(failed, 'file')} could not be analysed (${failed === 1 ? 'its' : 'their'} ${INTERNAL_ERROR} ${failed === 1 ? 'finding says' : 'findings say'} which and why); the results are incomplete`);
    return 2;
  }
  return errors > 0 ? 1 : 0;
}

/**
 * Applies the safe fixes (a few rounds, since fixes that overlapped wait for the next), then analyses
 * again. A file left alone (a link, outside the folder, changed since the analysis) is said once and
 * not tried again in later rounds.
 */
async function fixFolder(root: string, first: FolderReport, options: Options, log: (line: string) => void): Promise<FolderReport> {
  let report = first;
  // beside the findings in text; apart from JSON and SARIF, which must stay one document
  const out = options.format === 'text' ? process.stdout : process.stderr;
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

/** A `flake.nix` at the folder's top that uses clan: a clan, even one that declares no generators yet. */
function isClanFlake(root: string): boolean {
  try {
    return /\bclan\b|clan-core/.test(Confinement.within(root).readText(path.join(root, 'flake.nix'), 1 << 20));
  } catch {
    return false;
  }
}

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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// Node ends a process whose event loop is empty even while a promise is pending: then the check
// did not finish, and saying nothing (exit 0, no output) would read as a clean clan.
let settled = false;
process.on('exit', () => {
  if (settled) return;
  writeLine(process.stderr, 'clan-vars-lint: internal error: the check stopped before it finished (nothing was left to wait on); the results are missing');
  process.exitCode = 2;
});

tierUpLater({ inline: false }); // one pass over a clan (base/v8Tiering.ts)

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
