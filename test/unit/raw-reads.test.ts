// Architecture rules: every read of a file a workspace names goes through the bounded,
// regular-files-only reader (server/src/base/readWorkspaceFile.ts). A plain fs.readFileSync of
// a workspace path hangs on a FIFO and takes gigabytes from a link to /dev/zero; so the core
// (server/src, client/src) may read file contents in no other way, except the few reads below,
// each of a file that is not the workspace's. And the bounded reader, and folder listings, are
// called only through the one confinement rule (server/src/base/confinement.ts: inside the clan or
// a locked input, links resolved), except for the files and folders the user chose, below.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tempClan';

/** The fs functions that read a file's contents, or open it (to read it). */
const READS = ['readFileSync', 'readFile', 'createReadStream', 'openSync', 'open', 'readSync', 'read', 'readv', 'readvSync', 'openAsBlob'];
const FS_MODULES = /^(node:)?fs(\/promises)?$/;

/** "<file>: <call>(<first argument>" -> why this read is not of a workspace file. */
const ALLOWED: Record<string, string> = {
  'server/src/base/readWorkspaceFile.ts: fs.openSync(file': 'the bounded reader itself',
  'server/src/base/readWorkspaceFile.ts: fs.readSync(fd': 'the bounded reader itself',
  'server/src/base/readWorkspaceFile.ts: fsp.open(file': 'the bounded reader itself',
  'server/src/base/cacheFiles.ts: fs.readFileSync(__filename': "buildId: the running bundle's own file",
  'server/src/base/cacheFiles.ts: fs.readFileSync(grammar': 'buildId: the grammar beside the bundle',
  'server/src/cli/codeCache.ts: fs.readFileSync(file': "the checker's bundle in the install folder, which its entry starts (and the build makes a code cache of)",
  'server/src/cli/codeCache.ts: fs.readFileSync(codeCacheOf(file': "the code cache the build made beside the checker's bundle (checked against the bundle's and its own digest)",
  'server/src/syntax/nixParser.ts: fs.readFileSync(grammar': 'the grammar wasm in the install folder',
  'server/src/syntax/nixParser.ts: fs.readFileSync(runtime': "tree-sitter's wasm in the install folder",
  'server/src/syntax/nixParser.ts: fs.readFileSync(statFile': 'CPU time from /proc (a thread\'s, for parse budgets)',
  'server/src/base/diagnosticDocs.ts: fs.readFileSync(candidate': 'docs/diagnostics.md in the install folder',
  'client/src/diagnosticDocs.ts: workspace.fs.readFile(docs': "docs/diagnostics.md in the extension's install folder",
  'server/src/model/inputs/knownInputs.ts: fs.readFileSync(file': 'the shipped known-inputs.json in the install folder (checked against its digest)',
  'server/src/base/inputRecorder.ts: fs.openSync(file':
    'the result cache replays a read the analysis made: opened without blocking, regular files only, hashed in 64 KB pieces (no file held in memory)',
  'server/src/base/inputRecorder.ts: fs.readSync(fd': 'the same replay: reads into a 64 KB buffer',
};

