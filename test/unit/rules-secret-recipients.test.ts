// secret-recipients-outdated as a clan user meets it: a sops secret whose recipients (the `sops.age`
// and `sops.pgp` of its file) are not the keys its users/machines/groups links name. `clan vars
// check` fails on it and `clan vars fix` re-encrypts (reference: clan-vars-domain.md, sops
// recipients). The whole finding: message (who is missing, who is extra, the fix command), severity,
// and where it lands (rules/secretDeclarations.ts: the generator's declarations of the var's
// machine); the secrets it is silent on; and its re-run after an edit of the vars or of a module.
// The rule never decrypts: the secrets here are sops files whose metadata names their recipients.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { scannedClan } from '../helpers/ruleRuns';
import { removeTree, writeTree } from '../helpers/tempClan';

const CODE = 'secret-recipients-outdated';
const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** A 62-character age public key that starts and ends with `tag` (so its short form shows whose it is). */
const key = (tag: string) => `age1${tag}${'q'.repeat(58 - 2 * tag.length)}${tag}`;
/** How the finding shows a key longer than 20 characters: its first 12 and last 6 characters. */
const shortKey = (k: string) => `${k.slice(0, 12)}…${k.slice(-6)}`;

/** A sops secret file (clan's binary format) encrypted for these age recipients (and PGP fingerprints). */
function sopsFile(age: string[], pgp: string[] = []): string {
  const enc = 'ENC[AES256_GCM,data:dg==,iv:AAAA,tag:AAAA,type:str]';
  const sops: Record<string, unknown> = {
    age: age.map((recipient) => ({ recipient, enc: '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n' })),
    lastmodified: '2025-01-01T00:00:00Z',
    mac: enc,
    version: '3.10.2',
  };
  if (pgp.length) sops.pgp = pgp.map((fp) => ({ fp, enc: '-----BEGIN PGP MESSAGE-----\n-----END PGP MESSAGE-----\n' }));
  return JSON.stringify({ data: enc, sops }, null, '\t') + '\n';
}

/** A secret under `vars/<at>/` (`per-machine/<m>/<gen>/<file>` or `shared/<gen>/<file>`), with its links (`users/admin`, `machines/box`, `groups/ops`). */
interface Secret {
  at: string;
  /** The recipients its file is encrypted for, or the file's own text. */
  recipients: string[] | { text: string };
  pgp?: string[];
  links: string[];
}

/** `sops/users/<n>/key.json` etc. by `users/<n>` (age keys; `pgp:` marks a PGP fingerprint); groups by `groups/<g>` listing members (`users/bob`). */
interface Clan {
  nix: Record<string, string>;
  keys?: Record<string, string[]>;
  groups?: Record<string, string[]>;
  secrets?: Secret[];
  /** Other files (public vars, ...). */
  files?: Record<string, string>;
}

function symlink(root: string, rel: string, targetRel: string): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(full), path.join(root, targetRel)), full);
}

function clanFiles(c: Clan): Record<string, string> {
  const files: Record<string, string> = { 'flake.nix': '{ }', ...c.nix, ...c.files };
  for (const [owner, keys] of Object.entries(c.keys ?? {})) {
    const entries = keys.map((k) => (k.startsWith('pgp:') ? { publickey: k.slice(4), type: 'pgp' } : { publickey: k, type: 'age' }));
    files[`sops/${owner}/key.json`] = JSON.stringify(entries.length === 1 ? entries[0] : entries, null, 2);
  }
  for (const s of c.secrets ?? []) files[`vars/${s.at}/secret`] = Array.isArray(s.recipients) ? sopsFile(s.recipients, s.pgp) : s.recipients.text;
  return files;
}

function addLinks(root: string, c: Clan): void {
  for (const [group, members] of Object.entries(c.groups ?? {})) {
    fs.mkdirSync(path.join(root, 'sops/groups', group), { recursive: true });
    for (const m of members) symlink(root, `sops/groups/${group}/${m}`, `sops/${m}`);
  }
  for (const s of c.secrets ?? []) for (const l of s.links) symlink(root, `vars/${s.at}/${l}`, `sops/${l}`);
}

