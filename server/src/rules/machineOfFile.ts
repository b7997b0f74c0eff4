// Which machine a module belongs to, from its path: `machines/<m>/...` or `hosts/<m>/...`.
import * as path from 'node:path';

export function machineOfFile(root: string, file: string, machines: Iterable<string>): string | null {
  const known = new Set(machines);
  const parts = path.relative(root, file).split(path.sep);
  for (let i = 0; i < parts.length - 1; i++) {
    if ((parts[i] === 'machines' || parts[i] === 'hosts') && known.has(parts[i + 1])) return parts[i + 1];
    if ((parts[i] === 'machines' || parts[i] === 'hosts') && known.has(parts[i + 1].replace(/\.nix$/, ''))) return parts[i + 1].replace(/\.nix$/, '');
  }
  return null;
}
