// `clan vars check` output -> findings, on clan's message formats (domain reference §3.2, §2.9).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanLine, parseCheckOutput } from '../../server/src/ide/vars/checkOutput';
import { checkProblems } from '../../server/src/ide/vars/checkProblems';
import { clanWith } from '../helpers/varsModel';
import { removeTree, writeTree } from '../helpers/tempClan';

const SECTIONS = `Check results for machine 'peer1': 
Missing secret vars:
  - dummy-generator/generated-password
Missing public vars:
  - dummy-generator/host-id
  - new-service/not-a-secret
Unfixed secret vars:
  - new-service/a-secret
Invalid generators (outdated invalidation hash):
  - openssh-cert
`;

test('sections: missing secret and public vars, unfixed secrets, outdated validation hashes', () => {
  const r = parseCheckOutput(SECTIONS);
  assert.deepEqual(r.machines, ['peer1']);
  assert.deepEqual(r.valid, []);
  assert.deepEqual(
    r.findings.map((f) => `${f.kind} ${f.machine} ${f.generator} ${f.file}`),
    [
      'missing-secret peer1 dummy-generator generated-password',
      'missing-public peer1 dummy-generator host-id',
      'missing-public peer1 new-service not-a-secret',
      'unfixed-secret peer1 new-service a-secret',
      'outdated-validation peer1 openssh-cert null',
    ],
  );
});

test('per-item info lines, log prefixes and colours; duplicates of section items are merged', () => {
  const out = [
    "\u001b[1m[admin1]\u001b[0m Secret var 'generated-password' for service 'dummy-generator' in machine admin1 is missing.",
    "INFO: Public var 'host-id' for service 'dummy-generator' in machine admin1 is missing.\r",
    "[admin1] Generator 'openssh-cert' in machine admin1 has outdated invalidation hash.",
    "[admin1] Check results for machine 'admin1': ",
    'Missing secret vars:',
    '  - dummy-generator/generated-password',
    "Check results for machine 'peer1': ",
    'All vars are present and valid.',
  ].join('\n');
  const r = parseCheckOutput(out);
  assert.deepEqual(r.machines, ['admin1', 'peer1']);
  assert.deepEqual(r.valid, ['peer1']);
  assert.deepEqual(
    r.findings.map((f) => `${f.kind} ${f.machine} ${f.generator} ${f.file}`),
    ['missing-secret admin1 dummy-generator generated-password', 'missing-public admin1 dummy-generator host-id', 'outdated-validation admin1 openssh-cert null'],
  );
  assert.equal(cleanLine('\u001b[33m[peer1] \u001b[0mWARNING: x'), 'x');
});

test('file names with slashes, shared-secret access lines, and unknown generators', () => {
  const out = [
    "Check results for machine 'm': ",
    'Missing secret vars:',
    '  - secureboot/keys/PK/PK.key',
    "Secret var 'zt/identity' is marked for deployment to machine 'm', but the machine does not have access to it.",
    "Run 'clan vars generate m' to fix this.",
    "Generator 'nope' not found in machine m",
  ].join('\n');
  const r = parseCheckOutput(out);
  assert.deepEqual(
    r.findings.map((f) => `${f.kind} ${f.machine} ${f.generator} ${f.file}`),
    ['missing-secret m secureboot keys/PK/PK.key', 'unfixed-secret m zt identity', 'generator-not-found m nope null'],
  );
});

test('nothing recognisable: no findings, no crash', () => {
  for (const text of ['', 'Traceback (most recent call last):\n  File "x"', '  - orphan/item', '\u0000\u001b[', 'Missing secret vars:\n  - noslash']) {
    const r = parseCheckOutput(text);
    assert.ok(Array.isArray(r.findings));
  }
  assert.deepEqual(parseCheckOutput('  - orphan/item').findings, []);
});

test('findings land on the generator declarations of that machine; others are returned unplaced', async () => {
  const decl = '{ clan.core.vars.generators.dummy-generator = { files.host-id.secret = false; script = "x"; }; }';
  const nix = { 'machines/peer1/configuration.nix': decl, 'machines/admin1/configuration.nix': decl };
  const root = writeTree({ 'flake.nix': '{ }', ...nix });
  try {
    const clan = await clanWith(root, nix);
    const r = checkProblems(clan, SECTIONS);
    const files = r.problems.map((p) => `${p.file.slice(root.length + 1)}:${p.range.start.line} ${p.severity}`);
    assert.ok(files.every((f) => f.startsWith('machines/peer1/configuration.nix:0 warning')), files.join('\n'));
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0].message, /secret var 'generated-password' of generator 'dummy-generator' is missing on machine 'peer1'/);
    assert.equal(r.unplaced.length, 3); // new-service twice, openssh-cert: not declared here
  } finally {
    removeTree(root);
  }
});
