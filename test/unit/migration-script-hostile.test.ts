// The migration script of a hostile clan: machine folders and clan roots whose names hold line
// breaks (\n, \r, U+2028, ...) or terminal escapes, sops files and facts folders that are links out
// of the clan, an absolute sopsFile, a public fact named `../../../outside/passwd`, names that
// clan or sops would read as options or subcommands. Each tree is built here (such names do not
// survive git); the script is written, checked with `bash -n`, and run (--dry-run, then for real,
// and as VS Code's untitled editor would hand it over) with stand-in clan, sops and cat on PATH that
// record each call. Nothing injected runs, no read leaves the clan, and each hostile step is listed
// as refused or "by hand" with a printable reason. A file whose content starts with UNREADABLE is
// one its tool fails on (sops on a file it cannot decrypt).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { migrationScriptOfFolder } from '../../server/src/cli/folder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';

const bases: string[] = [];
after(() => bases.forEach((b) => fs.rmSync(b, { recursive: true, force: true })));

const VICTIM = 'VICTIM-outside-the-clan';
const MARKER = 'PWNED';
/** Characters that end a line somewhere (bash, VS Code, JavaScript, Python's splitlines) or that a terminal or editor acts on. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

// One stand-in for clan, sops and cat. Each call appends {tool, argv, ...} to $STANDIN_LOG: `read`
// is the real path of a file it opened. clan parses like argparse (an option before `--` is
// recorded and refused), sops like urfave/cli v1 on Go's flag package (flags end at `--` or the
// first other word; a first positional naming a subcommand runs that subcommand), cat like cat.
const STANDIN = `#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const TOOL = process.env.STANDIN_TOOL_OVERRIDE || path.basename(__filename);
const argv = process.argv.slice(2);
const rec = (o) => fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify({ tool: TOOL, argv, ...o }) + '\\n');
const realOf = (f) => { try { return fs.realpathSync(f); } catch { return path.resolve(f); } };
function print(f) {
  rec({ read: realOf(f) });
  try {
    const data = fs.readFileSync(f);
    if (data.subarray(0, 10).toString() === 'UNREADABLE') { process.stderr.write(TOOL + ': cannot read ' + f + '\\n'); return 1; }
    process.stdout.write(data);
    return 0;
  } catch (e) { process.stderr.write(TOOL + ': ' + e.code + '\\n'); return 1; }
}
if (TOOL === 'clan') {
  const dd = argv.indexOf('--');
  const options = (dd < 0 ? argv : argv.slice(0, dd)).filter((a) => a.startsWith('-') && a !== '-');
  if (options.length) { rec({ options }); process.exit(2); }
  const [group, cmd, ...rest] = argv.filter((_, i) => i !== dd);
  if (group === 'secrets' && cmd === 'get' && rest.length === 1) process.exit(print(path.join('sops', 'secrets', rest[0], 'secret')));
  if (group === 'vars' && cmd === 'get' && rest.length === 2) { rec({}); process.exit(1); }
  if (group === 'vars' && cmd === 'set' && rest.length === 2) { rec({ set: rest, value: fs.readFileSync(0, 'utf8') }); process.exit(0); }
  rec({ unknown: true });
  process.exit(2);
}
if (TOOL === 'sops') {
  const BOOL = new Set(['d', 'decrypt', 'e', 'encrypt', 'r', 'rotate', 'i', 'in-place', 'verbose', 'ignore-mac']);
  const VALUE = new Set(['extract', 'output', 'input-type', 'output-type', 'set', 'config', 'keyservice', 'filename-override']);
  const SUB = new Set(['completion', 'exec-env', 'exec-file', 'publish', 'keyservice', 'filestatus', 'groups', 'updatekeys', 'decrypt', 'encrypt', 'rotate', 'edit', 'set', 'unset', 'help', 'h']);
  const flags = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    const name = a.replace(/^--?/, '').split('=')[0];
    if (VALUE.has(name)) flags[name] = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    else if (BOOL.has(name)) flags[name] = true;
    else { rec({ badFlag: a }); process.exit(1); }
  }
  const pos = argv.slice(i);
  if (pos.length && SUB.has(pos[0])) { rec({ subcommand: pos[0] }); process.exit(0); }
  if (flags.i || flags['in-place']) rec({ inPlace: true });
  if (!(flags.d || flags.decrypt) || pos.length !== 1) { rec({ unknown: true }); process.exit(2); }
  process.exit(print(pos[0]));
}
let status = 0;
let options = true;
for (const a of argv) {
  if (options && a === '--') { options = false; continue; }
  if (options && a.startsWith('-') && a !== '-') { rec({ options: [a] }); process.exit(1); }
  status |= print(a);
}
process.exit(status);
`;

interface Record {
  tool: string;
  argv: string[];
  read?: string;
  set?: string[];
  value?: string;
  options?: string[];
  badFlag?: string;
  subcommand?: string;
  inPlace?: boolean;
  unknown?: boolean;
}

interface Case {
  name: string;
  /** The clan folder's name (the root of the clan), default `clan`. */
  rootName?: string;
  /** The name of the folder beside the clan that holds the victim files (`@OUTSIDE@`), default `outside`. */
  outsideName?: string;
  /** Files of the clan; a value `{ link }` is a symbolic link with that target. */
  files: { [rel: string]: string | { link: string } };
  /** Changes between writing and running the script. */
  afterWriting?: (root: string) => void;
  /** Lines the real run prints (each pattern matches one line). */
  prints: RegExp[];
  /** `clan vars set` calls of the real run: `<machine> <var>=<value>`, sorted. */
  sets: string[];
  /** The real run's exit status, when the case says. */
  status?: number;
}

