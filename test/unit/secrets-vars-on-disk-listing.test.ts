// The scan of vars on disk reads each folder once and answers from its listing (model/varsOnDisk.ts,
// Confinement.entriesWithLinks): a var's `secret` or `value` found in the listing, a secret's
// users/, machines/ and groups/ only when listed, each link's text from the listing. Every kind of
// entry must give what a look at the path itself gives: a link to a file inside counts as the file,
// a link out or a dangling one does not, a folder is no file, a plain file where a folder of links
// should be lists nothing, a small file holding a path is a link.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { scanVarsOnDisk } from '../../server/src/model/varsOnDisk';
import { linkTarget, resolveSecretLinks } from '../../server/src/secrets/sopsKeys';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const SOPS_SECRET = '{"data": "ENC[AES256_GCM,data:x,iv:x,tag:x,type:str]", "sops": {"age": [{"recipient": "age1x", "enc": "x"}]}}';
const ALICE = 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq';

function clan(): { base: string; root: string; gen: string } {
  const base = writeTree({
    'clan/flake.nix': '{ }\n',
    'clan/sops/users/alice/key.json': JSON.stringify({ publickey: ALICE, type: 'age' }),
    'clan/store/secret': SOPS_SECRET,
    'clan/store/value': 'public\n',
    // a plain var: the reference the others are compared with
    'clan/vars/per-machine/m/gen/plain/secret': SOPS_SECRET,
    // a plain file where the folder of user links should be: no links
    'clan/vars/per-machine/m/gen/plain/users': 'not a folder\n',
    'clan/vars/per-machine/m/gen/plain/machines/file-link': '../../../../../../sops/users/alice\n',
    // a folder named secret is no secret: the walk goes on below it
    'clan/vars/per-machine/m/gen/folder/secret/inner/value': 'below\n',
    'outside/secret': SOPS_SECRET,
    'outside/value': 'outside\n',
  });
  roots.push(base);
  const root = path.join(base, 'clan');
  const gen = path.join(root, 'vars/per-machine/m/gen');
  const link = (target: string, at: string) => {
    fs.mkdirSync(path.dirname(path.join(gen, at)), { recursive: true });
    fs.symlinkSync(target, path.join(gen, at));
  };
  // a secret and a value that are links to files inside the clan: they count
  link('../../../../../store/secret', 'linked/secret');
  link('../../../../../store/value', 'linked-value/value');
  // links out of the clan, and one that leads nowhere: they do not
  link(path.join(base, 'outside/secret'), 'out/secret');
  link(path.join(base, 'outside/value'), 'out/value');
  link('../../../../../store/gone', 'dangling/secret');
  // a secret's users: a link, a folder of its own, a link out; groups as a link to a folder of links
  link('../../../../../../sops/users/alice', 'plain/machines/alice');
  link('../../../../../../sops/users/alice', 'linked/users/alice');
  fs.mkdirSync(path.join(gen, 'linked/users/folder'));
  link(path.join(base, 'outside'), 'linked/users/eve');
  link('../machines-of-linked', 'linked/groups');
  fs.mkdirSync(path.join(gen, 'linked/machines-of-linked'));
  return { base, root, gen };
}

test('vars on disk: a secret or value linked to a file inside counts, a link out or nowhere does not, a folder named secret is walked into', () => {
  const { root } = clan();
  const scan = scanVarsOnDisk(root);
  assert.deepEqual(scan.vars.map((v) => `${v.ref.file} ${v.kind}`).sort(), ['folder/secret/inner public', 'linked sops', 'linked-value public', 'plain sops']);
  const plain = scan.vars.find((v) => v.ref.file === 'plain')!;
  assert.deepEqual(
    plain.links.map((l) => `${l.kind} ${l.name} ${l.problem ?? l.keys.map((k) => k.owner).join(',')}`),
    ['machines alice machine alice', 'machines file-link machine file-link'],
  );
  assert.deepEqual(plain.recipients, { age: ['age1x'], pgp: [] });
});