function writeClan(c: Clan): string {
  const root = writeTree(clanFiles(c));
  roots.push(root);
  addLinks(root, c);
  return root;
}

/** The findings of the rule, as `file:line:from-to severity: message` (line 1-based, columns of the range), sorted; and the lines the analysis logged. */
async function findings(c: Clan): Promise<{ found: string[]; log: string[] }> {
  const root = writeClan(c);
  const log: string[] = [];
  const report = await analyzeFolder(root, DEFAULT_SETTINGS, (l) => log.push(l));
  const found = report.problems
    .filter((p) => p.code === CODE)
    .map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1}:${p.range.start.character}-${p.range.end.character} ${p.severity}: ${p.message}${p.explanation ? ` ${p.explanation}` : ''}`)
    .sort();
  return { found, log };
}

/** The rule ran through (it did not throw: a rule that throws is logged and shows nothing). */
function ranThrough(log: string[]): void {
  assert.deepEqual(log.filter((l) => l.includes(`rule ${CODE} failed`)), []);
}

/** A machine configuration declaring these generators, each with file `k`, one a line from line 3 (the name at column 28). */
const declares = (...gens: string[]) => `{ ... }:\n{\n${gens.map((g) => `  clan.core.vars.generators.${g} = { files.k = { }; };`).join('\n')}\n}\n`;
/** A shared generator's declaration, at line 3. */
const sharedDecl = (g: string) => `{ ... }:\n{\n  clan.core.vars.generators.${g} = { share = true; files.k = { }; };\n}\n`;
/** The range of a generator's name in `declares`/`sharedDecl` (line 3, from column 28). */
const at = (file: string, g: string, line = 3) => `${file}:${line}:28-${28 + g.length}`;

const ADMIN = key('admin');
const BOB = key('bob');
const BOX = key('box');
const WEB = key('web');

test('a user linked to a secret that was not re-encrypted for them: a warning on the generator, who is missing, and the fix for the machine', async () => {
  const { found, log } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX] },
    secrets: [{ at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/bob', 'machines/box'] }],
  });
  ranThrough(log);
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: not yet encrypted for user bob (${shortKey(BOB)}). Run clan vars fix box --generator api.`,
  ]);
  // the short form of a key: its first 12 and last 6 characters
  assert.equal(shortKey(BOB), 'age1bobqqqqq…qqqbob');
});

test('keys the secret is still encrypted for that no link names: each with its owners under sops/ (all of them), or unknown key', async () => {
  const CAROL = key('carol');
  const LAPTOP = key('lap');
  const STRANGER = key('who');
  const { found, log } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    // one key under two names: a user and a machine
    keys: { 'users/admin': [ADMIN], 'users/carol': [CAROL], 'users/lap': [LAPTOP], 'machines/laptop': [LAPTOP], 'machines/box': [BOX] },
    secrets: [{ at: 'per-machine/box/api/k', recipients: [ADMIN, CAROL, BOX, STRANGER, LAPTOP], links: ['users/admin', 'machines/box'] }],
  });
  ranThrough(log);
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: ` +
      `still encrypted for user carol (${shortKey(CAROL)}), unknown key (${shortKey(STRANGER)}), user lap, machine laptop (${shortKey(LAPTOP)}), which no link names. Run clan vars fix box --generator api.`,
  ]);
});

test('a rotated key: the new key is missing and the old one is extra, both told in one finding', async () => {
  const OLD = key('old');
  const { found } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX] },
    secrets: [{ at: 'per-machine/box/api/k', recipients: [ADMIN, OLD, BOX], links: ['users/admin', 'users/bob', 'machines/box'] }],
  });
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: ` +
      `not yet encrypted for user bob (${shortKey(BOB)}); still encrypted for unknown key (${shortKey(OLD)}), which no link names. Run clan vars fix box --generator api.`,
  ]);
});

