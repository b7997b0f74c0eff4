// Names from a hostile repository in every output of the checker (security issue 52, findings 8, 11
// and 12). The clan of test/helpers/hostileNames.ts puts terminal escapes, line breaks, bidi
// overrides and Markdown and SARIF syntax in generator, file, facts, sops, registry, machine, folder
// and link names. Every output the options of --help select is walked: an option that prints
// something must say here which medium it writes, so a new output is checked as it is added. In all
// of them no control, format or line-separator character from a name reaches the bytes written;
// no name starts a line of its own; the Markdown report gets no link, image, HTML or heading from
// a name; SARIF messages get no embedded link; JSON keeps the names exact (as \u escapes).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { PAYLOADS, UNSAFE, removeHostileClan, writeHostileClan } from '../helpers/hostileNames';
import { markdownParts } from '../helpers/markdownParts';
import { REPO_ROOT } from '../helpers/tempClan';
import { PAINT_SEQUENCE } from '../../server/src/cli/format/color';

const LINT = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeHostileClan));

type Medium = 'terminal' | 'json' | 'sarif' | 'markdown' | 'github';
/** What each value of an option with a choice of formats writes. */
const MEDIUM_OF_VALUE: Record<string, Medium> = { text: 'terminal', compact: 'terminal', json: 'json', sarif: 'sarif', github: 'github', gitlab: 'json', dot: 'terminal', mermaid: 'terminal' };
/** The options that print something instead of, or besides, the findings. */
const PRINTS: Record<string, Medium | 'with --format' | 'colour'> = {
  '--format': 'terminal',
  '--color': 'colour',
  '--graph': 'terminal',
  '--machines': 'terminal',
  '--migration-script': 'terminal',
  '--migration-report': 'markdown',
  '--fix': 'with --format',
};
/** The options that only change what is checked or how (their output is one of the above), or print nothing from the clan (--explain: the docs). */
const SETTINGS = new Set(['--explain', '--secret-store', '--registry-path', '--matrix-path', '--generators-path', '--max-file-size', '--clan-core', '--ignore', '--fetch-inputs', '--allow-input-path', '--no-cache', '--version']);

