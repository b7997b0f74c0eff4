// The settings the analysis needs. The server reads them from the editor (`clanVars.*`), the
// checker from its flags; both fall back to these defaults.
import * as path from 'node:path';
import { SECRET_STORE_SETTINGS, type SecretStoreSetting } from './secretBackends';
export interface AnalysisSettings {
  /** Relative to the clan root. */
  registryPath: string;
  matrixPath: string;
  generatorsPath: string;
  /** Files larger than this are skipped. */
  maxFileSize: number;
  /** Diagnostic codes never reported (`clanVars.diagnostics.ignore`, `--ignore`). */
  ignore: string[];
  /** A clan-core checkout to read clan-core's services from (`clanVars.clanCorePath`, `--clan-core`), instead of the locked input in the Nix store. */
  clanCorePath: string | null;
  /** The secret store vars are kept in (`clanVars.secretStore`, `--secret-store`); `auto`: told from the clan's folders. */
  secretStore: SecretStoreSetting;
}


export const DEFAULT_SETTINGS: AnalysisSettings = {
  registryPath: 'lib/secret-registry.nix',
  matrixPath: 'lib/machine-env-matrix.nix',
  generatorsPath: 'lib/vars-generators.nix',
  maxFileSize: 2_000_000,
  ignore: [],
  clanCorePath: null,
  secretStore: 'auto',
};

export function withDefaults(partial: (Partial<AnalysisSettings> & { diagnostics?: { ignore?: unknown } }) | undefined | null): AnalysisSettings {
  const s = { ...DEFAULT_SETTINGS };
  if (!partial) return s;
  for (const key of ['registryPath', 'matrixPath', 'generatorsPath'] as const) {
    const v = partial[key];
    if (typeof v === 'string' && v.trim() !== '') s[key] = v.trim().replace(/^\.\//, '');
  }
  if (typeof partial.maxFileSize === 'number' && partial.maxFileSize >= 1000) s.maxFileSize = partial.maxFileSize;
  s.secretStore = SECRET_STORE_SETTINGS.find((x) => x === partial.secretStore) ?? 'auto';
  if (typeof partial.clanCorePath === 'string' && partial.clanCorePath.trim() !== '') s.clanCorePath = partial.clanCorePath.trim();
  // the editor sends `diagnostics.ignore` (from `clanVars.diagnostics.ignore`), the checker `ignore`
  const ignore = partial.diagnostics?.ignore ?? partial.ignore;
  if (Array.isArray(ignore)) s.ignore = ignore.filter((c): c is string => typeof c === 'string').map((c) => c.trim()).filter(Boolean);
  return s;
}

/**
 * CLAN_VARS_DEBUG_SLOW_MS=n: the server logs requests, publishes, evaluation slices and steps, and
 * garbage collections that keep it busy longer than n ms (0: off).
 */
export const SLOW_MS = Number(process.env.CLAN_VARS_DEBUG_SLOW_MS) || 0;

/** The clan root `file` is at `rel` (a setting's path, such as lib/secret-registry.nix) of; null when it is not there. */
export function rootAt(file: string, rel: string): string | null {
  const tail = path.sep + path.normalize(rel);
  return file.endsWith(tail) ? file.slice(0, -tail.length) : null;
}
