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
import { extractFile } from '../../server/src/facts/file';
import { packFacts } from '../../server/src/model/scan/factPool';
import { NixParser } from '../../server/src/syntax/nixParser';
import { REPO_ROOT } from '../helpers/tempClan';

const CORPORA = [path.resolve(REPO_ROOT, '..', 'shared', 'corpus'), path.resolve(REPO_ROOT, '..', 'clans')];
const BASE = 64_000;
const PER_CHARACTER = 32;

/** The .nix files under `dir` (not through links, not in .git), in order. */
function nixFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== '.git') walk(p);
      else if (e.isFile() && e.name.endsWith('.nix')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

for (const corpus of CORPORA) {
  const clans = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((d) => fs.statSync(path.join(corpus, d)).isDirectory()).sort() : [];
  describe(`facts size on ${corpus}`, { skip: clans.length ? false : `no clans under ${corpus}` }, () => {
    for (const clan of clans) {
      test(clan, async () => {
        const parser = await NixParser.load();
        const over: string[] = [];
        let files = 0;
        for (const file of nixFiles(path.join(corpus, clan))) {
          const text = fs.readFileSync(file, 'utf8');
          if (text.length > 2_000_000) continue; // over the checker's default --max-file-size
          const tree = parser.parse(text);
          try {
            const roles = { registry: file.endsWith('secret-registry.nix'), matrix: file.endsWith('machine-env-matrix.nix') };
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