test('more than five keys missing: the first five are listed and how many more; five or fewer are all listed', async () => {
  const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
  const keys: Record<string, string[]> = { 'users/admin': [ADMIN], 'machines/box': [BOX] };
  for (const u of users) keys[`users/${u}`] = [key(u)];
  const secret = (gen: string, n: number): Secret => ({ at: `per-machine/box/${gen}/k`, recipients: [ADMIN, BOX], links: ['users/admin', ...users.slice(0, n).map((u) => `users/${u}`), 'machines/box'] });
  const { found } = await findings({
    nix: { 'machines/box/configuration.nix': declares('one', 'five', 'six', 'seven') },
    keys,
    secrets: [secret('one', 1), secret('five', 5), secret('six', 6), secret('seven', 7)],
  });
  const listed = (n: number) => users.slice(0, n).map((u) => `user ${u} (${shortKey(key(u))})`).join(', ');
  const finding = (gen: string, line: number, missing: string) =>
    `${at('machines/box/configuration.nix', gen, line)} warning: Recipients of secret 'k' of generator '${gen}' on machine 'box' are out of date: not yet encrypted for ${missing}. Run clan vars fix box --generator ${gen}.`;
  assert.deepEqual(found, [finding('one', 3, listed(1)), finding('five', 4, listed(5)), finding('six', 5, `${listed(5)}, and 1 more`), finding('seven', 6, `${listed(5)}, and 2 more`)].sort());
});

test('more than five keys extra: the first five are listed and how many more', async () => {
  const strangers = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map(key);
  const { found } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    keys: { 'users/admin': [ADMIN], 'machines/box': [BOX] },
    secrets: [{ at: 'per-machine/box/api/k', recipients: [ADMIN, BOX, ...strangers], links: ['users/admin', 'machines/box'] }],
  });
  const listed = strangers.slice(0, 5).map((k) => `unknown key (${shortKey(k)})`).join(', ');
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: still encrypted for ${listed}, and 2 more, which no link names. Run clan vars fix box --generator api.`,
  ]);
});

test('a key of 20 characters or fewer is shown whole; a longer one by its first 12 and last 6 characters', async () => {
  const { found } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    keys: { 'users/admin': [ADMIN], 'users/k20': ['12345678901234567890'], 'users/k21': ['123456789012345678901'], 'users/k7': ['abcdefg'], 'machines/box': [BOX] },
    secrets: [{ at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/k20', 'users/k21', 'users/k7', 'machines/box'] }],
  });
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: ` +
      `not yet encrypted for user k20 (12345678901234567890), user k21 (123456789012…678901), user k7 (abcdefg). Run clan vars fix box --generator api.`,
  ]);
});

test('a key two links name is missing once, told by the link that names it first (the user before the group)', async () => {
  const { found } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX] },
    groups: { ops: ['users/bob', 'users/admin'] },
    secrets: [{ at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/bob', 'machines/box', 'groups/ops'] }],
  });
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: not yet encrypted for user bob (${shortKey(BOB)}). Run clan vars fix box --generator api.`,
  ]);
});

test('a key only a group names is told with its group', async () => {
  const { found } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX] },
    groups: { ops: ['users/bob'] },
    secrets: [{ at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/admin', 'machines/box', 'groups/ops'] }],
  });
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: not yet encrypted for user bob (group ops) (${shortKey(BOB)}). Run clan vars fix box --generator api.`,
  ]);
});