test("a generator's .validation-hash is read when its folder's listing shows one: a file, or a link to a file inside; not a folder, a link out or none", () => {
  const { base, root } = clan();
  const gens = path.join(root, 'vars/per-machine/m');
  const put = (gen: string, make: (at: string) => void) => {
    fs.mkdirSync(path.join(gens, gen, 'k'), { recursive: true });
    fs.writeFileSync(path.join(gens, gen, 'k', 'value'), 'v\n');
    make(path.join(gens, gen, '.validation-hash'));
  };
  fs.writeFileSync(path.join(root, 'store/hash'), 'linked-hash\n');
  fs.writeFileSync(path.join(base, 'outside/hash'), 'outside-hash\n');
  put('file', (at) => fs.writeFileSync(at, 'file-hash\n'));
  put('link', (at) => fs.symlinkSync('../../../../store/hash', at));
  put('out', (at) => fs.symlinkSync(path.join(base, 'outside/hash'), at));
  put('folder', (at) => fs.mkdirSync(at));
  put('none', () => {});
  // and only then: a read of a file that is not there resolves its path twice for nothing
  const tried: string[] = [];
  const readText = Confinement.prototype.readText;
  Confinement.prototype.readText = function (file: string, max?: number) {
    if (file.endsWith('.validation-hash')) tried.push(path.basename(path.dirname(file)));
    return readText.call(this, file, max);
  };
  let scan: ReturnType<typeof scanVarsOnDisk>;
  try {
    scan = scanVarsOnDisk(root);
  } finally {
    Confinement.prototype.readText = readText;
  }
  assert.deepEqual([...scan.validationHashes].sort(), [
    ['per-machine/m/file', 'file-hash'],
    ['per-machine/m/link', 'linked-hash'],
  ]);
  assert.deepEqual(tried.sort(), ['file', 'link']);
});

test("a secret's links from its folder's listing are those its paths give, for every kind of entry", () => {
  const { root, gen } = clan();
  const reads = Confinement.within(root);
  for (const secret of ['plain', 'linked']) {
    const dir = path.join(gen, secret);
    const strip = (links: ReturnType<typeof resolveSecretLinks>) => JSON.stringify(links).replaceAll(root, '<root>');
    assert.equal(strip(resolveSecretLinks(reads, dir, new Map(), reads.entries(dir))), strip(resolveSecretLinks(reads, dir)), secret);
    for (const kind of ['users', 'machines', 'groups']) {
      for (const listed of reads.entriesWithLinks(path.join(dir, kind))) {
        const entry = path.join(dir, kind, listed.entry.name);
        assert.deepEqual(linkTarget(reads, entry, listed), linkTarget(reads, entry), entry);
      }
    }
  }
  const linked = resolveSecretLinks(reads, path.join(gen, 'linked'), new Map(), reads.entries(path.join(gen, 'linked')));
  assert.deepEqual(
    linked.map((l) => `${l.kind} ${l.name}: ${(l.problem ?? l.keys.map((k) => k.owner).join(',')).replaceAll(root, '<root>')}`),
    [
      'users alice: user alice',
      `users eve: user eve: the link points to ${path.join(path.dirname(root), 'outside')}, outside the clan`,
      'users folder: user folder: <root>/vars/per-machine/m/gen/linked/users/folder/key.json does not exist',
    ],
  );
});

// libuv lists a folder in the byte order of its names (UTF-8); the listing is in the order of
// JavaScript's strings (UTF-16), as Confinement.entries is: the two differ for a name past U+FFFF
// beside one in U+E000-U+FFFF
test('a listing with links is sorted by name as JavaScript sorts strings, whatever order the folder gives', () => {
  const { gen } = clan();
  const reads = Confinement.within(gen);
  const dir = path.join(gen, 'many');
  const names = [...Array.from({ length: 22 }, (_, i) => `n${String((i * 7) % 22).padStart(2, '0')}`), '\uE000', '\u{1F511}'];
  fs.mkdirSync(dir);
  for (const [i, name] of names.entries()) {
    if (i % 2) fs.symlinkSync('../plain', path.join(dir, name));
    else fs.writeFileSync(path.join(dir, name), '../plain\n');
  }
  const listed = reads.entriesWithLinks(dir);
  assert.deepEqual(listed.map((l) => l.entry.name), [...names].sort());
  assert.deepEqual(listed.map((l) => l.link), listed.map((l) => (names.indexOf(l.entry.name) % 2 ? '../plain' : null)));
});

test('a listing of a folder outside, or of one that is not there, is empty', () => {
  const { base, root, gen } = clan();
  const reads = Confinement.within(root);
  assert.deepEqual(reads.entriesWithLinks(path.join(base, 'outside')), []);
  assert.deepEqual(reads.entriesWithLinks(path.join(gen, 'linked/users/eve')), []);
  assert.deepEqual(reads.entriesWithLinks(path.join(gen, 'nowhere')), []);
  assert.deepEqual(
    reads.entriesWithLinks(path.join(gen, 'linked/users')).map((l) => [l.entry.name, l.link]),
    [
      ['alice', '../../../../../../sops/users/alice'],
      ['eve', path.join(base, 'outside')],
      ['folder', null],
    ],
  );
});
