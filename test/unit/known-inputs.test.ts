// The shipped knowledge of well-known flake inputs (server/src/model/inputs/knownInputs.ts and the data
// file scripts/known-inputs.ts writes): lock keys, the choice of a clan-core revision, rebasing,
// a damaged file, and freshness: the script run again on ../shared gives exactly the shipped facts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { clanCoreFacts, clanCoreSources, CLAN_CORE, outputGenerators } from '../../scripts/known-inputs';
import { clearKnownInputs, DEFAULT_DATA_FILE, knowledgeOf, lockedRevision, variantFiles, writtenPayloadDigest, type KnownInputsFile, type Knowledge, type Variant } from '../../server/src/model/inputs/knownInputs';
import { inputKey } from '../../server/src/model/inputs/lockIdentity';
import { packRanges } from '../../server/src/model/inputs/shippedFacts';
import { NixParser } from '../../server/src/syntax/nixParser';

const repoRoot = path.resolve(__dirname, '..', '..');
const shared = process.env.CLAN_VARS_SHARED ?? path.resolve(repoRoot, '..', 'shared');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'known-inputs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let parser: NixParser;
before(async () => {
  parser = await NixParser.load();
});

const shipped = (): KnownInputsFile => JSON.parse(fs.readFileSync(DEFAULT_DATA_FILE, 'utf8'));
const input = (key: string | null, rev: string | null = null, lastModified: number | null = null, narHash: string | null = null) => ({ name: 'x', key, rev, lastModified, narHash });
function modules(k: Knowledge | null): Extract<Knowledge, { kind: 'modules' }> {
  assert.equal(k?.kind, 'modules', JSON.stringify(k));
  return k as Extract<Knowledge, { kind: 'modules' }>;
}

test('lock keys: every form of locked and original attrs the corpus lock files use', () => {
  const cases: [Record<string, unknown>, string | null][] = [
    [{ type: 'github', owner: 'NixOS', repo: 'nixos-hardware', rev: 'a017f5b72210' }, 'github:nixos/nixos-hardware'],
    [{ type: 'gitlab', owner: 'simple-nixos-mailserver', repo: 'nixos-mailserver' }, 'gitlab:simple-nixos-mailserver/nixos-mailserver'],
    [{ type: 'git', url: 'https://git.clan.lol/clan/clan-core', ref: 'refs/heads/main' }, CLAN_CORE],
    [{ type: 'git', url: 'https://git.clan.lol/clan/clan-core.git' }, CLAN_CORE],
    [{ type: 'tarball', url: 'https://git.clan.lol/api/v1/repos/clan/clan-core/archive/3cbf69b25f56340a18131a52b222ecb43df481ad.tar.gz' }, CLAN_CORE],
    [{ type: 'tarball', url: 'https://git.clan.lol/clan/clan-core/archive/main.tar.gz' }, CLAN_CORE],
    [{ type: 'github', owner: 'clan-lol', repo: 'clan-core' }, 'github:clan-lol/clan-core'],
    [{ type: 'git', url: 'https://github.com/krebs/stockholm', submodules: true }, 'github:krebs/stockholm'],
    [{ type: 'git', url: 'https://github.com/Mic92/nixbot', shallow: true }, 'github:mic92/nixbot'],
    [{ type: 'tarball', url: 'https://github.com/o/r/archive/main.tar.gz' }, 'github:o/r'],
    [{ type: 'git', url: 'https://cgit.krebsco.de/nix-writers' }, 'cgit.krebsco.de/nix-writers'],
    [{ type: 'tarball', url: 'https://releases.nixos.org/nixos/26.05/nixos-26.05.6815.531670d871c0/nixexprs.tar.xz' }, 'github:nixos/nixpkgs'],
    [{ type: 'tarball', url: 'https://channels.nixos.org/nixpkgs-unstable/nixexprs.tar.xz' }, 'github:nixos/nixpkgs'],
    [{ type: 'tarball', url: 'https://nixos.org/channels/nixpkgs-unstable/nixexprs.tar.xz' }, 'github:nixos/nixpkgs'],
    [{ type: 'indirect', id: 'nixpkgs' }, null],
    [{ type: 'path', path: '/home/u/clan-core' }, null],
    [{ type: 'git', url: 'file:///home/u/clan-core' }, null],
    [{ type: 'git', url: 'not a url' }, null],
    [{ type: 'github', owner: 7, repo: 'x' }, null],
  ];
  for (const [attrs, key] of cases) assert.equal(inputKey(attrs), key, JSON.stringify(attrs));
});

