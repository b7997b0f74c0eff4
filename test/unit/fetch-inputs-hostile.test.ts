// The fetch plan (the editor's Fetch Flake Inputs; the checker's --fetch-inputs shares it) on
// hostile trees built here: git settings that run programs, in every place git reads them from, are
// refused by name (and the ones that do not run anything, or that the child's environment
// overrides, are not); a configuration git cannot be shown in full is refused; the inputs flake.lock
// locks on this disk outside the clan are listed unless named; a `nix` of the clan reached through
// PATH is never the one planned, and the child's PATH holds no entry of the clan.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { planFetch } from '../../client/src/vars/fetchInputsRun';
import { planArchive } from '../../server/src/actions/fetchPlan';
import { flakeNixRefs } from '../../server/src/actions/flakeNixRefs';
import { git } from '../helpers/hostileRepo';
import { removeTree, writeTree } from '../helpers/tempClan';

const bases: string[] = [];
after(() => bases.forEach(removeTree));

const ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent-home' };

function tree(files: Record<string, string>): string {
  const base = writeTree(files);
  bases.push(base);
  return base;
}

/** A clan at `<base>/clan` that is a git repository (not committed: git init is enough for git to read its config). */
function repoClan(files: Record<string, string> = {}): { base: string; clan: string } {
  const base = tree({ 'clan/flake.nix': '{ outputs = _: { }; }\n', ...files });
  const clan = path.join(base, 'clan');
  git(clan, ENV, 'init', '-q');
  return { base, clan };
}

async function refusal(root: string, env = ENV): Promise<string> {
  const plan = await planFetch(root, true, flakeNixRefs, env);
  assert.ok('refuse' in plan, `expected a refusal, got ${JSON.stringify(plan)}`);
  return plan.refuse;
}

async function run(root: string, env = ENV) {
  const plan = await planFetch(root, true, flakeNixRefs, env);
  assert.ok('run' in plan, `expected a run, got ${JSON.stringify(plan)}`);
  return plan;
}

const RUNS: [config: string, name: string][] = [
  ['[filter "x"]\n\tclean = p\n', 'filter.x.clean'],
  ['[Filter "X.y"]\n\tProcess = p\n', 'filter.X.y.process'],
  ['[filter "c"]\n\tsmudge = a\\\n b\n', 'filter.c.smudge'],
  ['[diff "t"]\n\ttextconv = p\n', 'diff.t.textconv'],
  ['[diff]\n\texternal = p\n', 'diff.external'],
  ['[core]\n\tsshCommand = p\n', 'core.sshcommand'],
  ['[core] pager = p\n', 'core.pager'],
  ['[core]\n\taskPass = p\n', 'core.askpass'],
  ['[pager]\n\tlog = p\n', 'pager.log'],
  ['[credential]\n\thelper = p\n', 'credential.helper'],
  ['[credential "https://example.org"]\n\thelper = p\n', 'credential.https://example.org.helper'],
  ['[protocol "ext"]\n\tallow = always\n', 'protocol.ext.allow'],
  ['[merge "m"]\n\tdriver = p\n', 'merge.m.driver'],
  ['[gpg]\n\tprogram = p\n', 'gpg.program'],
  ['[gpg "ssh"]\n\tdefaultKeyCommand = p\n', 'gpg.ssh.defaultkeycommand'],
  ['[submodule "s"]\n\tupdate = !p\n', 'submodule.s.update'],
  ['[remote "origin"]\n\tuploadpack = p\n', 'remote.origin.uploadpack'],
  ['[lfs "customtransfer.t"]\n\tpath = p\n', 'lfs.customtransfer.t.path'],
  ['[weird.FILTER]\n\tx = 1\n[filter.dotted]\n\tclean = p\n', 'filter.dotted.clean'],
];

const RUNS_NOTHING = [
  '[core]\n\tfsmonitor = /usr/local/bin/watchman-hook\n\thooksPath = .githooks\n',
  '[credential]\n\thelper =\n',
  '[protocol "ext"]\n\tallow = never\n',
  '[alias]\n\tst = !sh -c status\n',
  '[submodule "s"]\n\tupdate = rebase\n',
  '[diff "t"]\n\txfuncname = ^x\n',
  '[filter "lfs"]\n\trequired = true\n',
  '[remote "origin"]\n\turl = https://example.org/clan.git\n',
];