test('silent on secrets that are up to date, have no links, a broken link, or metadata that cannot be read; public vars; the rule still reports the outdated one', async () => {
  const { found, log } = await findings({
    nix: { 'machines/box/configuration.nix': declares('fine', 'reordered', 'pgp', 'nolinks', 'broken', 'unreadable', 'public', 'outdated') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'users/pg': ['pgp:0123456789ABCDEF0123456789ABCDEF01234567'], 'machines/box': [BOX] },
    secrets: [
      { at: 'per-machine/box/fine/k', recipients: [ADMIN, BOX], links: ['users/admin', 'machines/box'] },
      { at: 'per-machine/box/reordered/k', recipients: [BOX, ADMIN], links: ['users/admin', 'machines/box'] },
      // a PGP key is a recipient by its fingerprint
      { at: 'per-machine/box/pgp/k', recipients: [BOX], pgp: ['0123456789ABCDEF0123456789ABCDEF01234567'], links: ['users/pg', 'machines/box'] },
      // no links at all (secret-not-shared-with-machine tells about the machine's)
      { at: 'per-machine/box/nolinks/k', recipients: [ADMIN], links: [] },
      // a link to a user without key.json: broken-secret-link tells, the recipients cannot be known
      { at: 'per-machine/box/broken/k', recipients: [ADMIN], links: ['users/admin', 'users/gone', 'machines/box'] },
      // not a sops file: its recipients cannot be read
      { at: 'per-machine/box/unreadable/k', recipients: { text: 'not sops\n' }, links: ['users/admin', 'users/bob', 'machines/box'] },
      { at: 'per-machine/box/outdated/k', recipients: [ADMIN], links: ['users/admin', 'machines/box'] },
    ],
    files: { 'vars/per-machine/box/public/k/value': 'hello\n' },
  });
  ranThrough(log);
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'outdated', 10)} warning: Recipients of secret 'k' of generator 'outdated' on machine 'box' are out of date: not yet encrypted for machine box (${shortKey(BOX)}). Run clan vars fix box --generator outdated.`,
  ]);
});

test('a shared secret: told on every declaration, and fixed for the machines it is deployed to (its machines links), or none', async () => {
  const { found, log } = await findings({
    nix: { 'machines/box/configuration.nix': sharedDecl('wifi'), 'machines/web/configuration.nix': sharedDecl('wifi'), 'modules/vpn.nix': sharedDecl('vpn') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX], 'machines/web': [WEB] },
    secrets: [
      { at: 'shared/wifi/k', recipients: [ADMIN, BOX, WEB], links: ['users/admin', 'users/bob', 'machines/box', 'machines/web'] },
      // only users: admins read it, no machine is deployed to
      { at: 'shared/vpn/k', recipients: [ADMIN], links: ['users/admin', 'users/bob'] },
    ],
  });
  ranThrough(log);
  const wifi = `warning: Recipients of secret 'k' of generator 'wifi' (shared) are out of date: not yet encrypted for user bob (${shortKey(BOB)}). Run clan vars fix box web --generator wifi.`;
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'wifi')} ${wifi}`,
    `${at('machines/web/configuration.nix', 'wifi')} ${wifi}`,
    `${at('modules/vpn.nix', 'vpn')} warning: Recipients of secret 'k' of generator 'vpn' (shared) are out of date: not yet encrypted for user bob (${shortKey(BOB)}). Run clan vars fix --generator vpn.`,
  ]);
});

test("a machine's secret is told on its own declaration and on those no machine is known to have, not on another machine's", async () => {
  const { found, log } = await findings({
    nix: {
      'machines/box/configuration.nix': declares('api'),
      'machines/web/configuration.nix': declares('api'),
      // a module no machine imports: it may be any machine's
      'modules/extra.nix': declares('api'),
    },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX], 'machines/web': [WEB] },
    secrets: [
      { at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/bob', 'machines/box'] },
      { at: 'per-machine/web/api/k', recipients: [ADMIN, WEB], links: ['users/admin', 'machines/web'] },
      // vars of a machine the clan no longer declares are stale: told on no declaration
      { at: 'per-machine/gone/api/k', recipients: [ADMIN], links: ['users/admin', 'users/bob'] },
    ],
  });
  ranThrough(log);
  const box = `warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: not yet encrypted for user bob (${shortKey(BOB)}). Run clan vars fix box --generator api.`;
  assert.deepEqual(found, [`${at('machines/box/configuration.nix', 'api')} ${box}`, `${at('modules/extra.nix', 'api')} ${box}`]);
});

test('a secret of a generator no declaration names is told nowhere, and the others still are', async () => {
  const { found, log } = await findings({
    nix: { 'machines/box/configuration.nix': declares('api') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX] },
    secrets: [
      { at: 'per-machine/box/orphan/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/bob', 'machines/box'] },
      { at: 'shared/orphan/k', recipients: [ADMIN], links: ['users/admin', 'users/bob'] },
      { at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/bob', 'machines/box'] },
    ],
  });
  ranThrough(log);
  assert.deepEqual(found, [
    `${at('machines/box/configuration.nix', 'api')} warning: Recipients of secret 'k' of generator 'api' on machine 'box' are out of date: not yet encrypted for user bob (${shortKey(BOB)}). Run clan vars fix box --generator api.`,
  ]);
});

