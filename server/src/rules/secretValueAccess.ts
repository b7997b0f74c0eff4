// `.value` or `.exists` of a secret file: the value of a secret never enters the Nix evaluation, so
// evaluation throws "Cannot access value of secret file" / "Cannot determine existence of secret
// file". Only `.path` (where the secret is deployed on the target) works.
import type { Problem } from '../model/types';
import { isSecretFile } from './secretFiles';
import type { Rule } from './types';

export const secretValueAccess: Rule = {
  code: 'secret-value-access',
  uses: ['generators', 'accesses', 'registry'],
  check(clan) {
    const problems: Problem[] = [];
    for (const facts of clan.files.values()) {
      for (const a of facts.accesses) {
        const attr = a.attr?.name;
        if ((attr !== 'value' && attr !== 'exists') || !a.file?.name || !a.generator.name) continue;
        if (isSecretFile(clan, a.generator.name, a.file.name) !== true) continue;
        const thrown = attr === 'value' ? 'Cannot access value of secret file' : 'Cannot determine existence of secret file';
        problems.push({
          file: facts.file,
          range: a.attr!.range,
          severity: 'error',
          code: this.code,
          message:
            `File '${a.file.name}' of generator '${a.generator.name}' is secret, so .${attr} is not available: evaluation throws "${thrown}". ` +
            `Use .path (the file on the target) and read it at run time, or set secret = false if the value is not secret.`,
          fixes: attr === 'value' ? [{ title: 'Use .path instead', edits: [{ file: facts.file, range: a.attr!.range, newText: 'path' }], safe: false }] : [],
        });
      }
    }
    return problems;
  },
};
