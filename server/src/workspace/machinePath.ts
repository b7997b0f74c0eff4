// Which machine a module belongs to by where it lives: `machines/<m>/...`, `hosts/<m>/...`, or a
// file `machines/<m>.nix`. One place for this convention; callers choose which segment counts.
import * as path from 'node:path';

export interface MachineSegment {
  /** The machine name: the directory, or the file name without `.nix`. */
  name: string;
  /** False for the `machines/<m>.nix` file form. */
  isDir: boolean;
  /** The path segment as written. */
  raw: string;
}

/** Every `machines/<m>` or `hosts/<m>` in a file's path below the clan root, outermost first. */
export function machineSegments(root: string, file: string): MachineSegment[] {
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] === '..') return [];
  const out: MachineSegment[] = [];
  for (let i = 0; i + 1 < parts.length; i++) {
    if (parts[i] !== 'machines' && parts[i] !== 'hosts') continue;
    const raw = parts[i + 1];
    const isDir = i + 1 < parts.length - 1;
    out.push({ name: isDir ? raw : raw.replace(/\.nix$/, ''), isDir, raw });
  }
  return out;
}

/** The first segment naming a known machine; the file form counts only when `fileForm` is set. */
export function knownMachineOfFile(root: string, file: string, machines: ReadonlySet<string>, fileForm = false): string | null {
  for (const s of machineSegments(root, file)) if ((s.isDir || fileForm) && machines.has(s.name)) return s.name;
  return null;
}
