// A sops secret encrypted for other keys than its links say: a user, machine or group was added
// or removed (or a key rotated) and the secret was not re-encrypted. `clan vars check` reports
// this too; `clan vars fix` re-encrypts.
import type { Problem } from '../base/types';
import { declarationsOf, describeVar, fixCommand, reportOn, sopsVarsInUse } from './secretDeclarations';
import type { Rule } from './types';

const MAX_LISTED = 5;

export const secretRecipientsOutdated: Rule = {
  code: 'secret-recipients-outdated',
  uses: ['generators', 'vars', 'modules'], // modules: which machine has a declaration (secretDeclarations.ts)
  check(clan) {
    const problems: Problem[] = [];
    const disk = clan.varsOnDisk();
    const name = (key: string) => disk.owners.get(key)?.join(', ') ?? 'unknown key';
    for (const v of sopsVarsInUse(clan)) {
      if (!v.recipients || v.links.length === 0 || v.links.some((l) => l.problem)) continue;
      const expected = new Map<string, string>();
      for (const l of v.links) for (const k of l.keys) if (!expected.has(k.key.publickey)) expected.set(k.key.publickey, k.owner);
      const actual = new Set([...v.recipients.age, ...v.recipients.pgp]);
      const missing = [...expected].filter(([k]) => !actual.has(k));
      const extra = [...actual].filter((k) => !expected.has(k));
      if (!missing.length && !extra.length) continue;
      const list = (items: string[]) => items.slice(0, MAX_LISTED).join(', ') + (items.length > MAX_LISTED ? `, and ${items.length - MAX_LISTED} more` : '');
      const parts: string[] = [];
      if (missing.length) parts.push(`not yet encrypted for ${list(missing.map(([k, owner]) => `${owner} (${short(k)})`))}`);
      if (extra.length) parts.push(`still encrypted for ${list(extra.map((k) => `${name(k)} (${short(k)})`))}, which no link names`);
      const machines = v.links.filter((l) => l.kind === 'machines').map((l) => l.name);
      problems.push(
        ...reportOn(declarationsOf(clan, v.ref), this.code, 'warning', `Recipients of secret ${describeVar(v.ref)} are out of date: ${parts.join('; ')}. Run ${fixCommand(v.ref, machines)}.`),
      );
    }
    return problems;
  },
};

function short(key: string): string {
  return key.length > 20 ? `${key.slice(0, 12)}…${key.slice(-6)}` : key;
}
