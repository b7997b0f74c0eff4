// `.value` or `.exists` of a secret file: the value of a secret never enters the Nix evaluation, so
// evaluation throws "Cannot access value of secret file" / "Cannot determine existence of secret
// file". Only `.path` (where the secret is deployed on the target) works.
import type { Problem } from '../base/types';
import type { FileFacts } from '../facts/types';
import { isSecretFile, isSecretFileOn } from './secretFiles';
import type { Rule } from './types';

/** A file's `.value` / `.exists` reads of a named file. */
function valueReads(facts: FileFacts): FileFacts['accesses'] {
  return facts.accesses.filter((a) => (a.attr?.name === 'value' || a.attr?.name === 'exists') && !!a.file?.name && !!a.generator.name && !a.unevaluated);
}

export const secretValueAccess: Rule = {
  code: 'secret-value-access',
  uses: ['generators', 'accesses', 'registry', 'modules'],
  check(clan) {
    const problems: Problem[] = [];
    const model = clan.machineModel();
    for (const { file: source, items } of clan.filesWith('accesses', valueReads)) {
      for (const a of items) {
        const [attr, generator, file] = [a.attr!.name, a.generator.name!, a.file!.name!];
        // over the clan's declarations; for a generator only flake inputs declare (clan-core's services), on the machines that read it
        if ((isSecretFile(clan, generator, file) ?? isSecretFileOn(clan, model.machinesAt(source, a.range.start), generator, file)) !== true) continue;
        const thrown = attr === 'value' ? 'Cannot access value of secret file' : 'Cannot determine existence of secret file';
        problems.push({
          file: source,
          range: a.attr!.range,
          severity: 'error',
          code: this.code,
          message: `File '${file}' of generator '${generator}' is secret, so .${attr} is not available: use .path and read it at run time, or set secret = false.`,
          explanation: `Evaluation throws "${thrown}": the value of a secret never enters the Nix evaluation.`,
          fixes: attr === 'value' ? [{ title: 'Use .path instead', edits: [{ file: source, range: a.attr!.range, newText: 'path' }], safe: false }] : [],
        });
      }
    }
    return problems;
  },
};