const codePoints = (s: string) => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
const config = (body: string) => `{ config, ... }:\n{\n${body}\n}\n`;
/** A flake that names clan: its machines/ folders are clan's machines (a flake of sops-nix alone is no clan). */
const FLAKE = '{ inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz"; outputs = _: { }; }\n';
/** Machine host with a sops-nix secret and a facts service of a public and a secret fact, each stored where clan keeps it. */
const HOST_VALUES: { [file: string]: string } = {
  'flake.nix': FLAKE,
  'machines/host/configuration.nix': config('  sops.defaultSopsFile = ../../secrets/host.yaml;\n  sops.secrets.k = { };\n  clan.core.facts.services.svc.public.pub = { };\n  clan.core.facts.services.svc.secret.key = { };'),
  'machines/host/facts/pub': 'PUB',
  'secrets/host.yaml': 'SOPS',
  'sops/secrets/host-key/secret': 'KEY',
};
const BY_NAME = config(`  sops.secrets.k = { sopsFile = config.somewhere; };\n  clan.core.facts.services.svc.public.pub = { };`);

const CASES: Case[] = [
  ...['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f', '\x1b]0;title\x07'].map(
    (brk): Case => ({
      name: `a machine folder named with ${codePoints(brk)} followed by a command`,
      files: { 'flake.nix': FLAKE, [`machines/x${brk}touch ${MARKER} #/configuration.nix`]: BY_NAME, [`machines/x${brk}touch ${MARKER} #/facts/pub`]: 'PUB', 'machines/ok/configuration.nix': BY_NAME, 'machines/ok/facts/pub': 'OK-PUB' },
      prints: [/^refused: machine "x\\.*touch PWNED #".* svc\/pub: /, /^refused: machine "x\\.*touch PWNED #".* k\/value: /, /^by hand: ok k\/value: /, /^set ok svc\/pub from /],
      sets: ['ok svc/pub=OK-PUB'],
    }),
  ),
  ...['\n', '\r', '\u2028'].map(
    (brk): Case => ({
      name: `a clan folder named with ${codePoints(brk)} followed by a command`,
      rootName: `clan${brk}touch ${MARKER} #`,
      files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': BY_NAME, 'machines/host/facts/pub': 'PUB' },
      prints: [/^by hand: host k\/value: /, /^set host svc\/pub from machines\/host\/facts\/pub$/],
      sets: ['host svc/pub=PUB'],
    }),
  ),
  {
    name: 'a sops file that is a link out of the clan',
    files: {
      'flake.nix': FLAKE,
      'machines/host/configuration.nix': config('  sops.defaultSopsFile = ../../secrets/host.yaml;\n  sops.secrets.k = { };'),
      'secrets/host.yaml': { link: '../../outside/victim.yaml' },
    },
    prints: [/^by hand: host k\/value: .*secrets\/host\.yaml.* outside the clan/],
    sets: [],
  },
  {
    name: 'an absolute sopsFile outside the clan',
    files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': config('  sops.secrets.k = { sopsFile = @OUTSIDE@/victim.yaml; format = "binary"; };') },
    prints: [/^by hand: host k\/value: .*victim\.yaml.* outside the clan/],
    sets: [],
  },
  {
    name: 'a public fact named ../../../outside/passwd',
    files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': config('  clan.core.facts.services.svc.public."../../../outside/passwd" = { };') },
    prints: [/^refused: machine host, var "?svc\/\.\.\/\.\.\/\.\.\/outside\/passwd"?: .*'\.\.'/],
    sets: [],
  },
  {
    name: 'a clan secret folder that is a link out of the clan',
    files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': config('  clan.core.facts.services.svc.secret.key = { };'), 'sops/secrets/host-key': { link: '../../../outside' } },
    prints: [/^by hand: host svc\/key: clan secret host-key: it resolves outside the clan/],
    sets: [],
  },
  {
    name: 'a facts folder that is a link out of the clan',
    files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': config('  clan.core.facts.services.svc.public.pub = { };'), 'machines/host/facts': { link: '../../../outside/facts' } },
    prints: [/^by hand: host svc\/pub: .*machines\/host\/facts\/pub.* outside the clan/],
    sets: [],
  },
  {
    name: 'links out and a FIFO planted after the script was written',
    files: {
      ...HOST_VALUES,
      'machines/other/configuration.nix': config('  clan.core.facts.services.svc.public.pub = { };'),
      'machines/other/facts/pub': 'OTHER',
    },
    afterWriting: (root) => {
      for (const p of ['secrets/host.yaml', 'machines/host/facts', 'machines/other/facts/pub', 'sops/secrets/host-key']) fs.rmSync(path.join(root, p), { recursive: true });
      fs.symlinkSync('../../outside/victim.yaml', path.join(root, 'secrets/host.yaml'));
      fs.symlinkSync('../../../outside', path.join(root, 'sops/secrets/host-key'));
      fs.symlinkSync('../../../outside/facts', path.join(root, 'machines/host/facts'));
      assert.equal(spawnSync('mkfifo', [path.join(root, 'machines/other/facts/pub')]).status, 0);
    },
    prints: [/^not reading .*secrets\/host\.yaml.*: it resolves outside the clan; host k\/value not set$/, /^not reading machines\/host\/facts\/pub: it resolves outside the clan; host svc\/pub not set$/, /^cannot read machines\/other\/facts\/pub: other svc\/pub not set$/, /^not reading clan secret host-key: it resolves outside the clan; host svc\/key not set$/],
    sets: [],
  },
  {
    name: "links planted after writing into a folder beside the clan whose name starts with the clan's (clan-evil)",
    outsideName: 'clan-evil',
    files: {
      ...HOST_VALUES,
    },
    afterWriting: (root) => {
      for (const p of ['secrets/host.yaml', 'machines/host/facts', 'sops/secrets/host-key']) fs.rmSync(path.join(root, p), { recursive: true });
      fs.symlinkSync('../../clan-evil/victim.yaml', path.join(root, 'secrets/host.yaml'));
      fs.symlinkSync('../../../clan-evil', path.join(root, 'sops/secrets/host-key'));
      fs.symlinkSync('../../../clan-evil/facts', path.join(root, 'machines/host/facts'));
    },
    prints: [/^not reading .*secrets\/host\.yaml.*: it resolves outside the clan; host k\/value not set$/, /^not reading machines\/host\/facts\/pub: it resolves outside the clan; host svc\/pub not set$/, /^not reading clan secret host-key: it resolves outside the clan; host svc\/key not set$/],
    sets: [],
    status: 1,
  },
  {
    name: "links written before the script into a folder beside the clan whose name starts with the clan's (clan2)",
    outsideName: 'clan2',
    files: {
      'flake.nix': FLAKE,
      'machines/host/configuration.nix': config('  sops.defaultSopsFile = ../../secrets/host.yaml;\n  sops.secrets.k = { };\n  clan.core.facts.services.svc.public.pub = { };'),
      'secrets/host.yaml': { link: '../../clan2/victim.yaml' },
      'machines/host/facts': { link: '../../../clan2/facts' },
    },
    prints: [/^by hand: host k\/value: .*secrets\/host\.yaml.* outside the clan/, /^by hand: host svc\/pub: .*machines\/host\/facts\/pub.* outside the clan/],
    sets: [],
    status: 1,
  },
  {
    name: 'a fact never stored when the script was written, a dangling link when it runs',
    files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': config('  clan.core.facts.services.svc.public.pub = { };'), 'machines/other/configuration.nix': config('  clan.core.facts.services.svc.public.pub = { };') },
    afterWriting: (root) => {
      fs.mkdirSync(path.join(root, 'machines/host/facts'));
      fs.symlinkSync('../../../outside/missing', path.join(root, 'machines/host/facts/pub'));
    },
    prints: [/^cannot read machines\/host\/facts\/pub: host svc\/pub not set$/, /^nothing stored for other svc\/pub \(machines\/other\/facts\/pub\): nothing to move$/],
    sets: [],
    status: 1,
  },
  {
    name: 'a fact never stored, still absent when the script runs: nothing to move, and the run succeeds',
    files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': config('  clan.core.facts.services.svc.public.pub = { };') },
    prints: [/^nothing stored for host svc\/pub \(machines\/host\/facts\/pub\): nothing to move$/],
    sets: [],
    status: 0,
  },
  {
    name: 'a value its tool cannot read (sops fails on the file): not set, nothing piped into clan vars set',
    files: {
      'flake.nix': FLAKE,
      'machines/host/configuration.nix': config('  sops.secrets.k = { sopsFile = ../../secrets/k; format = "binary"; };\n  sops.secrets.ok = { sopsFile = ../../secrets/ok; format = "binary"; };'),
      'secrets/k': 'UNREADABLE by sops',
      'secrets/ok': 'OK',
    },
    prints: [/^cannot read sops file secrets\/k: host k\/value not set$/, /^set host ok\/value from sops file secrets\/ok$/],
    sets: ['host ok/value=OK'],
    status: 1,
  },
  {
    name: 'names clan or sops would read as options or subcommands',
    files: {
      'flake.nix': FLAKE,
      'machines/--help/configuration.nix': config('  clan.core.facts.services.svc.public.pub = { };'),
      'machines/--help/facts/pub': 'HELP',
      'machines/host/configuration.nix': config(
        [
          '  sops.secrets.ks = { sopsFile = ../../keyservice; format = "binary"; };',
          '  sops.secrets.ip = { sopsFile = ../../--in-place; format = "binary"; };',
          '  sops.secrets."--help" = { };',
          '  sops.secrets."../../../outside" = { };',
          '  clan.core.facts.services."-g".public.x = { };',
        ].join('\n'),
      ),
      keyservice: 'KS',
      '--in-place': 'IP',
      'sops/secrets/--help/secret': 'HELP-SECRET',
    },
    prints: [/^refused: machine "--help", var svc\/pub: .*'-'/, /^refused: machine host, var "-g\/x": .*'-'/, /^by hand: host help\/value: /, /^by hand: host outside\/value: /, /^set host ks\/value from sops file keyservice$/, /^set host ip\/value from sops file --in-place$/],
    sets: ['host ip/value=IP', 'host ks/value=KS'],
  },
];

