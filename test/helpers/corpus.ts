// The real clans of ../shared/corpus (read-only, beside the checkout), for the tests that run the
// checker over them; none in a fresh clone, where those tests are skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './tempClan';

export const CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** The corpus clans' folders, sorted; empty when there is no corpus. */
export function corpusClans(): string[] {
  if (!fs.existsSync(CORPUS_DIR)) return [];
  return fs.readdirSync(CORPUS_DIR).map((d) => path.join(CORPUS_DIR, d)).filter((d) => fs.statSync(d).isDirectory()).sort();
}
