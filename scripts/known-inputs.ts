// Writes server/src/model/inputs/data/known-inputs.json: what the extension knows about well-known flake
// inputs without having them on disk, each fact for the exact revisions it was read at. Facts come
// from the inputs' sources, read with our own extractor (extractFile, as model/inputs/externalModules.ts
// reads an input in the store):
//   - clan-core (known-inputs/clanCore.ts): at every revision a clan here locks (the shared corpus
//     and the wider one) whose source is here, the facts of its services' and modules' files and
//     the generators of its module outputs, stored once per distinct content; with each revision,
//     the other commits of the mirror whose files those facts come from are the same;
//   - other flakes (known-inputs/emptyFlakes.ts): "declares no clan vars generators" at each commit
//     of their git mirror's history whose tree holds no declaring file (known-inputs/history.ts).
// One command reproduces the file from the sources:
//   node --import tsx scripts/known-inputs.ts [--shared DIR] [--clans DIR] [--clan-inputs DIR] [--mirrors DIR] [--out FILE] [--keep]
// (defaults: ../shared, ../clans and ../clan-inputs beside the repository, /work/.mirror). It prints
// where it read each flake and at which revisions; the same is recorded in the file. With --keep,
// what the file already holds stays: clan-core's revisions are read again with the new ones (from the
// mirror), and a flake whose source is not here keeps its entry as it was read before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_FORMAT, payloadDigest, type FlakeEntry, type KnownInputsFile } from '../server/src/model/inputs/knownInputs';
import { NixParser } from '../server/src/syntax/nixParser';
import { CLAN_CORE, CLAN_CORE_ALIASES, clanCoreEntry, clanCoreSources, lockedClanCoreSources, scratch } from './known-inputs/clanCore';
import { bridgeAliases, githubMirror } from './known-inputs/aliases';
import { emptyEntries } from './known-inputs/emptyFlakes';
import { mirrorOf } from './known-inputs/git';
import { clanFolders, rootLocks } from './known-inputs/locks';

export { CLAN_CORE, clanCoreSources } from './known-inputs/clanCore';
export { clanCoreFacts, outputGenerators } from './known-inputs/clanCoreFacts';

const repoRoot = path.resolve(__dirname, '..');

export function writeKnownInputs(out: string, flakes: Record<string, FlakeEntry>): KnownInputsFile {
  const payload = {
    about: 'Written by scripts/known-inputs.ts from the inputs\' sources (each entry says where and at which revisions); do not edit: the loader checks sha256 over JSON.stringify(payload).',
    flakes,
  };
  const file: KnownInputsFile = { format: DATA_FORMAT, sha256: payloadDigest(payload), payload };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(file) + '\n');
  return file;
}

async function main(): Promise<void> {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : dflt;
  };
  const shared = arg('--shared', path.resolve(repoRoot, '..', 'shared'));
  const clansDir = arg('--clans', path.resolve(repoRoot, '..', 'clans'));
  const clanInputs = arg('--clan-inputs', path.resolve(repoRoot, '..', 'clan-inputs'));
  const mirrors = arg('--mirrors', '/work/.mirror');
  const out = arg('--out', path.join(repoRoot, 'server', 'src', 'model', 'inputs', 'data', 'known-inputs.json'));
  const kept: Record<string, FlakeEntry> = process.argv.includes('--keep') && fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as KnownInputsFile).payload.flakes : {};
  const parser = await NixParser.load();
  const log = (s: string) => process.stderr.write(s + '\n');
  const clans = clanFolders([path.join(shared, 'corpus'), clansDir]);
  const locks = rootLocks(clans);
  log(`${clans.length} clans, ${locks.size} flakes locked as root inputs`);
  const clanCoreMirror = mirrorOf(mirrors, 'clan-lol/clan-core');
  const tmp = scratch();
  try {
    const sharedSources = clanCoreSources(shared, clanCoreMirror);
    const clanCoreLocks = [CLAN_CORE, ...CLAN_CORE_ALIASES].flatMap((k) => locks.get(k) ?? []);
    // the revisions read before, read again (the mirror holds them)
    const before = kept[CLAN_CORE];
    if (before?.kind === 'modules') clanCoreLocks.push(...before.variants.map((v) => ({ key: CLAN_CORE, rev: v.rev, lastModified: v.lastModified, clan: `the data read before (${v.source})` })));
    const sources = [...sharedSources, ...lockedClanCoreSources(clanCoreLocks, sharedSources, clanInputs, clanCoreMirror, tmp, log)];
    for (const s of sources) log(`clan-core ${s.rev.slice(0, 12)} (${new Date(s.lastModified * 1000).toISOString().slice(0, 10)}) from ${s.source}`);
    const flakes: Record<string, FlakeEntry> = { [CLAN_CORE]: clanCoreEntry(sources, parser, clanCoreMirror, log) };
    const others = [...locks.keys()].filter((k) => k !== CLAN_CORE && !CLAN_CORE_ALIASES.includes(k));
    Object.assign(flakes, emptyEntries(others, mirrors, locks, parser, log));
    bridgeAliases(flakes, locks, (flake) => (flake === CLAN_CORE ? clanCoreMirror : githubMirror(mirrors, flake)), log);
    for (const [key, entry] of Object.entries(kept)) {
      if (key in flakes) continue;
      flakes[key] = entry;
      log(`${key}: kept as read before (${entry.source.slice(0, 80)})`);
    }
    const file = writeKnownInputs(out, flakes);
    const size = fs.statSync(out).size;
    log(`wrote ${path.relative(process.cwd(), out)}: ${Object.keys(file.payload.flakes).length} flakes, ${size} bytes, sha256 ${file.sha256.slice(0, 12)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`known-inputs: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