function build(c: Case) {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-hostile-')));
  bases.push(base);
  const outside = path.join(base, c.outsideName ?? 'outside');
  fs.mkdirSync(path.join(outside, 'facts'), { recursive: true });
  for (const f of ['victim.yaml', 'passwd', 'secret', 'facts/pub']) fs.writeFileSync(path.join(outside, f), VICTIM);
  const root = path.join(base, c.rootName ?? 'clan');
  for (const [rel, content] of Object.entries(c.files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(full, content.replaceAll('@OUTSIDE@', outside));
    else fs.symlinkSync(content.link, full);
  }
  const bin = path.join(base, 'bin');
  fs.mkdirSync(bin);
  for (const tool of ['clan', 'sops', 'cat']) fs.writeFileSync(path.join(bin, tool), STANDIN, { mode: 0o755 });
  return { base, root, bin, log: path.join(base, 'calls.jsonl') };
}

function run(script: string, args: string[], cwd: string, bin: string, log: string) {
  const r = spawnSync('bash', [script, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log } });
  assert.notEqual(r.status, null, `the script did not finish (a read that blocks?): ${r.error}\n${r.stdout}${r.stderr}`);
  return { out: r.stdout + r.stderr, status: r.status };
}

const records = (log: string): Record[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record) : []);

