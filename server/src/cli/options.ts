// The command line of clan-vars-lint: its usage text and the options it parses. Bad usage is a
// UsageError, which the checker prints as one line with where to look, and exits 2.
import * as path from 'node:path';
import { SECRET_STORE_SETTINGS } from '../base/secretBackends';
import { GRAPH_FORMATS, type GraphFormat } from '../ide/graph/serialize';
import { withDefaults, type AnalysisSettings } from '../base/settings';

export const FORMATS = ['text', 'compact', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];
export type ColorChoice = 'auto' | 'always' | 'never';

export const USAGE = `usage: clan-vars-lint [--format FORMAT] [options] [DIR...]

Checks the clan vars generators, secret registry and machine matrix under each DIR
(default: the current directory).

options:
  --format text|compact|json|sarif|github|gitlab
                            how the findings are printed (default: text). text: for a person,
                            each finding with the line it is on, grouped by file, each
                            explanation once, a summary by severity and code; compact: one line
                            per finding (path:line:column: severity code message), for editors
                            and tools; json: {"diagnostics": [...]}; sarif: SARIF 2.1.0 for code
                            scanning; github: GitHub Actions annotations; gitlab: GitLab Code
                            Quality JSON. Paths: text, github, gitlab and sarif relative to the
                            working folder (sarif: under SRCROOT, the folder checked when it is
                            outside the working folder), compact and json to the folder checked
  --color auto|always|never colour in the text format (default: auto: when stdout is a terminal;
                            NO_COLOR turns it off, FORCE_COLOR on)
  --explain CODE            print what a diagnostic code means, what clan does and when the code
                            is silent, with an example, and nothing else
  --graph dot|mermaid|json  print the generators' dependency graph instead of diagnostics
  --machines [text|json]    print each machine with its generators (and their import chains),
                            why it may have more, and its vars, instead of diagnostics (default:
                            text)
  --secret-store ${SECRET_STORE_SETTINGS.join('|')}
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

export interface Options {
  format: Format;
  color: ColorChoice;
  fix: boolean;
  explain?: string;
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

export class UsageError extends Error {}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (allowed.includes(value as T)) return value as T;
  const list = allowed.length === 2 ? allowed.join(' or ') : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  throw new UsageError(`${flag} must be ${list}, not '${value}'`);
}

export function parseArgs(argv: string[]): Options | 'help' | 'version' {
  let format: Format | undefined;
  let color: ColorChoice = 'auto';
  let fix = false;
  let explain: string | undefined;
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
      case '--format':
        format = oneOf(flag, take(), FORMATS);
        break;
      case '--color':
        color = oneOf(flag, take(), ['auto', 'always', 'never'] as const);
        break;
      case '--explain':
        explain = take();
        break;
      case '--machines':
        // the format is optional: `--machines DIR` is the text report of DIR
        if (inline !== undefined) machines = oneOf(flag, inline, ['text', 'json'] as const);
        else if (argv[i + 1] === 'text' || argv[i + 1] === 'json') machines = argv[++i] as 'text' | 'json';
        else machines = 'text';
        break;
      case '--graph':
        graph = oneOf(flag, take(), GRAPH_FORMATS);
        break;
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
      case '--secret-store':
        partial.secretStore = oneOf(flag, take(), SECRET_STORE_SETTINGS);
        break;
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
  // each prints something else instead of the findings: two of them would leave one silently unused
  const outputs = [format && '--format', explain !== undefined && '--explain', graph && '--graph', machines && '--machines', migrationScript && '--migration-script', migrationReport && '--migration-report'].filter((o): o is string => !!o);
  if (outputs.length > 1) throw new UsageError(`${outputs.slice(0, -1).join(', ')} and ${outputs[outputs.length - 1]} go one at a time: each chooses what is printed`);
  if (fix && outputs.length && !format) throw new UsageError(`--fix goes with the findings, not with ${outputs[0]}`);
  if ((migrationScript || migrationReport) && dirs.length > 1) throw new UsageError(`${migrationScript ? '--migration-script' : '--migration-report'} takes one clan directory`);
  if (explain !== undefined && dirs.length) throw new UsageError('--explain takes a code, not a directory');
  return {
    format: format ?? 'text',
    color,
    fix,
    explain,
    graph,
    machines,
    migrationScript,
    migrationReport,
    fetchInputs,
    allowInputPaths,
    dirs: dirs.length ? dirs : ['.'],
    settings: withDefaults(partial),
  };
}