test('git settings that run a program are refused by name; settings that run nothing (or are overridden) are not', async () => {
  for (const [config, name] of RUNS) {
    const { clan } = repoClan();
    fs.appendFileSync(path.join(clan, '.git', 'config'), config);
    const why = await refusal(clan);
    assert.ok(why.includes(`makes git run programs: ${name} (in ${path.join(clan, '.git', 'config')})`), `${JSON.stringify(config)}: ${why}`);
  }
  for (const config of RUNS_NOTHING) {
    const { clan } = repoClan();
    fs.appendFileSync(path.join(clan, '.git', 'config'), config);
    await run(clan);
  }
});

test('a linked worktree: the main repository\'s config and its own config.worktree are read', async () => {
  const { base, clan } = repoClan({ 'clan/a.nix': '{ }\n' });
  git(clan, ENV, 'add', '-A');
  git(clan, ENV, 'commit', '-q', '-m', 'a');
  git(clan, ENV, 'worktree', 'add', '-q', path.join(base, 'wt'));
  const wt = path.join(base, 'wt');
  await run(wt);
  git(clan, ENV, 'config', 'extensions.worktreeConfig', 'true');
  git(wt, ENV, 'config', '--worktree', 'diff.w.textconv', 'p');
  assert.match(await refusal(wt), /makes git run programs: diff\.w\.textconv \(in .*\/\.git\/worktrees\/wt\/config\.worktree\)/);
  git(wt, ENV, 'config', '--worktree', '--unset', 'diff.w.textconv');
  git(clan, ENV, 'config', 'core.sshCommand', 'p');
  assert.match(await refusal(wt), /core\.sshcommand \(in .*\/clan\/\.git\/config\)/);
});

test('a .git that is not a repository, or a parent laid out as a bare one, does not hide the configuration git reads', async () => {
  const base = tree({ 'repo/clan/flake.nix': '{ }' });
  const repo = path.join(base, 'repo');
  git(repo, ENV, 'init', '-q');
  fs.mkdirSync(path.join(repo, 'clan', '.git')); // empty: git goes on looking upward
  git(repo, ENV, 'config', 'filter.up.clean', 'p');
  assert.match(await refusal(path.join(repo, 'clan')), /filter\.up\.clean \(in .*\/repo\/\.git\/config\)/);
  const bare = path.join(base, 'bare');
  git(base, ENV, 'init', '-q', '--bare', bare);
  fs.mkdirSync(path.join(bare, 'clan'));
  fs.writeFileSync(path.join(bare, 'clan', 'flake.nix'), '{ }');
  git(bare, ENV, 'config', 'core.sshCommand', 'p');
  assert.match(await refusal(path.join(bare, 'clan')), /core\.sshcommand \(in .*\/bare\/config\)/);
});

test('a git configuration that cannot be read in full: refused at once (an included FIFO, a bad line, an include only git resolves)', async () => {
  const { base, clan } = repoClan();
  const config = path.join(clan, '.git', 'config');
  const plain = fs.readFileSync(config, 'utf8');
  spawnSync('mkfifo', [path.join(base, 'fifo')]);
  for (const [extra, why] of [
    [`[include]\n\tpath = ${path.join(base, 'fifo')}\n`, /is not a regular file/],
    ['[core\n', /bad config line/],
    ['[include]\n\tpath = %(prefix)/etc/x\n', /which only git can resolve/],
  ] as const) {
    fs.writeFileSync(config, plain + extra);
    assert.match(await refusal(clan), why);
  }
  // an include of itself is read once, and a missing include is skipped (as git does)
  fs.writeFileSync(config, `${plain}[include]\n\tpath = config\n\tpath = missing\n`);
  await run(clan);
});