/** The raw reads in a TypeScript source: `<alias>.<read>(<first argument>` for each fs module alias, and reads imported by name. */
export function rawReads(source: string): string[] {
  const found: string[] = [];
  const aliases = new Set<string>();
  for (const m of source.matchAll(/import\s+(?:\*\s+as\s+)?(\w+)\s+from\s+['"]([^'"]+)['"]/g)) if (FS_MODULES.test(m[2])) aliases.add(m[1]);
  for (const m of source.matchAll(/(?:const|let|var)\s+(\w+)\b[^=;]*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/g)) if (FS_MODULES.test(m[2])) aliases.add(m[1]);
  // import { readFileSync, promises as fsp } from 'node:fs'
  for (const m of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]([^'"]+)['"]/g)) {
    if (!FS_MODULES.test(m[2])) continue;
    for (const part of m[1].split(',')) {
      const [name, as] = part.trim().split(/\s+as\s+/);
      if (name === 'promises') aliases.add(as ?? name);
      else if (READS.includes(name)) found.push(`import { ${name} }`);
    }
  }
  for (const alias of [...aliases, 'promises', 'workspace.fs']) {
    const call = new RegExp(`(?<![\\w$])${alias.replace('.', '\\.')}\\s*\\.\\s*(${READS.join('|')})\\s*\\(\\s*([^,)]*)(?:,\\s*([^,)]*))?`, 'g');
    for (const m of source.matchAll(call)) if (!opensForWriting(source, m[1], m[3])) found.push(`${alias}.${m[1]}(${m[2].trim()}`);
  }
  return found;
}

/** An open whose flags write: a 'w'/'a' mode, or O_WRONLY/O_RDWR, written out or in a constant of the same file. */
function opensForWriting(source: string, call: string, flags: string | undefined): boolean {
  if ((call !== 'open' && call !== 'openSync') || !flags) return false;
  const writes = (text: string) => /^\s*['"`][wa]/.test(text) || /\bO_(WRONLY|RDWR)\b/.test(text);
  if (writes(flags)) return true;
  const constant = /^\s*([A-Za-z_$][\w$]*)\s*$/.exec(flags)?.[1];
  const definition = constant ? new RegExp(`\\bconst\\s+${constant}\\s*=([^;]*);`).exec(source) : null;
  return !!definition && writes(definition[1]);
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

test('raw reads: the scanner finds each way of reading a file', () => {
  const cases: [string, string[]][] = [
    [`import * as fs from 'node:fs';\nfs.readFileSync(path.join(root, 'flake.lock'), 'utf8');`, ["fs.readFileSync(path.join(root"]],
    [`import * as io from 'fs';\nconst fd = io.openSync(p, 'r'); io.readSync(fd, b);`, ['io.openSync(p', 'io.readSync(fd']],
    [`import { promises as p } from 'node:fs';\nawait p.readFile(f);`, ['p.readFile(f']],
    [`import * as fsp from 'node:fs/promises';\nconst h = await fsp.open(file);\nfsp.readFile( x )`, ['fsp.open(file', 'fsp.readFile(x']],
    [`import { readFileSync as r, statSync } from 'node:fs';`, ['import { readFileSync }']],
    [`const f: typeof FS = require('node:fs');\nf.createReadStream(p)`, ['f.createReadStream(p']],
    // opens for writing are not reads; an open with read flags or none is
    [`import * as fs from 'node:fs';\nconst W = fs.constants.O_WRONLY | fs.constants.O_CREAT;\nfs.openSync(tmp, W, 0o600); fs.openSync(t, 'wx'); fs.openSync(a, fs.constants.O_RDWR);`, []],
    [`import * as fs from 'node:fs';\nconst R = fs.constants.O_RDONLY;\nfs.openSync(p, R); fs.openSync(q, 'r'); fs.openSync(s);`, ['fs.openSync(p', 'fs.openSync(q', 'fs.openSync(s']],
    [`await vscode.workspace.fs.readFile(uri)`, ['workspace.fs.readFile(uri']],
    [`require('fs').promises.readFile(x)`, ['promises.readFile(x']],
    // not reads: other objects' methods, stats, listings, the reader's own name
    [`import * as fs from 'node:fs';\nfs.statSync(p); fs.readdirSync(d); readWorkspaceFile(p); this.readFile(p); docs.open(u);`, []],
  ];
  for (const [source, expected] of cases) assert.deepEqual(rawReads(source), expected, source);
});

test('raw reads: the core reads workspace files only through the bounded reader', () => {
  const found: string[] = [];
  for (const file of [...sources(path.join(REPO_ROOT, 'server', 'src')), ...sources(path.join(REPO_ROOT, 'client', 'src'))]) {
    const rel = path.relative(REPO_ROOT, file);
    for (const read of rawReads(fs.readFileSync(file, 'utf8'))) found.push(`${rel}: ${read}`);
  }
  const unexplained = found.filter((r) => !(r in ALLOWED));
  assert.deepEqual(unexplained, [], 'read these through readWorkspaceFile (workspace/readWorkspaceFile.ts), or add the read to ALLOWED with the reason it is not a workspace file');
  // every allowed read is still there (a stale entry would let a new read of that name through)
  assert.deepEqual(Object.keys(ALLOWED).filter((a) => !found.includes(a)), []);
});

/** The bounded reader's functions, and folder listings of node:fs, called in a source: `<call>(<first argument>`. */
const READERS = ['readWorkspaceFile', 'readWorkspaceText', 'readWorkspaceFileAsync', 'readResolvedFile', 'readResolvedFileAsync'];
const LISTINGS = ['readdirSync', 'readdir', 'opendirSync', 'opendir'];

export function unconfinedReads(source: string): string[] {
  const found: string[] = [];
  const reader = new RegExp(`(?<![\\w$.]|function\\s)(${READERS.join('|')})\\s*\\(\\s*([^,)]*)`, 'g');
  for (const m of source.matchAll(reader)) found.push(`${m[1]}(${m[2].trim()}`);
  const aliases = new Set<string>();
  for (const m of source.matchAll(/import\s+(?:type\s+)?(?:\*\s+as\s+)?(\w+)\s+from\s+['"]([^'"]+)['"]/g)) if (FS_MODULES.test(m[2]) && !/import\s+type/.test(m[0])) aliases.add(m[1]);
  for (const m of source.matchAll(/(?:const|let|var)\s+(\w+)\b[^=;]*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/g)) if (FS_MODULES.test(m[2])) aliases.add(m[1]);
  for (const alias of aliases) {
    const call = new RegExp(`(?<![\\w$])${alias}\\s*\\.\\s*(${LISTINGS.join('|')})\\s*\\(\\s*([^,)]*)`, 'g');
    for (const m of source.matchAll(call)) found.push(`${alias}.${m[1]}(${m[2].trim()}`);
  }
  return found;
}

/** "<file>: <call>(<first argument>" -> why this read need not keep to a clan's confinement. */
const UNCONFINED: Record<string, string> = {
  'server/src/base/confinement.ts: readResolvedFile(this.resolved(file': 'the confinement itself',
  'server/src/base/confinement.ts: readResolvedFileAsync(this.resolved(file': 'the confinement itself',
  'server/src/base/confinement.ts: fs.readdirSync(real': 'the confinement itself',
  'server/src/base/discover.ts: fs.readdirSync(real': 'the scan lists the real path the confinement resolved',
  'server/src/secrets/identities.ts: readWorkspaceText(file': "the user's age identity files (environment, home folder, the user's clanVars.ageIdentityFile)",
  'server/src/base/cacheFiles.ts: readWorkspaceFile(file': "the cache's own files, in a folder checked to be the user's and outside every checked folder",
  'server/src/base/cacheFiles.ts: fs.readdirSync(dir': "the cache's own folder, to prune it",
  'server/src/base/inputRecorder.ts: fs.readdirSync(file': 'the result cache replays a listing the analysis made',
  'server/src/cli/applyFixes.ts: readWorkspaceFile(name': '--fix reads a file by its bare name in its folder, held as the working directory after its real path was checked to be inside the checked folder (base/safeWrite.ts inFolderOf)',
  'server/src/base/cacheKey.ts: readWorkspaceFile(file': "the user's cache key, in the home the user database gives",
  'server/src/base/gitRepoConfig.ts: readWorkspaceFile(file': "git's configuration files of the clan's repository (its .git may be above the clan), read to refuse settings that run programs: only setting names are shown",
  'server/src/base/searchPath.ts: fs.readdirSync(entry': "the user's PATH entries, to find nix and clan",
  "server/src/cli/analyzeFolder.ts: fs.readdirSync('/proc/self/task'": "the checker's own threads, for their CPU under CLAN_VARS_DEBUG_TIMES",
};

test('confined reads: the scanner finds each call of the bounded reader and each folder listing', () => {
  const cases: [string, string[]][] = [
    [`readWorkspaceText(path.join(root, 'x'), 10); reads.readText(p); x.readWorkspaceFile(p);`, ["readWorkspaceText(path.join(root"]],
    [`export function readWorkspaceFile(file: string) {}\nreadResolvedFileAsync( real )`, ['readResolvedFileAsync(real']],
    [`import * as fsp from 'node:fs/promises';\nawait fsp.readdir(dir, { withFileTypes: true }); fsp.opendir(d)`, ['fsp.readdir(dir', 'fsp.opendir(d']],
    [`const f = require('fs');\nf\n  .readdirSync(dir)`, ['f.readdirSync(dir']],
    [`import type * as FS from 'node:fs';\nFS.readdirSync(x); reads.list(dir); other.readdir(x);`, []],
  ];
  for (const [source, expected] of cases) assert.deepEqual(unconfinedReads(source), expected, source);
});

test('confined reads: the core calls the bounded reader and lists folders only through the confinement', () => {
  const found: string[] = [];
  for (const file of [...sources(path.join(REPO_ROOT, 'server', 'src')), ...sources(path.join(REPO_ROOT, 'client', 'src'))]) {
    const rel = path.relative(REPO_ROOT, file);
    if (rel === path.join('server', 'src', 'base', 'readWorkspaceFile.ts')) continue;
    for (const read of unconfinedReads(fs.readFileSync(file, 'utf8'))) found.push(`${rel}: ${read}`);
  }
  const unexplained = found.filter((r) => !(r in UNCONFINED));
  assert.deepEqual(unexplained, [], 'read and list what the workspace names through a Confinement (server/src/base/confinement.ts), or add the call to UNCONFINED with the reason it names nothing of the workspace');
  assert.deepEqual(Object.keys(UNCONFINED).filter((a) => !found.includes(a)), []);
});
