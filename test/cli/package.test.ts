// The .vsix a user installs: `vsce` packages it, and it holds the bundles, the wasm files, the
// grammars and the docs the README links to, and no node_modules.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tempClan';

const VSCE = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const FLAGS = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', 'README.user.md'];
/** The README the .vsix shows: for users of the extension; README.md is for developers of Clan Vars. */
const USER_README = 'README.user.md';
/** For people working on Clan Vars, not its users: in the repository, not in the .vsix. */
const DEVELOPER_DOCS = ['docs/architecture.md', 'docs/evaluator.md', 'docs/robustness.md', 'docs/testing.md'];

test('package: vsce lists exactly the runtime files', () => {
  const r = spawnSync(process.execPath, [VSCE, 'ls', '--no-dependencies', '--readme-path', USER_README], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').sort();
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/scanWorker.js', 'dist/webview.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-nix.wasm', 'syntaxes/nix.tmLanguage.json', 'language-configuration.json', 'docs/diagnostics.md', USER_README, 'CHANGELOG.md', 'LICENSE', 'media/icon.png', 'package.json']) {
    assert.ok(files.includes(f), `${f} is not packaged: ${files.join(', ')}`);
  }
  assert.deepEqual(files.filter((f) => f.startsWith('node_modules/') || f.startsWith('server/src') || f.startsWith('test/') || f.endsWith('.map')), []);
  assert.ok(!files.includes('README.md'), 'the developer README is not packaged');
  // the docs for developers of Clan Vars are not in it
  assert.deepEqual(files.filter((f) => DEVELOPER_DOCS.includes(f)), []);
  // every relative link of every packaged Markdown file (the README the .vsix shows included) leads
  // to a packaged file: inside the .vsix, nothing else is there
  const broken: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.md'))) {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
    for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(link) || link.startsWith('#')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), link.split('#')[0]));
      if (!files.includes(target)) broken.push(`${file} -> ${link}`);
    }
  }
  assert.deepEqual(broken, []);
});

test("package: the .vsix's README is for users: short, every command and every setting of package.json in it", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, USER_README), 'utf8');
  assert.ok(readme.length < 12_000, `${readme.length} characters: the developer README's benchmarks and development notes stay out`);
  assert.doesNotMatch(readme, /^## (Performance|Development)/m);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  for (const { title } of manifest.contributes.commands as { title: string }[]) assert.ok(readme.includes(title), `the command '${title}' is in ${USER_README}`);
  // the settings table: one row per setting, with its default as package.json gives it
  const rows = new Map([...readme.matchAll(/^\| `(clanVars\.[\w.]+)` \| `([^`]*)` \|/gm)].map((m) => [m[1], m[2]]));
  for (const [key, setting] of Object.entries(manifest.contributes.configuration.properties as Record<string, { default: unknown }>)) {
    assert.equal(rows.get(key), JSON.stringify(setting.default).replace(/,/g, ', '), `${key}: its row in ${USER_README} gives its default`);
  }
  assert.equal(rows.size, Object.keys(manifest.contributes.configuration.properties).length);
});

test('package: the shipped bundles are minified and name no source map (CLAN_VARS_PACKAGE=1, as npm run package builds them)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-bundles-'));
  try {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CLAN_VARS_PACKAGE: '1', CLAN_VARS_DIST: out } });
    assert.equal(r.status, 0, r.stderr);
    const size = (f: string) => fs.statSync(path.join(out, f)).size;
    for (const f of ['client.js', 'server.js', 'scanWorker.js', 'webview.js']) {
      assert.doesNotMatch(fs.readFileSync(path.join(out, f), 'utf8'), /sourceMappingURL/, `${f} names no map`);
      assert.ok(size(f) < fs.statSync(path.join(REPO_ROOT, 'dist', f)).size, `${f} is smaller than the readable build`);
    }
    assert.deepEqual(fs.readdirSync(out).filter((f) => f.endsWith('.map')), []);
    assert.ok(size('client.js') < size('server.js'), `the client (${size('client.js')} bytes) is smaller than the server (${size('server.js')})`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('package: every file .vscodeignore keeps exists (no stale names)', () => {
  const kept = fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  for (const pattern of kept) {
    const dir = pattern.replace(/\/\*\*$/, '');
    assert.ok(fs.existsSync(path.join(REPO_ROOT, dir)), `.vscodeignore keeps '${pattern}', which does not exist`);
  }
});

test('package: the icon is a 128x128 PNG', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const png = fs.readFileSync(path.join(REPO_ROOT, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'width and height from the IHDR chunk');
});

test('package: settings naming a command to run, or a file or folder outside the workspace, are restricted in untrusted workspaces', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  // clanCorePath: a folder anywhere, walked on the request path (VS Code gives the server only the user's value in Restricted Mode)
  const risky = Object.keys(manifest.contributes.configuration.properties).filter((k) => /(Command|File)$/.test(k) || k === 'clanVars.clanCorePath');
  assert.ok(risky.includes('clanVars.ageIdentityFile') && risky.includes('clanVars.clanCommand') && risky.includes('clanVars.clanCorePath'), risky.join(', '));
  assert.deepEqual(risky.filter((k) => !restricted.includes(k)), []);
});

test('package: vsce package writes an installable .vsix', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-vsix-')), 'clan-vars.vsix');
  const r = spawnSync(process.execPath, [VSCE, 'package', ...FLAGS, '-o', out], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const bytes = fs.readFileSync(out);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a .vsix is a zip file');
  assert.ok(bytes.length > 300_000, `suspiciously small: ${bytes.length} bytes`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});