test('knowledge is of the locked revision only (a full or abbreviated hash), never of a revision picked by date', () => {
  const v = (rev: string, t: number): Variant => ({ rev: rev.padEnd(40, '0'), lastModified: t, source: '', files: {}, moduleGenerators: {} });
  const variants = [v('cc', 300), v('aa', 100), v('bb', 200)];
  assert.equal(lockedRevision(variants, { rev: 'bb'.padEnd(40, '0') }), variants[2]);
  assert.equal(lockedRevision(variants, { rev: 'BB00000' }), variants[2]);
  assert.equal(lockedRevision(variants, { rev: 'dd'.padEnd(40, '0') }), null);
  assert.equal(lockedRevision(variants, { rev: null }), null);
  // a short rev prefix is no identity
  assert.equal(lockedRevision(variants, { rev: 'b' }), null);
  // a lock without a rev is matched by the NAR hash of what was read, and only then
  const hashed = [{ ...v('aa', 1), narHash: 'sha256-A' }, { ...v('bb', 2), narHash: 'sha256-B' }];
  assert.equal(lockedRevision(hashed, { rev: null, narHash: 'sha256-B' }), hashed[1]);
  assert.equal(lockedRevision(hashed, { rev: null, narHash: 'sha256-C' }), null);
  assert.equal(lockedRevision(variants, { rev: null, narHash: 'sha256-B' }), null);
  // a lock with a rev is matched by its rev, whatever its NAR hash (a git lock's may differ from an archive's)
  assert.equal(lockedRevision(hashed, { rev: 'aa'.padEnd(40, '0'), narHash: 'sha256-B' }), hashed[0]);
});

test('shipped clan-core: the locked revision, rebased facts of its services and modules, generators of its module outputs', () => {
  clearKnownInputs();
  const exact = modules(knowledgeOf(input(CLAN_CORE, '090b766c7f31547972ce9889c2ec1ae10c3f4261', 1786981509)));
  assert.equal(exact.flake, CLAN_CORE);
  assert.equal(exact.root, '/clan-vars-known/git.clan.lol+clan+clan-core@090b766c7f31');
  const sshd = exact.read(`${exact.root}/clanServices/sshd/default.nix`);
  assert.ok(sshd, 'sshd facts');
  assert.equal(sshd.file, `${exact.root}/clanServices/sshd/default.nix`);
  assert.ok(sshd.modules?.isClanService);
  const names = sshd.generators.map((g) => g.name.name).sort();
  assert.ok(names.includes('openssh') && names.includes('openssh-ca'), names.join());
  for (const g of sshd.generators) assert.ok(g.file.startsWith(exact.root + '/'), g.file);
  assert.equal(JSON.stringify(sshd).includes('@ROOT@'), false);
  assert.equal(exact.read(`${exact.root}/clanServices/sshd/tests/vm/default.nix`), null, 'tests are not shipped');
  assert.equal(exact.read('/nix/store/x-source/clanServices/sshd/default.nix'), null);
  assert.equal(exact.read(`${exact.root}/../x/clanServices/sshd/default.nix`), null);
  assert.deepEqual(exact.moduleGenerators('nixosModules.clanCore'), ['machine-id', 'state-version']);
  assert.deepEqual(exact.moduleGenerators('darwinModules.clanCore'), []);
  assert.deepEqual(exact.moduleGenerators('nixosModules.installer'), []);
  assert.equal(exact.moduleGenerators('nixosModules.nope'), null);
  // a module machines import from clan-core's library (lib/test/minify.nix) declares none
  assert.deepEqual(exact.moduleGenerators('clanLib.test.minifyModule'), []);
  // the same flake under its GitHub name, at a shipped revision; a revision not shipped is not known,
  // even one a day after a shipped one (a summary picked by date was a guess)
  const august = modules(knowledgeOf(input('github:clan-lol/clan-core', '3cbf69b25f56340a18131a52b222ecb43df481ad', 1785873814)));
  assert.equal(august.rev.slice(0, 12), '3cbf69b25f56');
  assert.equal(knowledgeOf(input('github:clan-lol/clan-core', 'f'.repeat(40), 1785873814 + 60)), null);
  // zerotier changed between the May and August revisions: per-instance names replaced `zerotier`
  const may = modules(knowledgeOf(input(CLAN_CORE, '87bb027aafa778f07c0a4f6ac3f7efd0cd6d029a', 1780056185)));
  const gens = (k: typeof may) => k.read(`${k.root}/clanServices/zerotier/default.nix`)?.generators.map((g) => g.name.name ?? g.name.pattern) ?? [];
  assert.notDeepEqual(gens(may), gens(august));
});

