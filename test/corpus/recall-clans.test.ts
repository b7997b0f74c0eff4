// The recall gate over the clans gathered in ../clans for issue 54 (never tuned on): mistakes
// seeded into copies of them (seeded-clans.json, each written from what clan does with it) must be
// found, and correct edits must raise nothing new. Issue 56 asks for 90%; until the checker reads
// what the misses need, the gate holds the misses to the known ones below, each with its cause: a new
// miss fails, and so does a known one that is found (take it off the list). The
// seeds were written against the revision of each clan recorded in the file's "clans" map: a seed
// whose clan folder is absent is skipped, but one whose text no longer matches fails the gate (the
// folder is at another revision), so the gate is never silently weaker. The engine and the table
// are in recall.ts (node --import tsx test/corpus/recall.ts --clans prints the table).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CLANS, CLAN_SEEDS, readSeedFile, runRecall, table, type Result } from './recall';

/** The mistakes the checker misses today, with why (issue 56: 70 of 78 found, 89.7%; the bar is 90%). */
const KNOWN_MISSES: Record<string, string> = {
  'ad-missing-output-vaultwarden': "missing-output reports vaultwarden.env at its declaration (line 59), not at the write the seed expects (line 73): there undeclared-output would name $out/env, but sequoia is open (adeci's own services are named '@adeci/...' in a set the model does not read) and a module of one of them may declare file env",
  'fk-read-other-machine-smtp': "nixworker's unread parts include the clan's own computed instance and nflib.scanPaths ./. of its own folder: any of them may declare smtp there",
  'jf-dep-other-machine-mqtt': "jfly's clan.machines is computed (lib.listToAttrs over the folders of machines/, each machine given an inline module): read as the part it is (flake-modules/clan.nix is a flake-parts module, not the clan's arguments), it may give any machine more modules, so no machine's generators are all known",
  'rp-read-file-typo-freshrss': "genepi is open (the instance borgbackup-storagebox is written as lib.genAttrs over the machines, and the nixos flake modules of nixosModules/flake-module.nix use |>, which is not read): on an open machine unknown-var-read warns only on a file name near a declared one (nameTypo), and 'password' is not near freshrss's one file 'freshrss-password'",
  'mi-read-file-typo-masterkey': "the read names its generator by the service's instance name (generators.${instanceName}.files.masterkey): unknown-var-read takes only reads whose generator name is literal (the declaration's name template is filled per instance, the read's is not)",
  'ps-dep-typo-wireguard': "wireguard-peer-* are made by clan-vars-helper's function mkMachineSecret (config.my.secrets.mkMachineSecret { name = ...; dependencies = ...; }), whose generators are not read (its generator files in my.secrets.discover.dir are)",
};

const file = readSeedFile(CLAN_SEEDS);
const isClan = (clan: string) => fs.existsSync(path.join(CLANS, clan)) && fs.statSync(path.join(CLANS, clan)).isDirectory();
const here = file.seeds.filter((s) => isClan(s.clan));
const absent = [...new Set(file.seeds.filter((s) => !isClan(s.clan)).map((s) => s.clan))].sort();

if (!here.length) console.log(`# recall gate on gathered clans skipped: no clans under ${CLANS} (the clans gathered for issue 54 are absent)`);
else if (absent.length) console.log(`# recall gate on gathered clans: the seeds of ${absent.join(', ')} skipped (not under ${CLANS})`);

describe('recall on the gathered clans', { skip: here.length ? false : `no clans under ${CLANS}` }, () => {
  test('the seeds are well formed', () => {
    const ids = new Set<string>();
    for (const s of file.seeds) {
      assert.ok(!ids.has(s.id), `seed id ${s.id} is used twice`);
      ids.add(s.id);
      assert.ok(s.kind && s.note && s.edits.length, `${s.id}: wants a kind, a note and edits`);
      assert.match(file.clans?.[s.clan] ?? '', /^[0-9a-f]{40}$/, `${s.id}: the revision of ${s.clan} the seed was written against is not recorded in "clans"`);
      assert.ok(s.id.includes('-'), `${s.id}: wants a clan tag before the first '-'`);
      if (s.expect) assert.ok(s.expect.codes.length && s.expect.line > 0 && s.edits.some((e) => e.file === s.expect!.file), `${s.id}: expect names codes, a line and a file the seed edits`);
    }
    // one tag per clan, so the table reads by clan
    const tags = new Map<string, string>();
    for (const s of file.seeds) {
      const tag = s.id.split('-')[0];
      assert.equal(tags.get(tag) ?? s.clan, s.clan, `${s.id}: tag ${tag} is used for two clans`);
      tags.set(tag, s.clan);
    }
    const mistakes = file.seeds.filter((s) => s.expect);
    assert.ok(mistakes.length >= 30 && file.seeds.length - mistakes.length >= 8, `want at least 30 mistakes and 8 correct edits, have ${mistakes.length} and ${file.seeds.length - mistakes.length}`);
    const without = Object.keys(file.clans ?? {}).filter((c) => !mistakes.some((s) => s.clan === c));
    assert.deepEqual(without, [], 'mistakes in every clan of "clans"');
  });

  let result: Result;
  test('seeded copies are checked', { timeout: 30 * 60_000 }, async () => {
    result = await runRecall({ corpus: CLANS, seeds: CLAN_SEEDS, only: new Set(here.map((s) => s.id)) });
    console.log(table(result));
    // a find that does not match once: the folder holds another revision of the clan than the seeds were written against
    const stale = result.rows.filter((r) => r.invalid && /^find occurs|does not exist$/.test(r.invalid));
    assert.deepEqual(
      stale.map((r) => `${path.join(CLANS, r.seed.clan)} is not at the recorded revision ${file.clans?.[r.seed.clan]} (${r.seed.id}: ${r.invalid})`),
      [],
      'every clan with seeds is at the revision recorded in seeded-clans.json',
    );
    const invalid = result.rows.filter((r) => r.invalid && !stale.includes(r)).map((r) => `${r.seed.id}: ${r.invalid}`);
    assert.deepEqual(invalid, [], 'the expected line lies within the edit');
  });

  test('correct edits raise no new error or warning', () => {
    const noisy = result.rows.filter((r) => !r.seed.expect && r.fresh.length).map((r) => `${r.seed.id}: ${r.fresh.map((d) => `${d.severity} ${d.file}:${d.line} ${d.code}: ${d.message}`).join(' | ')}`);
    assert.deepEqual(noisy, []);
  });

  test('every seeded mistake is found but the known misses (each with its cause)', () => {
    const missed = result.rows.filter((r) => r.seed.expect && !r.found).map((r) => r.seed.id).sort();
    const known = Object.keys(KNOWN_MISSES).filter((id) => here.some((s) => s.id === id)).sort();
    console.log(`# recall on the gathered clans: ${result.found} of ${result.mistakes} (${((100 * result.found) / result.mistakes).toFixed(1)}%); issue 56 wants 90%`);
    assert.deepEqual(missed, known, 'a new miss (a rule lost a finding), or a known miss now found (take it off KNOWN_MISSES)');
  });
});
