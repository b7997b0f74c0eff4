// Facts grow with the code they come from: every .nix file of the real clans (../shared/corpus, and
// ../clans where it is), extracted as the scan's workers do, packs (model/scan/factPool.ts, what the
// workers hand over and the facts cache keeps) into at most 64 KB plus 32 characters per character of
// its text. A fact that holds one object in two places is written out twice: an inventory.tags
// definition's AST (a field is also a child) made clan-core's 20-line modules/clan/computed-tags.nix
// 80 MB of facts and a ten-level one ran the checker out of memory.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Confinement } from '../../server/src/base/confinement';
import { discoverNixFiles } from '../../server/src/base/discover';
import { extractFile } from '../../server/src/facts/file';
import { packFacts } from '../../server/src/model/scan/factPool';
import { NixParser } from '../../server/src/syntax/nixParser';
import { REPO_ROOT } from '../helpers/tempClan';

const CORPORA = [path.resolve(REPO_ROOT, '..', 'shared', 'corpus'), path.resolve(REPO_ROOT, '..', 'clans')];
const BASE = 64_000;
const PER_CHARACTER = 32;

for (const corpus of CORPORA) {
  const clans = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((d) => fs.statSync(path.join(corpus, d)).isDirectory()).sort() : [];
  describe(`facts size on ${corpus}`, { skip: clans.length ? false : `no clans under ${corpus}` }, () => {
    for (const clan of clans) {
      test(clan, async () => {
        const parser = await NixParser.load();
        const over: string[] = [];
        let files = 0;
        const dir = path.join(corpus, clan);
        // the files the checker reads
        for (const file of await discoverNixFiles(dir, Confinement.within(dir))) {
          const text = fs.readFileSync(file, 'utf8');
          if (text.length > 2_000_000) continue; // over the checker's default --max-file-size
          const tree = parser.parse(text);
          try {
            // read as a part of a clan too, as an open document is: the most facts a file can have
            const roles = { registry: file.endsWith('secret-registry.nix'), matrix: file.endsWith('machine-env-matrix.nix'), clanPart: true };
            const size = packFacts(extractFile(file, tree, roles, text, parser)).length;
            if (size > BASE + PER_CHARACTER * text.length) over.push(`${path.relative(corpus, file)}: ${size} characters of facts for ${text.length} of text`);
          } finally {
            tree.delete();
          }
          files++;
        }
        assert.ok(files > 0, `no .nix file in ${clan}`);
        assert.deepEqual(over, []);
      });
    }
  });
}
