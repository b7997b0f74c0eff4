// `--format sarif` against the official SARIF 2.1.0 JSON schema (the copy the SARIF multitool's npm
// package ships), validated with ajv: `sarif-multitool validate` alone returns 0 for documents the
// schema rejects, so a test that trusts it cannot fail on a schema error. The log must be valid and
// its locations relative to SRCROOT wherever the checker runs: inside the clan, above it, or
// outside it (CI jobs check a clan from elsewhere).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { SARIF_SCHEMA_TITLE, sarifSchemaErrors } from '../helpers/sarifSchema';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';
import { corpusClans } from '../helpers/corpus';

const LINT = path.join(REPO_ROOT, 'bin', 'clan-vars-lint.js');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

test('sarif schema: the schema read is the official SARIF 2.1.0 one', () => {
  assert.match(SARIF_SCHEMA_TITLE, /SARIF\) Version 2\.1\.0 JSON Schema/);
});

const errorsOf = sarifSchemaErrors;

interface Location {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } };
}

function lint(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [LINT, '--no-cache', '--format', 'sarif', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Every location of the log: each a relative URI under SRCROOT, and SRCROOT the folder `base`. */
function assertRelative(log: { runs: { results: { locations: Location[] }[]; originalUriBaseIds: { SRCROOT: { uri: string } } }[] }, base: string, what: string): string[] {
  const run = log.runs[0];
  assert.equal(run.originalUriBaseIds.SRCROOT.uri, pathToFileURL(base).href.replace(/\/?$/, '/'), what);
  const uris = run.results.flatMap((r) => r.locations.map((l) => l.physicalLocation.artifactLocation));
  assert.ok(uris.length > 0, what);
  for (const a of uris) {
    assert.equal(a.uriBaseId, 'SRCROOT', `${what}: ${a.uri}`);
    assert.doesNotMatch(a.uri, /^[a-z]+:|^\/|(^|\/)\.\.(\/|$)/, `${what}: a relative URI, down from SRCROOT`);
    assert.ok(fs.existsSync(path.join(base, decodeURIComponent(a.uri))), `${what}: ${a.uri} is a file under SRCROOT`);
  }
  return uris.map((a) => decodeURIComponent(a.uri));
}

test('sarif schema: the validator rejects what the schema rejects (the document sarif-multitool validate accepts)', () => {
  const errors = errorsOf({ version: '2.1.0', runs: [{ results: [{ level: 'bogus', message: {} }] }] });
  assert.ok(errors.includes("/runs/0 must have required property 'tool'"), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('/runs/0/results/0/level must be equal to one of the allowed values')), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('/runs/0/results/0/message ')), errors.join('\n'));
  // an absolute artifact URI with a base id, and an unknown property: rejected too
  const log = lint(['.'], EXAMPLE_CLAN);
  assert.deepEqual(errorsOf(log), []);
  log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  log.runs[0].extra = true;
  assert.ok(errorsOf(log).length >= 2, errorsOf(log).join('\n'));
});

test('sarif schema: valid, with relative URIs under SRCROOT, from inside the clan, above it and outside it', () => {
  const spaced = writeTree({
    'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "s"; }; }\n',
    'machines/a b/configuration.nix': '{ config, ... }: { sops.secrets.api = { }; x = config.sops.secrets.api.path; }\n',
  });
  roots.push(spaced);
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-elsewhere-'));
  roots.push(elsewhere);
  const example = fs.realpathSync(EXAMPLE_CLAN);
  const runs: [string, string[], string, string][] = [
    ['inside the clan', ['.'], example, example],
    ['above it', ['examples/clan'], REPO_ROOT, fs.realpathSync(REPO_ROOT)],
    ['outside it', [example], elsewhere, example],
    ['outside it, a name with a space', [spaced], elsewhere, fs.realpathSync(spaced)],
    ['outside both of two clans', [example, spaced], elsewhere, '/'],
  ];
  for (const [what, args, cwd, base] of runs) {
    const log = lint(args, cwd);
    assert.deepEqual(errorsOf(log), [], what);
    const files = assertRelative(log, base === '/' ? commonBase(example, fs.realpathSync(spaced)) : base, what);
    if (what === 'above it') assert.ok(files.every((f) => f.startsWith('examples/clan/')), files.join(' '));
    if (what.includes('space')) assert.ok(files.includes('machines/a b/configuration.nix'), files.join(' '));
  }
});

/** The deepest folder holding both. */
function commonBase(a: string, b: string): string {
  let base = a;
  while (path.relative(base, b).startsWith('..')) base = path.dirname(base);
  return base;
}

test('sarif schema: the corpus clans, checked from outside each, give valid logs with relative URIs', (t) => {
  const clans = corpusClans();
  if (!clans.length) return t.skip('no corpus (../shared/corpus)');
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-elsewhere-'));
  roots.push(elsewhere);
  let results = 0;
  for (const clan of clans) {
    const r = spawnSync(process.execPath, [LINT, '--format', 'sarif', clan], { cwd: elsewhere, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(r.status === 0 || r.status === 1, `${clan}: exit ${r.status}: ${r.stderr}`);
    const log = JSON.parse(r.stdout);
    assert.deepEqual(errorsOf(log), [], clan);
    results += log.runs[0].results.length;
    if (log.runs[0].results.length) assertRelative(log, fs.realpathSync(clan), clan);
  }
  assert.ok(results > 10, `${results} results over the corpus`);
});
