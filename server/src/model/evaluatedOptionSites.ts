// The option values an evaluation of a clan's registry pipeline computed, as the option rules read
// them (enumOption.ts, invalidOptionType.ts): each place once, with the generators it serves.
import { Attached } from '../base/attached';
import type { OptionValue } from '../facts/types';
import type { ClanEvaluation } from './clanEvaluation';

/** One option value the option rules check: where it is written, and the generators it is theirs. */
export interface OptionSite {
  file: string;
  o: OptionValue;
  /** "generator 'x'", or "generators 'x', 'y'" for a registry place that serves several. */
  of: string;
}

/** The option sites an evaluation computed, found once per evaluation (three rules read them on every keystroke). */
const OPTION_SITES = new Attached<ClanEvaluation, OptionSite[]>('evaluatedOptionSites');

/**
 * The option values the machines' evaluated generators have, each place once however many
 * machines or entries it serves (a helper's default), as written where the value is.
 */
export function evaluatedOptionSites(evaluation: ClanEvaluation): OptionSite[] {
  let sites = OPTION_SITES.get(evaluation);
  if (!sites) OPTION_SITES.set(evaluation, (sites = optionSitesOf(evaluation)));
  return sites;
}

function optionSitesOf(evaluation: ClanEvaluation): OptionSite[] {
  const byPlace = new Map<string, { names: Set<string>; o: OptionValue; file: string }>();
  for (const gens of evaluation.machines.values()) {
    for (const e of gens ?? []) {
      for (const { path, literal, location } of e.options ?? []) {
        const key = `${location.file}:${location.range.start.line}:${location.range.start.character}:${path.join('.')}`;
        const site = byPlace.get(key);
        if (site) site.names.add(e.name);
        else {
          const o: OptionValue = { path, keyRange: location.range, valueRange: location.range, kind: typeof literal === 'string' ? 'string_expression' : 'variable_expression', literal, text: JSON.stringify(literal) };
          byPlace.set(key, { names: new Set([e.name]), o, file: location.file });
        }
      }
    }
  }
  return [...byPlace.values()].map(({ names, o, file }) => ({ file, o, of: `${names.size > 1 ? 'generators' : 'generator'} '${[...names].sort().join("', '")}'` }));
}
