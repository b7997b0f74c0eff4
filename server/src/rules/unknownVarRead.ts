// `config.clan.core.vars.generators.<g>.files.<f>.path` (or `.value`, `.exists`, ...) in a module of
// machine m reads m's own generators: where m has no generator <g>, or <g> declares no file <f>,
// evaluating m fails with "attribute '<g>' missing". Reported per machine: an error where every
// module of the machine is read, a warning for a likely typo where some are not (openMachineTypo.ts).
import type { Problem } from '../base/types';
import type { GeneratorAccess } from '../facts/types';
import { CLAN_CORE_MACHINE_GENERATORS } from '../model/clanCoreGenerators';
import type { ClanModel } from '../model/clanModel';
import { closest, type Closest } from '../base/closestName';
import { computedOn, filesOfDeclarations, knownFiles } from './generatorFacts';
import { sharedFilesFor, sharedMismatchError, type SharedReference } from './sharedReference';
import { generatorTypo, machinesPhrase, nameTypo, perMachineElsewhere, quoteList, unreadParts } from './openMachineTypo';
import type { Rule } from './types';
import { attrName } from '../syntax/syntax';

/** The text before the generator's name in a read of the machine's own generators. */
const OWN_BASES = ['config.clan.core.vars.generators.', 'osConfig.clan.core.vars.generators.'].map((b) => b.length);

/**
 * Reads of a named file of a named generator through the machine's own `config` (or `osConfig`,
 * from home-manager), written on one line without a default (`... or null`). The facts keep no base
 * name, so it is told by the length before the generator's name: `nodes.x.config...` and
 * `self.nixosConfigurations.x.config...` read another machine, and an alias may too.
 */
function ownReads(facts: { accesses: GeneratorAccess[] }): GeneratorAccess[] {
  return facts.accesses.filter((a) => {
    if (!a.generator.name || !a.file?.name || a.unevaluated) return false;
    const last = (a.attr ?? a.file).range.end;
    const start = a.range.start;
    const g = a.generator.range.start;
    const oneLine = start.line === g.line && a.range.end.line === last.line;
    return oneLine && OWN_BASES.includes(g.character - start.character) && a.range.end.character === last.character;
  });
}

export const unknownVarRead: Rule = {
  code: 'unknown-var-read',
  uses: ['accesses', 'generators', 'modules', 'registry', 'matrix'],
  reach: 'readers',
  registryReach: true,
  check(clan) {
    const model = clan.machineModel();
    const problems: Problem[] = [];
    for (const { file, items } of clan.filesWith('accesses', ownReads)) {
      for (const a of items) {
        const [gen, varFile] = [a.generator.name!, a.file!.name!];
        // machines without the generator, and those whose generator lacks the file; closed and open
        const noGen = { closed: [] as string[], open: [] as string[] };
        const noFile = { closed: [] as string[], open: [] as string[], files: new Set<string>() };
        // open machines whose generator is shared, and a machine with every declaration of it read that lacks the file
        const noSharedFile = { machines: [] as string[], reference: null as SharedReference | null };
        const on = model.machinesAt(file, a.range.start);
        if (!on.length) {
          const p = unplacedRead(clan, file, a, gen, varFile);
          if (p) problems.push(p);
          continue;
        }
        for (const m of on) {
          const view = model.machines.get(m);
          if (!view) continue;
          const side = view.unknowns.length ? 'open' : 'closed';
          const decls = view.generators.get(gen);
          if (!decls) {
            // one its modules declare under a service setting that is off here: the read is most likely under the same condition
            if (!CLAN_CORE_MACHINE_GENERATORS.has(gen) && !view.patterns.some((p) => p.glob.test(gen)) && !view.offByCondition?.has(gen)) noGen[side].push(m);
            continue;
          }
          // with those whose computed names could be it on this machine: the module system merges their files in
          const files = filesOfDeclarations([...decls, ...computedOn(clan, gen, m)]);
          if (!files || files.has(varFile)) continue;
          const reference = side === 'open' ? sharedFilesFor(clan, view, gen) : null;
          if (reference) {
            if (!reference.files.has(varFile)) {
              noSharedFile.machines.push(m);
              noSharedFile.reference = reference;
            }
            continue;
          }
          noFile[side].push(m);
          files.forEach((f) => noFile.files.add(f));
        }
        const thrown = `Evaluation of the machine fails with "attribute '${gen}' missing"`;
        if (noGen.closed.length) {
          const near = noGen.closed.reduce<Closest | null>((best, m) => closest(gen, model.machines.get(m)!.generators.keys(), best), null);
          problems.push(finding(clan, file, a.generator.range, `${cap(machinesPhrase(noGen.closed))} ${noGen.closed.length === 1 ? 'has' : 'have'} no generator '${gen}'.`, near, `${thrown}.`));
        } else if (noGen.open.length) {
          const typo = generatorTypo(clan, noGen.open, gen, true);
          const other = typo ? null : perMachineElsewhere(clan, noGen.open, gen);
          if (typo) problems.push(finding(clan, file, a.generator.range, `No module we can read declares a generator '${gen}' for ${machinesPhrase(noGen.open)}.`, typo, `${thrown}, unless a module we could not read declares it.`, noGen.open));
          else if (other) problems.push(finding(clan, file, a.generator.range, `Generator '${gen}' is declared for ${quoteList(other.owners)}, not for ${machinesPhrase(other.lacking)}.`, null, `${thrown}, unless a module we could not read declares it.`, other.lacking));
        }
        const fileThrown = `Evaluation of the machine fails with "attribute '${varFile}' missing"`;
        const ref = noSharedFile.reference;
        if (noFile.closed.length) {
          problems.push(finding(clan, file, a.file!.range, `Generator '${gen}' of ${machinesPhrase(noFile.closed)} declares no file '${varFile}'.`, closest(varFile, noFile.files), `${fileThrown}.`));
        } else if (ref) {
          const on = noSharedFile.machines;
          problems.push(
            finding(
              clan,
              file,
              a.file!.range,
              `Shared generator '${gen}' declares no file '${varFile}' on machine '${ref.machine}', whose modules are all read, so it has none on ${machinesPhrase(on)} either.` + (closest(varFile, ref.files) ? '' : ` Its files: ${[...ref.files].join(', ')}.`),
              closest(varFile, ref.files),
              `${fileThrown}; were it declared there by a module we could not read, clan vars generate would stop with "${sharedMismatchError(ref.machine, on[0], gen, ['files'])}".`,
            ),
          );
        } else if (noFile.open.length && !declaredAnywhere(clan, gen, varFile)) {
          const typo = nameTypo(varFile, noFile.files);
          if (typo) problems.push(finding(clan, file, a.file!.range, `No module we can read declares a file '${varFile}' of generator '${gen}' for ${machinesPhrase(noFile.open)}.`, typo, `${fileThrown}, unless a module we could not read declares it.`, noFile.open));
        }
      }
    }
    return problems;
  },
};

