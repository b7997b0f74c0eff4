// A facts cache (model/scan/factsCache.ts) for tests that run the sources: FactsCache.open gives
// none there (there is no build to key the cache file by: base/cacheFiles.ts buildId), so the class
// is made as open makes it, at a file the test names, and loaded from it as open loads it (nothing
// when the file is not there yet).
import { FactsCache } from '../../server/src/model/scan/factsCache';

/** The facts cache of a scan as a new process finds it at `file`. */
export function factsCacheAt(file: string): FactsCache {
  const Made = FactsCache as unknown as new (file: string, log: (line: string) => void) => FactsCache;
  const cache = new Made(file, () => {});
  (cache as unknown as { load(): void }).load();
  return cache;
}
