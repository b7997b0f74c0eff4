// The clan's secret store as its Nix sets it: `vars.settings.secretStore = "age";` at the clan level
// (the top of clan.nix, `clan = { ... }` in a flake, or the attrset given to `clan-core.lib.clan`).
// The machine-level `clan.core.vars.settings.secretStore` is deprecated and not read here. Only a
// literal string counts. Never throws.
import type { FlatNode as Node } from '../syntax/flatTree';
import { stringValue, walk } from '../syntax/syntax';
import { enclosingPath } from './inventoryMachines';

const SETTING = ['vars', 'settings', 'secretStore'];

export function extractClanSecretStore(root: Node, isClanFile: boolean): { value: string; line: number } | null {
  let found: { value: string; line: number } | null = null;
  walk(root, (node) => {
    if (found || node.type !== 'binding') return;
    const { path, argumentPath } = enclosingPath(node);
    const at = path.length - SETTING.length;
    if (at < 0 || SETTING.some((s, i) => path[at + i] !== s)) return;
    const before = path.slice(0, at);
    const clanLevel = (before.length === 0 && isClanFile) || before[before.length - 1] === 'clan' || (argumentPath !== null && argumentPath.length === SETTING.length);
    if (!clanLevel) return;
    const value = stringValue(node.childForFieldName('expression'));
    if (value !== null) found = { value, line: node.startPosition.row };
  });
  return found;
}
