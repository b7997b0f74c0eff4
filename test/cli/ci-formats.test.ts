// The CI formats: `--format github` (GitHub Actions workflow commands, which the runner turns into
// annotations) and `--format gitlab` (a GitLab Code Quality report), each held to what its platform
// reads, with paths relative to the working folder (a job's checkout) wherever the clan is.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { githubReport } from '../../server/src/cli/format/github';
import type { Problem } from '../../server/src/base/types';
import { corpusClans } from '../helpers/corpus';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const LINT = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

function lint(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [LINT, '--no-cache', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A workflow command as the runner parses it: `::command key=value,...::message`, the values unescaped. */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } | null {
  const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
  if (!m) return null;
  const unescape = (s: string) => s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
  const props = Object.fromEntries(m[2].split(',').map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]));
  return { command: m[1], props, message: unescape(m[3]) };
}

test('--format github: an annotation per finding with its file from the working folder, lines, columns and the code as title', () => {
  const r = lint(['--format', 'github', 'examples/clan']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.pop(), '3 errors, 0 warnings (8 .nix files checked, 9 generator declarations)');
  const key = parseCommand(lines[0]);
  assert.deepEqual(key?.props, { file: 'examples/clan/lib/machine-env-matrix.nix', line: '11', col: '5', endLine: '11', endColumn: '14', title: 'unknown-registry-key' });
  assert.equal(key?.command, 'error');
  assert.match(key!.message, /^Unknown secret key 'deepsek' .* Did you mean 'deepseek'\?\nEvaluation throws "Unknown secret key in envMatrix: deepsek"\.$/);
  assert.deepEqual(lines.map((l) => parseCommand(l)?.props.title), ['unknown-registry-key', 'unknown-dependency', 'import-apply-generators']);
  // outside the working folder: from the folder checked, as SARIF's SRCROOT
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-elsewhere-'));
  roots.push(elsewhere);
  const out = lint(['--format', 'github', fs.realpathSync(EXAMPLE_CLAN)], elsewhere);
  assert.equal(parseCommand(out.stdout.split('\n')[0])?.props.file, 'lib/machine-env-matrix.nix');
});

test('--format github: a name cannot end a property, the command or the line (the escapes the runner reads)', () => {
  const problem = {
    file: path.join(REPO_ROOT, 'a,b:c%d.nix'),
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } },
    severity: 'hint',
    code: 'sops-nix-secret',
    message: "secret 'x%0A::error::forged' 100% here,\nnext: line",
    explanation: 'why\r\nso',
  } as Problem;
  const [line, summary] = githubReport({ findings: [{ problem, root: REPO_ROOT, shown: 'a,b:c%d.nix' }], counts: { files: 1, generators: 0, skipped: 0 }, cwd: REPO_ROOT, roots: [REPO_ROOT] });
  assert.equal(line, "::notice file=a%2Cb%3Ac%25d.nix,line=1,col=1,endLine=1,endColumn=4,title=sops-nix-secret::secret 'x%250A::error::forged' 100%25 here,\\nnext: line%0Awhy\\r\\nso");
  assert.match(summary, /^0 errors, 0 warnings, 1 hint /);
  // the message's own line breaks stay escaped as printable text (base/printable.ts): one line, one command
  assert.deepEqual(parseCommand(line)?.props.file, 'a,b:c%d.nix');
});

/**
 * GitLab's Code Quality report format as its docs give it (docs.gitlab.com, "Code Quality report
 * format"; GitLab publishes no JSON schema of its own): an array of issues, each with a description,
 * a check_name, a fingerprint, a severity of five and location.path with location.lines.begin.
 */
const CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          path: { type: 'string', pattern: '^[^/]' },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
};
interface CodeQualityIssue {
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}
const validateCodeQuality = new Ajv2020({ allErrors: true, strict: true }).compile(CODE_QUALITY_SCHEMA);

test('--format gitlab: a Code Quality report GitLab reads, paths from the working folder, fingerprints unique and stable when a finding moves', () => {
  const r = lint(['--format', 'gitlab', 'examples/clan']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as CodeQualityIssue[];
  assert.ok(validateCodeQuality(report), JSON.stringify(validateCodeQuality.errors));
  assert.ok(!validateCodeQuality([{ ...report[0], severity: 'error' }]), 'the schema can fail');
  assert.deepEqual(report.map((i) => `${i.location.path}:${i.location.lines.begin} ${i.check_name}`), [
    'examples/clan/lib/machine-env-matrix.nix:11 unknown-registry-key',
    'examples/clan/machines/zoe/configuration.nix:12 unknown-dependency',
    'examples/clan/modules/hosts/emily/default.nix:10 import-apply-generators',
  ]);
  assert.equal(report[0].severity, 'major');
  // two equal findings get two fingerprints; a line added above them changes neither
  const body = '{ clan.core.vars.generators.a.dependencies = [ "q" ];\n  clan.core.vars.generators.b.dependencies = [ "q" ]; }\n';
  const root = writeTree({ 'm.nix': body });
  roots.push(root);
  const before = JSON.parse(lint(['--format', 'gitlab', '.'], root).stdout) as CodeQualityIssue[];
  fs.writeFileSync(path.join(root, 'm.nix'), `# a comment\n${body}`);
  const after = JSON.parse(lint(['--format', 'gitlab', '.'], root).stdout) as typeof before;
  assert.equal(new Set(before.map((i) => i.fingerprint)).size, before.length);
  assert.deepEqual(after.map((i) => i.fingerprint), before.map((i) => i.fingerprint));
  assert.deepEqual(after.map((i) => i.location.lines.begin), before.map((i) => i.location.lines.begin + 1));
  // a clean clan: an empty report, not nothing
  const clean = writeTree({ 'm.nix': '{ clan.core.vars.generators.a = { }; }\n' });
  roots.push(clean);
  assert.equal(lint(['--format', 'gitlab', '.'], clean).stdout, '[]\n');
});

test('the corpus clans: text without colour unless forced, no line over 200 characters, no explanation repeated; github annotations; gitlab reports', (t) => {
  const clans = corpusClans();
  if (!clans.length) return t.skip('no corpus (../shared/corpus)');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['NO_COLOR', 'FORCE_COLOR', 'COLUMNS'].includes(k)));
  let annotations = 0;
  for (const clan of clans) {
    const run = (args: string[], extra: Record<string, string> = {}) => spawnSync(process.execPath, [LINT, ...args, clan], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...env, ...extra } }).stdout;
    const text = run([]);
    assert.doesNotMatch(text, /\x1b/, `${clan}: colour on a pipe`);
    assert.match(run([], { FORCE_COLOR: '1' }), /\x1b\[[0-9;]*m/, `${clan}: FORCE_COLOR`);
    const lines = text.trimEnd().split('\n');
    assert.deepEqual(lines.filter((l) => l.length > 200), [], clan);
    const notes = lines.filter((l) => /^ += note: /.test(l));
    assert.equal(new Set(notes).size, notes.length, `${clan}: an explanation repeated`);
    const github = run(['--format', 'github']).trimEnd().split('\n');
    const gitlab = JSON.parse(run(['--format', 'gitlab'])) as unknown[];
    assert.ok(validateCodeQuality(gitlab), `${clan}: ${JSON.stringify(validateCodeQuality.errors)}`);
    // an annotation per finding, as the report has an issue per finding
    assert.equal(github.length - 1, gitlab.length, clan);
    assert.ok(github.slice(0, -1).every((l) => parseCommand(l)?.props.file), clan);
    annotations += gitlab.length;
  }
  assert.ok(annotations > 10, `${annotations} annotations over the corpus`);
});
