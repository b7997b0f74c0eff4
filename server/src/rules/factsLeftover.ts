// A clan facts service (`clan.core.facts.services.<s>`): clan-core removed the facts system when
// bb7a33317 ("remove facts", written 2025-12-03) reached main on 2025-12-09 (merge b4474a5dc), so
// with a clan-core from then on the option does not exist and evaluation
// fails; before that, facts still worked but were deprecated in favour of vars. The fix rewrites
// the service into a vars generator and its readers into vars paths. (`migrateFact` and scripts
// writing `$secrets/`/`$facts/` are reported by removed-option and missing-output.) In a module no
// machine imports, where every machine is read (a template, the role of a clan service no instance
// uses), nothing fails yet: a warning that says so.
import type { Problem } from '../base/types';
import { clanCorePin } from '../model/inputs/clanCorePin';
import { everyMachineKnown } from '../model/machineModel';
import { legacyDeclarations, migrationFix } from './legacyMigration';
import type { Rule } from './types';

/**
 * When the removal reached clan-core's main branch: the merge b4474a5dc, 2025-12-09 08:32:16 UTC, the
 * first commit of main that contains bb7a33317 (read from clan-core's history, first parents of main).
 * A pin's `lastModified` is its commit's date: a commit of main from then on contains the removal;
 * one between the authoring date (2025-12-03) and the merge does not.
 */
export const FACTS_REMOVED = 1765269136;

export const factsLeftover: Rule = {
  code: 'facts-leftover',
  // modules: bumped when flake.lock (the clan-core pin) changes, and with matrix, which machines there
  // are and import a module (a machine only the matrix names is not fully known). Not generators,
  // which a keystroke in a generator bumps (a machine opened by a computed generator set is not
  // followed), nor the registry or vars: neither makes a machine known or not (model/machines.ts)
  uses: ['accesses', 'modules', 'matrix'],
  check(clan) {
    const problems: Problem[] = [];
    // most clans have none of the facts system: one pass finds that (a matrix keystroke re-runs the rule)
    const withLegacy = [...clan.files.values()].filter((f) => f.legacySecrets);
    if (!withLegacy.length) return problems;
    let pinned: { removed: boolean | null } | undefined;
    /** Every machine read (asked once): then a module none imports is evaluated by none. */
    let allKnown: boolean | undefined;
    /**
     * The severity and the why, from whether the clan-core the flake pins still has facts (read once)
     * and whether a machine evaluates the file.
     */
    const found = (file: string, range: Problem['range'], message: string, fixes: Problem['fixes']): Problem => {
      if (!pinned) {
        const pin = clanCorePin(clan.root);
        pinned = { removed: pin ? pin.lastModified >= FACTS_REMOVED : null };
      }
      const { removed } = pinned;
      allKnown ??= everyMachineKnown(clan.machineModel());
      const unused = allKnown && !clan.machineModel().machinesOfFile(file).length;
      const fails = unused ? 'a machine that imports this module fails evaluation' : 'evaluation fails';
      return {
        file,
        range,
        severity: removed && !unused ? 'error' : 'warning',
        code: this.code,
        message,
        explanation:
          (unused ? `No machine of this clan imports this module, so nothing fails yet. ` : '') +
          `clan-core removed the facts system on 2025-12-09: ` +
          (removed
            ? unused
              ? `with the clan-core this flake pins, ${fails}.`
              : `the clan-core this flake pins has no clan.core.facts option, so ${fails}.`
            : removed === false
              ? `the clan-core this flake pins still reads it, but ${fails} once you update clan-core.`
              : `with a clan-core from then on, ${fails}.`),
        fixes,
      };
    };
    const declarations = [...legacyDeclarations(clan, 'facts-service', withLegacy)];
    for (const { file, d } of declarations) {
      const message = d.computed
        ? d.computed === 'name'
          ? `clan.core.facts.services.${d.name} (a computed name) belongs to the removed facts system: move it to a vars generator.`
          : `clan.core.facts.services = ${d.name}: facts services with computed names belong to the removed facts system: move them to vars generators.`
        : `clan.core.facts.services.${d.name} belongs to the removed facts system: move it to a vars generator (clan.core.vars.generators.${d.name})` +
          (d.replacement ? `; the quick fix rewrites it and every reader of its files.` : `.`);
      problems.push(found(file, d.range, message, migrationFix(clan, file, d, `Move facts service '${d.name}' to a vars generator`)));
    }
    // a read of a service no module of the clan declares (clan-core's, another flake's): no fix of a
    // declaration rewrites it, so it is one of its own
    // (or one whose declaration a fix already rewrote, read in a module the fix did not reach)
    const declared = new Set<string>();
    for (const { d } of declarations) if (!d.computed) declared.add(d.name);
    let moved: Set<string | null> | undefined;
    // the rest of the facts system: `lib.mkIf (config.clan.core.facts.secretStore == "sops")`, `clan.core.facts.publicStore = ...`
    for (const facts of withLegacy) {
      for (const r of facts.legacySecrets!.reads) {
        if (r.kind !== 'facts-service' || declared.has(r.name)) continue;
        moved ??= new Set(clan.generators.filter((g) => g.movedFrom === 'clan facts').map((g) => g.name.name));
        const message = moved.has(r.name)
          ? `A read of facts service ${r.name}, which moved to vars generator ${r.name}: read ${r.newText} instead.`
          : `A read of facts service ${r.name}, which no module of this clan declares (a clan-core module, another flake's): read ${r.newText} instead, once its vars generator exists.`;
        problems.push(found(facts.file, r.range, message, [{ title: `Read ${r.newText}`, edits: [{ file: facts.file, range: r.range, newText: r.newText }], safe: false }]));
      }
      for (const u of facts.legacySecrets!.factsUses ?? []) {
        const message =
          `${u.path} ${u.setting ? 'sets' : 'reads'} an option of the removed facts system` +
          (u.newText ? `: read ${u.newText} instead.` : u.setting ? ': remove it (clan.core.vars.settings has the vars counterparts).' : ': remove it, or read its vars counterpart.');
        problems.push(found(facts.file, u.range, message, u.newText ? [{ title: `Read ${u.newText}`, edits: [{ file: facts.file, range: u.range, newText: u.newText }], safe: false }] : []));
      }
    }
    return problems;
  },
};