for (const c of CASES) {
  test(`migration script, hostile clan: ${c.name}`, async () => {
    const { base, root, bin, log } = build(c);
    const text = await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {});
    const script = path.join(base, 'migrate-to-vars.sh');
    fs.writeFileSync(script, text);
    // what VS Code's untitled editor hands over: every \r\n or lone \r a line break
    const edited = path.join(base, 'edited.sh');
    fs.writeFileSync(edited, text.replace(/\r\n?/g, '\n'));
    const syntax = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    c.afterWriting?.(root);

    const outputs = [run(edited, ['--dry-run'], root, bin, log).out, run(script, ['--dry-run'], root, bin, log).out];
    const dryCalls = records(log);
    const realRun = run(script, [], root, bin, log);
    outputs.push(realRun.out);
    const calls = records(log);

    for (const dir of [root, base, path.dirname(root)]) assert.ok(!fs.existsSync(path.join(dir, MARKER)), `an injected command ran (${dir}/${MARKER})`);
    text.split('\n').forEach((l, i) => assert.ok(!UNSAFE.test(l), `line ${i + 1} holds a line break or control character: ${JSON.stringify(l)}`));
    const realRoot = fs.realpathSync(root);
    for (const r of calls) {
      assert.ok(!r.options && !r.badFlag && !r.subcommand && !r.inPlace && !r.unknown, `a name was read as an option or subcommand: ${JSON.stringify(r)}`);
      if (r.read) assert.ok(r.read.startsWith(realRoot + path.sep), `a read left the clan: ${JSON.stringify(r)}`);
      assert.ok(!r.value?.includes(VICTIM), `a value from outside the clan was set: ${JSON.stringify(r)}`);
    }
    assert.ok(!dryCalls.some((r) => r.set), 'the dry run sets nothing');
    for (const o of outputs) {
      assert.ok(!o.includes(VICTIM), `a value from outside the clan in the output:\n${o}`);
      o.split('\n').forEach((l) => assert.ok(!UNSAFE.test(l), `the run printed a control character: ${JSON.stringify(l)}`));
    }
    const real = outputs[2].split('\n');
    for (const p of c.prints) assert.ok(real.some((l) => p.test(l)), `no line matches ${p}:\n${outputs[2]}`);
    const sets = calls.filter((r) => r.set).map((r) => `${r.set!.join(' ')}=${r.value}`);
    assert.deepEqual(sets.sort(), c.sets);
    if (c.status !== undefined) assert.equal(realRun.status, c.status, outputs[2]);
  });
}

