// What the scan tests share (scan-folder-workers, scan-pool-start): their setup; a scan of a folder whose target
// records what it indexes, skips, fails and logs; a clan heavy enough that the scan's thread takes
// batches back from its worker; and the workers a pool started (private: a test ends one as a crash would).
import { after, before } from 'node:test';
import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { Confinement } from '../../server/src/base/confinement';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { FactPool } from '../../server/src/model/scan/factPool';
import { scanFolder, type ScanTarget } from '../../server/src/model/scan/scanFolder';
import type { ScanPool } from '../../server/src/model/scan/scanPool';
import { NixParser } from '../../server/src/syntax/nixParser';
import { generatorChainFiles, removeTree } from './tempClan';

export const NO_ROLES = { registry: false, matrix: false };

/**
 * What a scan test file sets up, called at its top: workers started from the sources, the parser
 * loaded before its tests (`parser`), the temporary folders put in `roots` removed after them, and
 * `skip` on a machine of one core (no workers).
 */
export function scanTestSetup(): { roots: string[]; parser: NixParser; skip: string | false } {
  process.env.CLAN_VARS_TEST_SCAN_WORKERS_FROM_SOURCES = '1';
  const setup = { roots: [] as string[], parser: undefined as unknown as NixParser, skip: os.availableParallelism() < 2 ? 'one core: no workers' : (false as const) };
  after(() => setup.roots.forEach(removeTree));
  before(async () => {
    setup.parser = await NixParser.load();
  });
  return setup;
}

export interface Scanned {
  stats: Awaited<ReturnType<typeof scanFolder>>;
  /** The files indexed, in the order they were. */
  order: string[];
  /** Each file's facts as JSON, as a FactPool shares them. */
  facts: Map<string, string>;
  /** What the scan logged, skipped, failed and updated. */
  logs: string[];
}

/** A scan of `root` with workers (`changes` to its target: useWorkers, useDiskCache, roles, onText...) and `options`. */
export async function recordedScan(root: string, parser: NixParser, changes: Partial<ScanTarget> = {}, options: Parameters<typeof scanFolder>[1] = {}): Promise<Scanned> {
  const out: Scanned = { stats: undefined as unknown as Scanned['stats'], order: [], facts: new Map(), logs: [] };
  const pool = new FactPool();
  const target: ScanTarget = {
    folder: root,
    reads: Confinement.within(root),
    maxFileSize: DEFAULT_SETTINGS.maxFileSize,
    parser,
    log: (l) => out.logs.push(l),
    useDiskCache: false,
    useWorkers: true,
    roles: () => NO_ROLES,
    onText: () => {},
    index: (file, _text, facts, packed) => {
      out.order.push(file);
      out.facts.set(file, JSON.stringify(pool.share(facts, packed)));
    },
    skip: (file, reason) => out.logs.push(`skip ${file}: ${reason}`),
    fail: (file, message) => out.logs.push(`fail ${file}: ${message}`),
    update: (file) => out.logs.push(`update ${file}`),
    ...changes,
  };
  out.stats = await scanFolder(target, options);
  return out;
}

/**
 * generatorChainFiles with 120 more settings in each machine's file: enough parsing that the scan's
 * thread, once it has read every file, does not take every batch back before the worker (loading
 * from the sources) begins one.
 */
export function chainClan(machines: number): Record<string, string> {
  const files = generatorChainFiles(machines);
  const more = Array.from({ length: 120 }, (_, k) => `  environment.etc."f${k}".text = "line ${k}";`).join('\n');
  for (const [rel, text] of Object.entries(files)) if (rel.startsWith('machines/')) files[rel] = text.replace(/ }\n$/, `\n${more}\n}\n`);
  return files;
}

/** The workers a pool started. */
export const workersOf = (pool: ScanPool): Worker[] => [...(pool as unknown as { queues: Map<Worker, unknown[]> }).queues.keys()];