/**
 * A read in a module no machine we read imports, while some machine is open (it may import it where
 * we cannot read), or in a clan that declares no machine (a library of modules and services other
 * flakes use): a likely typo of the generator (no module we can read declares it, and nothing we
 * could not read may: generatorTypo) or of the file (the generator's files over all the clan's
 * declarations of it, and computed names that could be it, lack it, and one a letter or two away is
 * declared). Where every machine is read and none imports the module, nothing evaluates it: silent.
 */
function unplacedRead(clan: ClanModel, file: string, a: GeneratorAccess, gen: string, varFile: string): Problem | null {
  const machines = clan.machineModel().machines;
  const open = [...machines.values()].filter((v) => v.unknowns.length).map((v) => v.name);
  if (!open.length && machines.size) return null;
  const where = machines.size ? 'no machine we read imports this module' : 'this clan declares no machine';
  const named = generatorTypo(clan, open, gen);
  if (named) return finding(clan, file, a.generator.range, `No module we can read declares a generator '${gen}', and ${where}.`, named, `Evaluation of a machine importing this module fails with "attribute '${gen}' missing", unless a module we could not read declares it.`, open);
  const files = knownFiles(clan, gen);
  const typo = files && !files.has(varFile) ? nameTypo(varFile, files) : null;
  if (!typo) return null;
  return finding(
    clan,
    file,
    a.file!.range,
    `No module we can read declares a file '${varFile}' of generator '${gen}', and ${where}.`,
    typo,
    `Evaluation of a machine importing this module fails with "attribute '${varFile}' missing", unless a module we could not read declares it.`,
    open,
  );
}

/** Whether some declaration of the generator in the clan declares the file (on another machine, say). */
function declaredAnywhere(clan: ClanModel, gen: string, varFile: string): boolean {
  return (clan.byName.get(gen) ?? []).some((d) => d.files.some((f) => f.name === varFile));
}

/** `open`: the machines of a likely typo (a warning), whose unread parts the message names (none: a clan without machines). */
function finding(clan: ClanModel, file: string, range: Problem['range'], what: string, near: Closest | null, explanation: string, open?: string[]): Problem {
  return {
    file,
    range,
    severity: open ? 'warning' : 'error',
    code: 'unknown-var-read',
    message: what + (near ? ` Did you mean '${near.name}'?` : '') + (open?.length ? ` ${unreadParts(clan, open)}` : ''),
    explanation,
    // a quoted name (`files."key.pub"`) is replaced by a quoted one
    fixes: near ? [{ title: `Change to '${near.name}'`, edits: [{ file, range, newText: attrName(near.name) }], safe: false }] : [],
  };
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
