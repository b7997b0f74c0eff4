// A text with none of the words the extraction looks for is not parsed by the scan: its facts are
// those of its name alone (facts/file.ts unparsedFacts). That holds only while every extractor starts
// with such a check: every .nix file of the real clans (../shared/corpus, and ../clans where it is) is
// extracted whole (extractParsed, each extractor run) and compared, and so are hand-written texts with
// one word each: where unparsedFacts answers, the whole extraction finds nothing more (whether the file
// has syntax errors aside, which is not told).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { discoverNixFiles } from '../../server/src/base/discover';
import { extractParsed, unparsedFacts, type FileRoles } from '../../server/src/facts/file';
import type { FileFacts } from '../../server/src/facts/types';
import { NixParser } from '../../server/src/syntax/nixParser';
import { REPO_ROOT } from '../helpers/tempClan';

const NO_ROLE: FileRoles = { registry: false, matrix: false };

/** The whole extraction of `text` without what only a parse tells (syntax errors). */
async function wholeFacts(file: string, text: string, roles: FileRoles): Promise<FileFacts> {
  const parser = await NixParser.load();
  const tree = parser.parse(text);
  try {
    const { hasSyntaxErrors: _e, firstSyntaxError: _f, ...facts } = extractParsed(file, NixParser.flatten(tree), roles, text, parser);
    return facts;
  } finally {
    tree.delete();
  }
}

/** The files of `dir` whose facts unparsedFacts answers and the whole extraction disagrees with; how many it answered, of how many. */
async function disagreements(dir: string): Promise<{ wrong: string[]; unparsed: number; files: number }> {
  const wrong: string[] = [];
  let unparsed = 0;
  const files = await discoverNixFiles(dir, Confinement.within(dir));
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (text.length > 2_000_000) continue;
    const quick = unparsedFacts(file, text, NO_ROLE);
    if (!quick) continue;
    unparsed++;
    const whole = await wholeFacts(file, text, NO_ROLE);
    if (JSON.stringify(whole) !== JSON.stringify(quick)) wrong.push(`${path.relative(dir, file)}: ${JSON.stringify(whole).slice(0, 300)}`);
  }
  return { wrong, unparsed, files: files.length };
}

test('unparsedFacts: a text with none of the words, in no role, has the facts of its name alone; a word, a role or a deliberate failure asks for a parse', async () => {
  const plain = '{ config, lib, pkgs, ... }:\n{\n  options.x.enable = lib.mkEnableOption "x";\n  services.nginx.virtualHosts.a.root = "/srv";\n  networking.firewall.allowedTCPPorts = [ 80 443 ];\n}\n';
  assert.deepEqual(unparsedFacts('/c/a.nix', plain, NO_ROLE), { file: '/c/a.nix', generators: [], opaqueGeneratorSources: [], importApplies: [], accesses: [] });
  // a definition of an `enable` option (what `lib.mkIf cfg.enable` above a generator reads) asks for a parse
  for (const def of ['services.nginx.enable = true;', 'x = { enable = lib.mkDefault false; };']) assert.equal(unparsedFacts('/c/a.nix', `{ lib, ... }: { ${def} }`, NO_ROLE), null, def);
  assert.deepEqual(await wholeFacts('/c/a.nix', plain, NO_ROLE), unparsedFacts('/c/a.nix', plain, NO_ROLE));
  // a broken text too: nothing is read from it either way
  assert.deepEqual(await wholeFacts('/c/a.nix', '{ services.x = ', NO_ROLE), unparsedFacts('/c/a.nix', '{ services.x = ', NO_ROLE));
  for (const role of [{ registry: true, matrix: false }, { registry: false, matrix: true }, { registry: false, matrix: false, clanPart: true }]) assert.equal(unparsedFacts('/c/a.nix', plain, role), null, JSON.stringify(role));
  // one word of each extractor's check, in a text otherwise without any: each is parsed, and each has facts a parse finds
  const cases: [string, (f: FileFacts) => unknown][] = [
    ['{ clan.core.vars.generators.x = { files.k = { }; script = "echo > $out/k"; }; }', (f) => f.generators.length],
    ['{ imports = [ ./x.nix ]; }', (f) => f.modules?.imports.length],
    ['let s = import ./x.nix { }; in s', (f) => f.imports?.length],
    ['{ lib, ... }: { imports = [ (lib.importApply ./x.nix { }) ]; }', (f) => f.importApplies.length],
    ['{ my.secrets.discover.dir = ./secrets; }', (f) => f.discoverDirs?.length],
    ['{ a = 1; } # clan-vars: ignore missing-output', (f) => f.ignoreComments?.length],
    ['{ a = getPath { key = "k"; }; }', (f) => f.secretKeyUses?.length],
    ['{ sops.secrets.x = { }; }', (f) => f.legacySecrets],
    ['{ clan.core.facts.services.x = { }; }', (f) => f.legacySecrets],
    ['{ nixosModules.a = ./a.nix; }', (f) => f.modules],
    ['{ inventory.machines.a = { }; }', (f) => f.modules ?? f.inventoryMachines],
    ['{ flake.clan.machines.a = { }; }', (f) => f.modules ?? f.inventoryMachines],
    ['{ clan.core.settings.state-version.enable = false; }', (f) => f.optionDefs?.length],
    ['{ clan.core.settings.machine-id.enable = true; }', (f) => f.optionDefs?.length],
    ['{ clan.vars.settings.secretStore = "password-store"; }', (f) => f.secretStore],
    ['{ x = { files.k = { }; script = "echo > $out/k"; }; }', (f) => f.setGenerators?.length],
    ['{ x = { share = true; }; }', (f) => f.setGenerators?.length],
    ['{ clan.machines.a = { }; }', (f) => f.modules ?? f.inventoryMachines],
  ];
  for (const [text, found] of cases) {
    assert.equal(unparsedFacts('/c/a.nix', text, NO_ROLE), null, text);
    assert.ok(found(await wholeFacts('/c/a.nix', text, NO_ROLE)), `a parse finds facts in ${text}`);
  }
});

for (const corpus of [path.resolve(REPO_ROOT, '..', 'shared', 'corpus'), path.resolve(REPO_ROOT, '..', 'clans')]) {
  const clans = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((d) => fs.statSync(path.join(corpus, d)).isDirectory()).sort() : [];
  describe(`unparsedFacts on ${corpus}`, { skip: clans.length ? false : `no clans under ${corpus}` }, () => {
    test('where it answers, the whole extraction finds nothing more', async () => {
      const wrong: string[] = [];
      let unparsed = 0;
      let files = 0;
      for (const clan of clans) {
        const r = await disagreements(path.join(corpus, clan));
        wrong.push(...r.wrong.map((w) => `${clan}/${w}`));
        unparsed += r.unparsed;
        files += r.files;
      }
      assert.deepEqual(wrong, []);
      console.log(`# ${corpus}: ${unparsed} of ${files} files not parsed by the scan`);
    });
  });
}
