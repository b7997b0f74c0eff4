// Texts that ran out of their parse time, remembered by the SHA-256 of the text (whatever its path
// or role: parsing depends on the text only): in memory for the life of the process, and on disk
// beside the facts cache (workspace/factsCache.ts), so that neither the next scan nor the next
// start parses them again. A remembered verdict is final for the text: a file whose text changes
// is parsed again, and an open document is parsed with its own budget whatever is remembered.
import { textDigest } from '../../base/textDigest';
import type { FactsCache } from './factsCache';

/** Verdicts kept in memory (each a digest and a short reason); the oldest go first. */
const MAX_REMEMBERED = 10_000;
/** What a verdict read from disk must look like to be believed (the reasons scanBudget.ts and the parser give). */
const VERDICT = /^parsing took longer than \d+ ms[^\n]{0,200}$/;

const remembered = new Map<string, string>();

/** Why `text` is not parsed when it ran out of time before (in this process, or as the facts cache remembers), else undefined. */
export function knownTooSlow(text: string, cache: FactsCache | null, digest = textDigest(text)): string | undefined {
  const here = remembered.get(digest);
  if (here !== undefined) {
    cache?.putVerdict(digest, here);
    return here;
  }
  const stored = cache?.verdict(digest);
  if (stored === undefined || !VERDICT.test(stored)) return undefined;
  keep(digest, stored);
  return stored;
}

/** Remembers that `text` ran out of time (`reason`: "parsing took longer than …"). */
export function rememberTooSlow(text: string, reason: string, cache: FactsCache | null, digest = textDigest(text)): void {
  if (!VERDICT.test(reason)) return;
  keep(digest, reason);
  cache?.putVerdict(digest, reason);
}

/** The reason a file is skipped for with a remembered verdict. */
export function rememberedReason(reason: string): string {
  return `${reason}; remembered for this text, not parsed again`;
}

function keep(digest: string, reason: string): void {
  remembered.delete(digest);
  remembered.set(digest, reason);
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
}

/** Forgets what this process remembered (tests). */
export function forgetVerdicts(): void {
  remembered.clear();
}