test('shipped clan-core: a lock without a rev is known by its NAR hash; a commit with the same files as a revision read is known as that one', () => {
  clearKnownInputs();
  // Mic92+dotfiles locks 090b766c7f31 with this NAR hash; an archive lock of the same tree may name no rev
  const byHash = modules(knowledgeOf(input(CLAN_CORE, null, null, 'sha256-c12qjhQslBheQ5aSD6vfEamfCHFULRqw4sLvL8Ues9o=')));
  assert.equal(byHash.rev, '090b766c7f31547972ce9889c2ec1ae10c3f4261');
  assert.match(byHash.checked, /090b766c7f31 \(locked by its NAR hash sha256-c12q/);
  assert.equal(knowledgeOf(input(CLAN_CORE, null, null, 'sha256-AAAAjhQslBheQ5aSD6vfEamfCHFULRqw4sLvL8Ues9o=')), null);
  // 9802be7d5a38, a commit of main after 090b766c7f31 that changed no file of clanServices/,
  // nixosModules/, darwinModules/ or lib/test/ (read in the mirror of clan-lol/clan-core)
  const same = modules(knowledgeOf(input(CLAN_CORE, '9802be7d5a380d494c514b5796d2b0dd3813cce7')));
  const exact = modules(knowledgeOf(input(CLAN_CORE, '090b766c7f31547972ce9889c2ec1ae10c3f4261')));
  assert.equal(same.rev, exact.rev);
  assert.match(same.checked, /at 9802be7d5a38 \(its services and modules are those of 090b766c7f31, file for file\)/);
  assert.deepEqual(same.moduleGenerators('nixosModules.clanCore'), exact.moduleGenerators('nixosModules.clanCore'));
  assert.deepEqual(same.read(`${same.root}/clanServices/sshd/default.nix`), exact.read(`${exact.root}/clanServices/sshd/default.nix`));
});

test('flakes that declare no generators are known empty at the revisions read; others are not known', () => {
  clearKnownInputs();
  const srvos = knowledgeOf(input('github:nix-community/srvos', '2077eec5063fce46b8c9e0754c4753542bb4f5f9'));
  assert.equal(srvos?.kind, 'empty');
  assert.match((srvos as { checked: string }).checked, /at 2077eec5063f, the locked revision \(a commit of its history read up to nix-community\/srvos at [0-9a-f]{12} \(\d{4}-\d\d-\d\d\)\)/);
  // a commit not read is not known (a later one may declare generators), nor is an abbreviated hash
  // shorter than the shipped prefixes
  assert.equal(knowledgeOf(input('github:nix-community/srvos', 'e'.repeat(40))), null);
  assert.equal(knowledgeOf(input('github:nix-community/srvos', '2077eec5063fce4')), null);
  assert.equal(knowledgeOf(input('github:nix-community/srvos')), null);
  // a flake whose locked commit declares generators is not known empty (fosskar/ssync's nix/clan-service.nix)
  assert.ok(shipped().payload.flakes['github:fosskar/ssync'], 'ssync is shipped, at the commits before it declared');
  assert.equal(knowledgeOf(input('github:fosskar/ssync', '3deff422fe24a297d79f311c2a6381ca23c46702')), null);
  // by an alias: nix-darwin's old name
  assert.equal(knowledgeOf(input('github:lnl7/nix-darwin', '56c666e108467d87d13508936aade6d567f2a501'))?.kind, 'empty');
  // could not be read here: no entry, never "empty"
  for (const k of ['github:mic92/punchcard', 'git.clan.lol/clan/personal-computing', 'gitlab:simple-nixos-mailserver/nixos-mailserver', 'github:someone/else']) assert.equal(knowledgeOf(input(k)), null, k);
  assert.equal(knowledgeOf(input(null)), null);
});

test('a missing, truncated, corrupt or edited data file makes the knowledge unavailable, never a throw', () => {
  clearKnownInputs();
  const text = fs.readFileSync(DEFAULT_DATA_FILE, 'utf8');
  const data = shipped();
  const edited = structuredClone(data);
  const facts = (edited.payload.flakes[CLAN_CORE] as { facts: Record<string, { generators: { name: { name: string } }[] }> }).facts;
  const withGen = Object.values(facts).find((f) => f.generators.length)!;
  withGen.generators[0].name.name += 'x';
  const badShape = structuredClone(data);
  (badShape.payload.flakes[CLAN_CORE] as { variants: unknown }).variants = 'none';
  // commits not sorted: a binary search would miss some
  const unsorted = structuredClone(data);
  const history = (unsorted.payload.flakes['github:nix-community/srvos'] as { history: { prefixes: string } }).history;
  const bytes = Buffer.from(history.prefixes, 'base64');
  history.prefixes = Buffer.concat([bytes.subarray(8, 16), bytes.subarray(0, 8), bytes.subarray(16)]).toString('base64');
  unsorted.sha256 = createHash('sha256').update(JSON.stringify(unsorted.payload)).digest('hex');
  const cases: [string, string | null, RegExp][] = [
    ['missing.json', null, /cannot be read: ENOENT/],
    ['truncated.json', text.slice(0, text.length >> 1), /not valid JSON/],
    ['empty.json', '', /not valid JSON/],
    ['edited.json', JSON.stringify(edited), /does not match its digest/],
    ['shape.json', JSON.stringify(badShape), /damaged: flake git.clan.lol\/clan\/clan-core: variants or facts/],
    ['unsorted.json', JSON.stringify(unsorted), /damaged: flake github:nix-community\/srvos: history/],
    ['format.json', JSON.stringify({ ...data, format: 99 }), /format 99/],
    ['array.json', '[]', /not an object/],
  ];
  for (const [name, content, reason] of cases) {
    const file = path.join(tmp, name);
    if (content !== null) fs.writeFileSync(file, content);
    const k = knowledgeOf(input(CLAN_CORE), file);
    assert.equal(k?.kind, 'unavailable', name);
    assert.match((k as { reason: string }).reason, reason, name);
  }
  // the unchanged file, copied, loads; so does the same payload laid out otherwise (its digest is of the payload, not of the text)
  fs.writeFileSync(path.join(tmp, 'ok.json'), text);
  assert.equal(knowledgeOf(input(CLAN_CORE, '090b766c7f31547972ce9889c2ec1ae10c3f4261'), path.join(tmp, 'ok.json'))?.kind, 'modules');
  fs.writeFileSync(path.join(tmp, 'pretty.json'), JSON.stringify(data, null, 1));
  assert.equal(knowledgeOf(input(CLAN_CORE, '090b766c7f31547972ce9889c2ec1ae10c3f4261'), path.join(tmp, 'pretty.json'))?.kind, 'modules');
  // the shipped file is checked as it is written, without writing its payload out again
  assert.equal(writtenPayloadDigest(text), data.sha256);
  assert.equal(writtenPayloadDigest(JSON.stringify(data, null, 1)), null);
  assert.equal(writtenPayloadDigest('{"format":2}'), null);
});

test('freshness: the script run on ../shared gives exactly the shipped clan-core facts', { skip: !fs.existsSync(path.join(shared, 'inputs')) && `no shared inputs at ${shared}` }, () => {
  const entry = shipped().payload.flakes[CLAN_CORE];
  assert.equal(entry.kind, 'modules');
  if (entry.kind !== 'modules') return;
  const all = variantFiles(entry.variants)!;
  for (const s of clanCoreSources(shared, null)) {
    const variant: Variant | undefined = entry.variants.find((v) => v.source === s.source);
    assert.ok(variant, `${s.source} is a shipped variant`);
    assert.equal(variant.rev.slice(0, 7), s.rev.slice(0, 7));
    const files: Record<string, string> = all.get(variant)!;
    const now = clanCoreFacts(s.dir, parser);
    assert.deepEqual([...now.keys()].sort(), Object.keys(files).sort(), `${s.source}: files`);
    // as stored: ranges packed, as JSON (no undefined members)
    for (const [rel, facts] of now) assert.deepEqual(entry.facts[files[rel]], JSON.parse(JSON.stringify(packRanges(facts))), `${s.source}: ${rel} (run node --import tsx scripts/known-inputs.ts)`);
    assert.deepEqual(variant.moduleGenerators, outputGenerators(s.dir, now, parser), `${s.source}: module generators`);
  }
});
