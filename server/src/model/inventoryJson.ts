// A clan's `inventory.json`, as clan writes it: machines with their tags and class, and service
// instances with their roles. Read inside the clan with the guarded reader; empty when absent,
// malformed or leading out of the clan.
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import type { InstanceFacts, InstanceRole, SettingValue } from '../facts/types';

export type MachineClass = 'nixos' | 'darwin';

export interface InventoryJson {
  machines: Map<string, { tags: string[]; cls: MachineClass | null }>;
  instances: InstanceFacts[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A role's machines or tags: the names of a set (`{ "a": {} }`), or a list of them (the inventory before clan services). */
const names = (v: unknown): string[] => (isObject(v) ? Object.keys(v) : strings(v));

/** `inventory.json`: machines (with tags and class) and service instances; empty when absent or malformed. */
export function readInventoryJson(root: string): InventoryJson {
  const out: InventoryJson = { machines: new Map(), instances: [] };
  let data: unknown;
  try {
    const file = path.join(root, 'inventory.json');
    data = JSON.parse(Confinement.within(root).readText(file, 5_000_000));
  } catch {
    return out;
  }
  if (!isObject(data)) return out;
  if (isObject(data.machines)) {
    for (const [name, m] of Object.entries(data.machines)) {
      const cls = isObject(m) && (m.machineClass === 'darwin' || m.machineClass === 'nixos') ? m.machineClass : null;
      out.machines.set(name, { tags: isObject(m) ? strings(m.tags) : [], cls });
    }
  }
  if (isObject(data.instances)) {
    for (const [name, i] of Object.entries(data.instances)) {
      if (!isObject(i)) continue;
      const mod = isObject(i.module) ? i.module : {};
      const roles = isObject(i.roles) ? i.roles : {};
      out.instances.push({
        name,
        module: typeof mod.name === 'string' ? mod.name : null,
        input: typeof mod.input === 'string' ? mod.input : null,
        roles: Object.entries(roles).map(([r, v]) => {
          const role: InstanceRole = {
            name: r,
            machines: isObject(v) && isObject(v.machines) ? Object.keys(v.machines) : [],
            tags: isObject(v) ? names(v.tags) : [],
            tagsUnknown: false,
          };
          // what conditions on a service's settings read (the strings names read are not taken from here)
          const values = isObject(v) ? settingValues(v.settings) : undefined;
          if (values) role.settingValues = values;
          for (const [m, x] of isObject(v) && isObject(v.machines) ? Object.entries(v.machines) : []) {
            const own = isObject(x) ? settingValues(x.settings) : undefined;
            if (own) (role.machineSettingValues ??= {})[m] = own;
          }
          return role;
        }),
      });
    }
  }
  // the inventory's services before clan services: `services.<module>.<instance>.roles.<role>.{machines,tags}` (lists)
  if (isObject(data.services)) {
    for (const [module, byInstance] of Object.entries(data.services)) {
      for (const [instance, i] of isObject(byInstance) ? Object.entries(byInstance) : []) {
        const roles = isObject(i) && isObject(i.roles) ? i.roles : {};
        out.instances.push({
          name: `${module}.${instance}`,
          module,
          input: 'clan-core',
          legacy: true,
          roles: Object.entries(roles).map(([r, v]) => ({
            name: r,
            machines: isObject(v) ? names(v.machines) : [],
            tags: isObject(v) ? names(v.tags) : [],
            tagsUnknown: false,
          })),
        });
      }
    }
  }
  return out;
}

/** Booleans and lists at each path of a settings object (null for other values but objects); undefined when there are none. */
function settingValues(v: unknown): Record<string, SettingValue | null> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, SettingValue | null> = {};
  const walk = (x: unknown, at: string[], depth: number): void => {
    if (isObject(x) && depth < 8) for (const [k, y] of Object.entries(x)) walk(y, [...at, k], depth + 1);
    else out[at.join('.')] = typeof x === 'boolean' ? x : Array.isArray(x) ? (x.length ? 'nonEmpty' : 'empty') : null;
  };
  walk(v, [], 0);
  return Object.keys(out).length ? out : undefined;
}