function lint(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [LINT, '--no-cache', ...args, '.'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
  assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r;
}

/** The runs that cover every output --help offers, each with the medium of its stdout. */
function runsOfHelp(): { args: string[]; medium: Medium; writes?: boolean; colour?: boolean }[] {
  const help = spawnSync(process.execPath, [LINT, '--help'], { encoding: 'utf8' }).stdout;
  const options = [...help.matchAll(/^ {2}(--[a-z-]+)(?: \[?([a-z-]+(?:\|[a-z-]+)+)\]?)?/gm)].map((m) => ({ flag: m[1], values: m[2]?.split('|') }));
  assert.ok(options.length > 10, help);
  const runs: { args: string[]; medium: Medium; writes?: boolean; colour?: boolean }[] = [];
  const formats = options.find((o) => o.flag === '--format')!.values!;
  for (const { flag, values } of options) {
    if (SETTINGS.has(flag)) continue;
    const prints = PRINTS[flag];
    assert.ok(prints, `${flag} is new in --help: add it to PRINTS with the medium it writes, or to SETTINGS if it prints nothing of its own`);
    if (prints === 'with --format') for (const f of formats) runs.push({ args: [flag, '--format', f], medium: MEDIUM_OF_VALUE[f] ?? fail(f), writes: true });
    // the text format with colour: the colour's own escapes are taken out before the bytes are checked
    else if (prints === 'colour') for (const v of values!) runs.push({ args: [flag, v], medium: 'terminal', colour: v === 'always' });
    else if (values) for (const v of values) runs.push({ args: [flag, v], medium: MEDIUM_OF_VALUE[v] ?? fail(`${flag} ${v}`) });
    else runs.push({ args: [flag], medium: prints });
  }
  return runs;
}

function fail(what: string): never {
  throw new Error(`${what}: a new output format; add it to MEDIUM_OF_VALUE`);
}

/** The characters of `text` no output may carry (its own line ends excepted), as code points. */
function unsafeIn(text: string): string[] {
  return [...new Set([...text].filter((c) => c !== '\n' && UNSAFE.test(c)))].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Text that follows a line break in a payload: it must never start a line of output. */
const AFTER_BREAK = ['# heading', '- item', 'FAKE'];

/** SARIF §3.11.6: an embedded link is `[text](target)` with neither bracket escaped by a backslash. */
function embeddedLinks(text: string): string[] {
  const found: string[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '[') open = i;
    else if (text[i] === ']' && open >= 0 && text[i + 1] === '(') found.push(text.slice(open, text.indexOf(')', i) + 1 || undefined));
  }
  return found;
}

const HEADINGS = /^(Moving to clan vars: |Machine |In files no machine has$|Other uses of the facts system$)/;

test('hostile names: no output of the checker carries a control or bidi character, a line, a link, an image or a heading from a name', () => {
  const runs = runsOfHelp();
  assert.ok(runs.length >= 20, runs.map((r) => r.args.join(' ')).join(', '));
  const problems: string[] = [];
  for (const { args, medium, writes, colour } of runs) {
    const root = writeHostileClan();
    roots.push(root);
    const run = lint(args, root);
    const what = args.join(' ');
    if (colour && !run.stdout.match(PAINT_SEQUENCE)) problems.push(`${what}: no colour`);
    const r = { ...run, stdout: colour ? run.stdout.replace(PAINT_SEQUENCE, '') : run.stdout };
    for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      const bad = unsafeIn(text);
      if (bad.length) problems.push(`${what}: ${stream} holds ${bad.join(' ')}`);
      for (const line of text.split('\n')) if (AFTER_BREAK.some((t) => line.startsWith(t))) problems.push(`${what}: ${stream} has a line made by a name: ${JSON.stringify(line)}`);
    }
    assert.ok(r.stdout.length > 0, `${what} printed nothing`);
    if (writes) assert.match(r.stdout + r.stderr, /fixed removed-option/, `${what} fixed something`);
    if (medium === 'json' || medium === 'sarif') {
      let value;
      try {
        value = JSON.parse(r.stdout);
      } catch (e) {
        problems.push(`${what}: stdout is not JSON: ${(e as Error).message}`);
        continue;
      }
      if (medium === 'sarif') {
        const driver = value.runs[0].tool.driver;
        if (driver.informationUri !== undefined && !/^https:\/\//.test(driver.informationUri)) problems.push(`${what}: informationUri is not a public address: ${driver.informationUri}`);
        for (const result of value.runs[0].results) {
          const links = embeddedLinks(result.message.text);
          if (links.length) problems.push(`${what}: message.text has an embedded link: ${links.join(' ')}`);
        }
      }
      // JSON is data: the names are exact, written as \u escapes
      if (args[0] === '--machines' || args[0] === '--graph') {
        const all = JSON.stringify(value);
        for (const [label, p] of Object.entries(PAYLOADS)) assert.ok(all.includes(JSON.stringify(`g-${label}${p}`)), `${what}: the name g-${label}… is kept exactly`);
      }
    }
    if (medium === 'github') {
      // each line a workflow command whose properties are exactly the six written, or the summary
      const lines = r.stdout.trimEnd().split('\n');
      if (!/^\d+ errors?, /.test(lines.pop() ?? '')) problems.push(`${what}: the last line is not the summary`);
      for (const line of lines) {
        const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
        const keys = m?.[2].split(',').map((p) => p.split('=')[0]);
        if (!m || keys!.join(' ') !== 'file line col endLine endColumn title') problems.push(`${what}: not one workflow command: ${JSON.stringify(line)}`);
      }
    }
    if (medium === 'markdown') {
      const parts = markdownParts(r.stdout);
      for (const [kind, list] of [['link', parts.links], ['image', parts.images], ['HTML', parts.html]] as const) for (const x of list) problems.push(`${what}: a ${kind} from a name: ${JSON.stringify(x)}`);
      for (const h of parts.headings) if (!HEADINGS.test(h)) problems.push(`${what}: a heading from a name: ${JSON.stringify(h)}`);
      for (const s of parts.shown) if (unsafeIn(s).length) problems.push(`${what}: rendered text holds ${unsafeIn(s).join(' ')}: ${JSON.stringify(s)}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('hostile names: --format compact keeps one finding per line, each starting with its place', () => {
  const root = writeHostileClan();
  roots.push(root);
  const lines = lint(['--format', 'compact'], root).stdout.trimEnd().split('\n');
  const summary = lines.pop()!;
  assert.match(summary, /^\d+ errors, \d+ warnings/);
  assert.ok(lines.length > 50);
  for (const line of lines) assert.match(line, /^.+?:\d+:\d+: (error|warning|information|hint) [a-z-]+ \S/, JSON.stringify(line));
  // the explanations quote names too (unknown-dependency: clan's own error text)
  assert.ok(lines.some((l) => l.includes(`unknown-dependency`) && l.includes('depends on')));
});