test('after a scan: re-encrypting the secret (a change under vars/) clears the finding, and a module edit that drops the declaration too', async () => {
  const c: Clan = {
    nix: { 'machines/box/configuration.nix': declares('api', 'db') },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX] },
    secrets: [
      { at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/bob', 'machines/box'] },
      { at: 'per-machine/box/db/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/bob', 'machines/box'] },
    ],
  };
  const { root, index } = await scannedClan(clanFiles(c));
  addLinks(root, c);
  index.varsChanged(path.join(root, 'vars/per-machine/box/api/k/users/bob'));
  const shown = () => [...index.allProblems().values()].flat().filter((p) => p.code === CODE).map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`);
  const finding = (gen: string, line: number) =>
    `machines/box/configuration.nix:${line} Recipients of secret 'k' of generator '${gen}' on machine 'box' are out of date: not yet encrypted for user bob (${shortKey(BOB)}). Run clan vars fix box --generator ${gen}.`;
  assert.deepEqual(shown(), [finding('api', 3), finding('db', 4)]);
  // clan vars fix re-encrypted api's secret for bob
  const secret = path.join(root, 'vars/per-machine/box/api/k/secret');
  fs.writeFileSync(secret, sopsFile([ADMIN, BOX, BOB]));
  index.varsChanged(secret);
  assert.deepEqual(shown(), [finding('db', 4)]);
  // db is no longer declared
  index.updateFromText(path.join(root, 'machines/box/configuration.nix'), declares('api'));
  assert.deepEqual(shown(), []);
});

test("after a scan: an edit that moves the generator's module from box to web (the machines' modules, not the generators) takes the findings off it", async () => {
  // the secret rules land on the declarations of the var's machine: which machine has a module is
  // the module structure (the `modules` input), which an import edit changes without any generator
  const c: Clan = {
    nix: {
      'machines/box/configuration.nix': '{ imports = [ ../../modules/api.nix ]; }\n',
      'machines/web/configuration.nix': '{ }\n',
      'modules/api.nix': '{ ... }:\n{\n  clan.core.vars.generators.api = { files.k = { }; files.nolink = { }; };\n}\n',
    },
    keys: { 'users/admin': [ADMIN], 'users/bob': [BOB], 'machines/box': [BOX] },
    secrets: [
      { at: 'per-machine/box/api/k', recipients: [ADMIN, BOX], links: ['users/admin', 'users/bob', 'machines/box'] },
      { at: 'per-machine/box/api/nolink', recipients: [ADMIN], links: ['users/admin'] },
      { at: 'per-machine/box/api/dangling', recipients: [ADMIN, BOX], links: ['users/admin', 'users/gone', 'machines/box'] },
    ],
  };
  const { root, index } = await scannedClan(clanFiles(c));
  addLinks(root, c);
  index.varsChanged(path.join(root, 'vars/per-machine/box/api/k/users/bob'));
  const codes = new Set([CODE, 'secret-not-shared-with-machine', 'broken-secret-link']);
  const shown = () => [...index.allProblems().values()].flat().filter((p) => codes.has(p.code)).map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.code}`).sort();
  assert.deepEqual(shown(), ['modules/api.nix:3 broken-secret-link', 'modules/api.nix:3 secret-not-shared-with-machine', `modules/api.nix:3 ${CODE}`]);
  index.updateFromText(path.join(root, 'machines/box/configuration.nix'), '{ }\n');
  index.updateFromText(path.join(root, 'machines/web/configuration.nix'), '{ imports = [ ../../modules/api.nix ]; }\n');
  // as a fresh analysis of the clan finds: web's module holds no var of box
  assert.deepEqual(shown(), []);
  // and back
  index.updateFromText(path.join(root, 'machines/web/configuration.nix'), '{ }\n');
  index.updateFromText(path.join(root, 'machines/box/configuration.nix'), '{ imports = [ ../../modules/api.nix ]; }\n');
  assert.deepEqual(shown(), ['modules/api.nix:3 broken-secret-link', 'modules/api.nix:3 secret-not-shared-with-machine', `modules/api.nix:3 ${CODE}`]);
});
