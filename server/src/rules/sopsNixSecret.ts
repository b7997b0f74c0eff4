// A plain sops-nix secret (`sops.secrets."<name>"`) in a module of one of the clan's machines: it
// works, but lives outside clan vars (no `clan vars generate`/`check`, no prompt, its own sops file
// and key handling). A hint, never a warning: the user may keep sops-nix on purpose. Files no machine
// imports (home-manager modules, Kubernetes manifests) are left alone: there a vars generator is no
// replacement; so are `vars/...` secrets, which clan's vars sops backend declares itself.
import type { Problem } from '../base/types';
import { factOfSopsSecret, legacyDeclarations, migrationFix } from './legacyMigration';
import type { Rule } from './types';

export const sopsNixSecret: Rule = {
  code: 'sops-nix-secret',
  uses: ['accesses', 'modules'],
  check(clan) {
    const problems: Problem[] = [];
    const machines = clan.machineModel();
    for (const { file, d } of legacyDeclarations(clan, 'sops-secret')) {
      // `vars/<generator>/<file>`: clan vars' own sops secret, refined through sops-nix
      if (d.name.startsWith('vars/') || machines.machinesOfFile(file).length === 0) continue;
      const fact = factOfSopsSecret(clan, file, d);
      if (fact) {
        // clan's facts kept secret fact <fact> as sops secret <machine>-<fact>: its value moves with the fact
        const fixes = migrationFix(clan, file, d, `Move the settings of sops-nix secret '${d.name}' to vars file ${fact.generator}/${fact.fact}`);
        problems.push({
          file,
          range: d.range,
          severity: 'hint',
          code: this.code,
          message: `sops-nix secret '${d.name}' is the secret fact ${fact.fact} of facts service ${fact.generator}: its settings belong on vars file ${fact.generator}/${fact.fact}.` + (fixes.length ? ' The quick fix moves them there and rewrites its readers.' : ''),
          explanation: 'The facts service becomes a vars generator, whose files take owner, group, mode and neededFor; the migration script moves the value with the fact.',
          fixes,
        });
        continue;
      }
      problems.push({
        file,
        range: d.range,
        severity: 'hint',
        code: this.code,
        message: d.computed
          ? d.computed === 'name'
            ? `sops-nix secret ${d.name} (a computed name) could be a clan vars generator.`
            : `sops.secrets = ${d.name}: sops-nix secrets with computed names could be clan vars generators.`
          : `sops-nix secret '${d.name}' could be a clan vars generator.` + (d.replacement ? ' The quick fix rewrites it and its readers; the migration script moves its value.' : ''),
        explanation: 'A generator is prompted once with clan vars generate, checked by clan vars check and encrypted for this machine by clan.',
        fixes: migrationFix(clan, file, d, `Move sops-nix secret '${d.name}' to a vars generator`),
      });
    }
    return problems;
  },
};
