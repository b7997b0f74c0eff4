// The settings the analysis needs. The server reads them from the editor (`clanVars.*`), the
// checker from its flags; both fall back to these defaults.
export interface AnalysisSettings {
  /** Relative to the clan root. */
  registryPath: string;
  matrixPath: string;
  generatorsPath: string;
  /** Files larger than this are skipped. */
  maxFileSize: number;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  registryPath: 'lib/secret-registry.nix',
  matrixPath: 'lib/machine-env-matrix.nix',
  generatorsPath: 'lib/vars-generators.nix',
  maxFileSize: 2_000_000,
};

export function withDefaults(partial: Partial<AnalysisSettings> | undefined | null): AnalysisSettings {
  const s = { ...DEFAULT_SETTINGS };
  if (!partial) return s;
  for (const key of ['registryPath', 'matrixPath', 'generatorsPath'] as const) {
    const v = partial[key];
    if (typeof v === 'string' && v.trim() !== '') s[key] = v.trim().replace(/^\.\//, '');
  }
  if (typeof partial.maxFileSize === 'number' && partial.maxFileSize >= 1000) s.maxFileSize = partial.maxFileSize;
  return s;
}