/** A lock whose root has the given inputs (each named as its node), and more nodes. */
const lock = (rootInputs: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  JSON.stringify({ nodes: { root: { inputs: Object.fromEntries(Object.keys(rootInputs).map((n) => [n, n])) }, ...rootInputs, ...more }, root: 'root', version: 7 });
const pathNode = (p: string) => ({ locked: { type: 'path', path: p, narHash: 'sha256-x' }, original: { type: 'path', path: p } });

test('inputs flake.lock locks on this disk outside the clan are listed, unless named; inside ones, remote ones and ones in a store are not', async () => {
  const base = tree({ 'outside/flake.nix': '{ }', 'outside/x/flake.nix': '{ }', 'elsewhere/flake.nix': '{ }', 'clan/inner/flake.nix': '{ }', 'clan/flake.nix': '{ }' });
  const elsewhere = path.join(base, 'elsewhere');
  const clan = path.join(base, 'clan');
  const out = path.join(base, 'outside');
  fs.symlinkSync(out, path.join(clan, 'link'));
  git(out, ENV, 'init', '-q');
  const nodes = {
    abs: pathNode(elsewhere),
    inner: pathNode('./inner'),
    link: pathNode('./link'),
    up: pathNode('../outside/x'),
    repo: { locked: { type: 'git', url: `file://${out}`, rev: 'a' }, original: { type: 'git', url: `file://${out}` } },
    tar: { locked: { type: 'tarball', url: `file://${out}/x.tar.gz` }, original: { type: 'tarball', url: `file://${out}/x.tar.gz` } },
    file: { locked: { type: 'file', url: `file+file://${out}/y` }, original: { type: 'file', url: `file+file://${out}/y` } },
    gh: { inputs: { sub: 'sub' }, locked: { type: 'github', owner: 'o', repo: 'r', rev: 'a' }, original: { type: 'github', owner: 'o', repo: 'r' } },
    // the registry's nixpkgs on NixOS: already in the store, readable by every user
    nixpkgs: { locked: { type: 'path', path: '/nix/store/00000000000000000000000000000000-source' }, original: { type: 'indirect', id: 'nixpkgs' } },
    stored: pathNode(path.join(base, 'store', 'x-source')),
  };
  // relative to the GitHub input's copy in the store: not on this disk
  fs.writeFileSync(path.join(clan, 'flake.lock'), lock(nodes, { sub: pathNode('../../x') }));
  const env = { ...ENV, NIX_STORE_DIR: path.join(base, 'store') };
  const plan = await run(clan, env);
  assert.deepEqual(plan.outside.map((i) => [i.node, i.kind, i.path]).sort(), [
    ['abs', 'path', elsewhere],
    ['file', 'file', `${out}/y`],
    ['link', 'path', path.join(clan, 'link')],
    ['repo', 'git', out],
    ['tar', 'tarball', `${out}/x.tar.gz`],
    ['up', 'path', `${out}/x`],
  ]);
  const named = await planArchive(clan, env, { flakeNixRefs, named: [elsewhere, out, `${out}/y`, `${out}/x.tar.gz`, path.join(clan, 'link', 'x')] });
  assert.ok('run' in named && named.run.unnamed.length === 0, `named by their paths, or through a link: ${JSON.stringify(named)}`);

  // the local git input's own configuration is checked like the clan's
  git(out, ENV, 'config', 'filter.f.clean', 'p');
  assert.match(await refusal(clan), /nix runs git in a local git input, and its own git configuration makes git run programs: filter\.f\.clean/);
});

test('a lock that cannot be listed is refused: a FIFO, not a lock, a $Format: placeholder, a local Mercurial input', async () => {
  const base = tree({ 'clan/flake.nix': '{ }' });
  const clan = path.join(base, 'clan');
  const file = path.join(clan, 'flake.lock');
  spawnSync('mkfifo', [file]);
  assert.match(await refusal(clan), /flake\.lock cannot be read \(.*is not a regular file\)/);
  fs.rmSync(file);
  for (const [text, why] of [
    ['[]', /flake\.lock is not a flake lock/],
    [lock({ a: { locked: { type: 'github', owner: 'o', repo: 'r', rev: '$Format:%H$' } } }), /holds '\$Format:'/],
    [lock({ h: { locked: { type: 'hg', url: 'file:///srv/hg/repo' } } }), /the input 'h' is the Mercurial repository \/srv\/hg\/repo on this disk/],
  ] as const) {
    fs.writeFileSync(file, text);
    assert.match(await refusal(clan), why);
  }
});

test('PATH: a nix of the clan (".", an entry inside it, a link into it) is never planned; the child PATH keeps only entries outside', async () => {
  const base = tree({ 'clan/flake.nix': '{ }', 'clan/nix': '#!/bin/sh\n', 'clan/bin/nix': '#!/bin/sh\n', 'tools/nix': '#!/bin/sh\n' });
  const clan = path.join(base, 'clan');
  for (const f of ['clan/nix', 'clan/bin/nix', 'tools/nix']) fs.chmodSync(path.join(base, f), 0o755);
  fs.mkdirSync(path.join(base, 'links'));
  fs.symlinkSync(path.join(clan, 'nix'), path.join(base, 'links', 'nix'));
  const PATH = ['.', 'bin', '', path.join(clan, 'bin'), path.join(base, 'links'), path.join(base, 'tools')].join(path.delimiter);
  const plan = await run(clan, { PATH });
  assert.equal(plan.run.argv[0], path.join(base, 'tools', 'nix'));
  assert.equal(plan.env.PATH, path.join(base, 'tools'));
  assert.equal(plan.env.GIT_CONFIG_COUNT, '2');
  assert.deepEqual([plan.env.GIT_CONFIG_KEY_0, plan.env.GIT_CONFIG_VALUE_0, plan.env.GIT_CONFIG_KEY_1, plan.env.GIT_CONFIG_VALUE_1], ['core.fsmonitor', 'false', 'core.hooksPath', '/dev/null']);
  const onlyInside = await refusal(clan, { PATH: ['.', path.join(clan, 'bin'), path.join(base, 'links')].join(path.delimiter) });
  assert.ok(onlyInside.includes(`'nix' was not found on PATH outside the clan and its repository (left out: '.' (relative to the working folder), '${path.join(clan, 'bin')}' (inside ${clan}), '${path.join(base, 'links')}' (its nix is a link to ${path.join(clan, 'nix')}))`), onlyInside);
});

test('flake.nix: each way of writing an input on this disk is listed (quoted, escaped, computed names, an input of an input, indented strings); a url in a function is not', async () => {
  const base = tree({ 'clan/inner/flake.nix': '{ }', 'o/h/flake.nix': '{ }' });
  const clan = path.join(base, 'clan');
  const o = path.join(base, 'o');
  git(path.join(o, 'h'), ENV, 'init', '-q');
  const flake = `{
  inputs.a.url = "path:${o}/a";
  "inputs" = { b = { type = "path"; path = ''${o}/b''; }; };
  \${"inputs"}.c.url = "${o}/c";
  inputs.d = { url = "p\\ath:${o}/d"; flake = false; };
  inputs.gh.url = "github:o/r";
  inputs.gh.inputs.e.url = "git+file://${o}/e";
  inputs.f.url = "tarball+file://${o}/f.tar.gz";
  inputs.h.url = "${o}/h";
  inputs.rel.url = "path:./inner";
  inputs.up = { type = "path"; path = "../o/g"; };
  outputs = { self, ... }: { url = "${o}/nope"; x = "path:${o}/nope2"; };
}
`;
  fs.writeFileSync(path.join(clan, 'flake.nix'), flake);
  const plan = await run(clan);
  assert.deepEqual(plan.outside.map((i) => [i.node, i.kind, i.path]).sort(), [
    ['flake.nix ${...}.c.url', 'path', `${o}/c`],
    ['flake.nix inputs.a.url', 'path', `${o}/a`],
    ['flake.nix inputs.b.path', 'path', `${o}/b`],
    ['flake.nix inputs.d.url', 'path', `${o}/d`],
    ['flake.nix inputs.f.url', 'tarball', `${o}/f.tar.gz`],
    ['flake.nix inputs.gh.inputs.e.url', 'git', `${o}/e`],
    ['flake.nix inputs.h.url', 'git', `${o}/h`],
    ['flake.nix inputs.up.path', 'path', `${o}/g`],
  ]);
});

test('a clean repository whose committed flake.nix names an outside input and the one on disk does not (skip-worktree): listed; a committed $Format: refused', async () => {
  const base = tree({ 'clan/flake.nix': '{ inputs.k.url = "path:/srv/keys"; outputs = _: { }; }\n' });
  const clan = path.join(base, 'clan');
  git(clan, ENV, 'init', '-q');
  git(clan, ENV, 'add', '-A');
  git(clan, ENV, 'commit', '-q', '-m', 'a');
  git(clan, ENV, 'update-index', '--skip-worktree', 'flake.nix');
  fs.writeFileSync(path.join(clan, 'flake.nix'), '{ outputs = _: { }; }\n');
  const plan = await run(clan);
  assert.deepEqual(plan.outside.map((i) => [i.node, i.path]), [['flake.nix inputs.k.url', '/srv/keys']]);
  fs.writeFileSync(path.join(clan, 'flake.nix'), '{ inputs.k.url = "$Format:%s$"; outputs = _: { }; }\n');
  git(clan, ENV, 'update-index', '--no-skip-worktree', 'flake.nix');
  git(clan, ENV, 'commit', '-q', '-a', '-m', 'path:/srv/keys');
  git(clan, ENV, 'update-index', '--skip-worktree', 'flake.nix');
  fs.writeFileSync(path.join(clan, 'flake.nix'), '{ outputs = _: { }; }\n');
  assert.match(await refusal(clan), /the committed flake\.nix \(HEAD\) holds '\$Format:'/);
});
