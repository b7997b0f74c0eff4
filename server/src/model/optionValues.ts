// The value an option of the machine's own modules takes on a machine, as far as the syntax tells
// (facts/optionDefs.ts extractEnableDefs): what `lib.mkIf cfg.enable` above a generator in a module
// of the machine's reads (serviceInstances.ts conditionsOn). The definitions in the machine's
// module files are merged as the module system merges them: the lowest priority number wins
// (`lib.mkForce` 50, plain 100, `lib.mkDefault` 1000), and there every definition must be the same
// literal Boolean. Only `true` is an answer: the definitions a clan service's module or a module
// written inline in another file makes are not read (those files' own values are), so that the
// modules read turn it off is a reason, as is a definition not read (under `lib.mkIf`, computed, a
// set written so that any option below it may be defined), none at all (the option's default is not
// read), or, unless a definition read turns it on, a machine with modules not read.
import type { FileFacts } from '../facts/types';
import type { ModuleGraph } from './moduleGraph';
import type { OptionValueOn } from './serviceInstances';

export function optionValuesOn(files: Map<string, FileFacts>, graph: ModuleGraph): OptionValueOn {
  const known = new Map<string, boolean | string>();
  return (machine, option) => {
    const key = `${machine}\u0000${option}`;
    let v = known.get(key);
    if (v === undefined) known.set(key, (v = valueOn(files, graph, machine, option)));
    return v;
  };
}

function valueOn(files: Map<string, FileFacts>, graph: ModuleGraph, machine: string, option: string): boolean | string {
  const mods = graph.machines.get(machine);
  if (!mods) return 'on a machine whose modules are not known';
  const v = readValue(files, graph, mods.files, option);
  // a module not read may set it otherwise too, but only a definition read turns it on
  return v !== true && mods.unknowns.length ? 'and the machine has modules not read, which may set it' : v;
}

function readValue(files: Map<string, FileFacts>, graph: ModuleGraph, modules: Set<string>, option: string): boolean | string {
  let best = Infinity;
  const values = new Set<boolean | null>();
  for (const file of modules) {
    for (const d of files.get(file)?.enableDefs ?? []) {
      if (d.under ? !option.startsWith(`${d.option}.`) : d.option !== option) continue;
      if (d.under) return `which ${graph.shown(file)} may set (it sets ${d.option} in a way not read)`;
      if (d.priority < best) (best = d.priority), values.clear();
      if (d.priority === best) values.add(d.value);
    }
  }
  if (best === Infinity) return 'which no module of the machine sets (its default is not read)';
  if (values.has(null)) return 'set in a way not known statically';
  if (values.size !== 1) return 'set to true and to false at one priority';
  // only on: what a clan service's module or one written inline sets is not read here
  return [...values][0] ? true : 'which the modules read turn off (a clan service or a module written inline may turn it on)';
}
