// Which var a path is about: per-machine or shared, machine, generator, file. Relative directories
// follow clan's `rel_dir`: `per-machine/<machine>/<generator>` or `shared/<generator>`.

export interface VarRef {
  machine: string | null; // null for shared generators
  generator: string;
  /** The file name; may contain `/` (e.g. `keys/PK/PK.key`). */
  file: string;
}

export function relDir(ref: Pick<VarRef, 'machine' | 'generator'>): string {
  return ref.machine === null ? `shared/${ref.generator}` : `per-machine/${ref.machine}/${ref.generator}`;
}

/** A short human label: `peer1 / new-service / a-secret` or `shared / gen / file`. */
export function varLabel(ref: VarRef): string {
  return `${ref.machine ?? 'shared'} / ${ref.generator} / ${ref.file}`;
}

/** Parses `per-machine/<m>/<gen>/<file…>` or `shared/<gen>/<file…>`; null otherwise. */
export function parseVarPath(rel: string): VarRef | null {
  const parts = rel.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  if (parts[0] === 'per-machine' && parts.length >= 4) return { machine: parts[1], generator: parts[2], file: parts.slice(3).join('/') };
  if (parts[0] === 'shared' && parts.length >= 3) return { machine: null, generator: parts[1], file: parts.slice(2).join('/') };
  return null;
}
