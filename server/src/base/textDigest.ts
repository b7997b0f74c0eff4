// The one digest of a text (SHA-256, hex), computed once per file a scan reads: the key of its
// parse verdict (model/scan/scanVerdicts.ts), part of its facts-cache key (model/scan/factsCache.ts), and
// what `--fix` compares before it writes a file the check read (cli/applyFixes.ts).
import { createHash } from 'node:crypto';

export function textDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