test('migration script: runs as an executable of its own (its #! line), and says so and stops where realpath is missing', async () => {
  const c: Case = { name: 'plain', files: { 'flake.nix': FLAKE, 'machines/host/configuration.nix': config('  clan.core.facts.services.svc.public.pub = { };'), 'machines/host/facts/pub': 'PUB' }, prints: [], sets: [] };
  const { base, root, bin, log } = build(c);
  const script = path.join(base, 'migrate-to-vars.sh');
  fs.writeFileSync(script, await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}), { mode: 0o755 });
  const direct = spawnSync(script, ['--dry-run'], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log } });
  assert.equal(direct.error, undefined, 'the script runs as an executable');
  assert.match(direct.stdout, /^would set host svc\/pub from machines\/host\/facts\/pub$/m);
  // a PATH with the stand-ins and node, but no realpath
  const bare = path.join(base, 'bare');
  fs.mkdirSync(bare);
  for (const tool of ['clan', 'sops', 'cat']) fs.copyFileSync(path.join(bin, tool), path.join(bare, tool));
  fs.chmodSync(path.join(bare, 'clan'), 0o755);
  fs.symlinkSync(process.execPath, path.join(bare, 'node'));
  fs.rmSync(log, { force: true });
  const r = spawnSync('/bin/bash', [script], { cwd: root, encoding: 'utf8', env: { PATH: bare, STANDIN_LOG: log } });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /this script needs realpath/);
  assert.deepEqual(records(log), [], 'nothing was read or set');
});
