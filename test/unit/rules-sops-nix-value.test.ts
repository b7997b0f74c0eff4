// sops-nix-secret and secret-value-access, from what a clan user sees: the hint on a plain sops-nix
// secret of a machine's module (its message by kind: literal, computed name, computed set, a secret
// fact's own per-machine secret; with or without the quick fix), the silence on `vars/...` secrets
// and on modules no machine imports; the `.path` quick fix of `.value` (none for `.exists`); and
// both rules following edits of each input they read (incremental runs).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Problem } from '../../server/src/base/types';
import { relativeFindings, scannedClan } from '../helpers/ruleRuns';


const SOPS = 'sops-nix-secret';
const VALUE = 'secret-value-access';

/** A flake whose one machine `a` imports these modules. */
const flakeOf = (...modules: string[]) => `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ${modules.map((m) => `./${m}`).join(' ')} ]; }; }; }\n`;

/** The findings of `code` on this clan (machine a importing a.nix unless flake.nix is given), files relative to its root. */
const findings = (code: string, files: Record<string, string>): Promise<Problem[]> => relativeFindings(code, { 'flake.nix': flakeOf('a.nix'), ...files });

const at = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
const PLAIN_EXPLANATION = 'A generator is prompted once with clan vars generate, checked by clan vars check and encrypted for this machine by clan.';
const FACT_EXPLANATION = 'The facts service becomes a vars generator, whose files take owner, group, mode and neededFor; the migration script moves the value with the fact.';

test('sops-nix-secret: a plain sops-nix secret of a machine\'s module is a hint with the rewrite of it and its reader; vars/... secrets and modules no machine imports are left alone', async () => {
  const found = await findings(SOPS, {
    'flake.nix': flakeOf('a.nix'),
    'a.nix': `{ config, ... }:\n{\n  sops.secrets.token = { owner = "svc"; };\n  sops.secrets."vars/gen/file".owner = "svc";\n  services.svc.tokenFile = config.sops.secrets.token.path;\n}\n`,
    // a home-manager module or the like: no machine imports it, a generator is no replacement there
    'b.nix': `{ ... }:\n{\n  sops.secrets.other = { };\n}\n`,
  });
  assert.equal(found.length, 1, JSON.stringify(found));
  const [p] = found;
  assert.deepEqual({ ...p, fixes: undefined }, {
    file: 'a.nix',
    range: at(2, 15, 20),
    severity: 'hint',
    code: SOPS,
    message: "sops-nix secret 'token' could be a clan vars generator. The quick fix rewrites it and its readers; the migration script moves its value.",
    explanation: PLAIN_EXPLANATION,
    fixes: undefined,
  });
  assert.equal(p.fixes?.length, 1);
  const [fix] = p.fixes!;
  assert.equal(fix.title, "Move sops-nix secret 'token' to a vars generator");
  assert.deepEqual(fix.edits.map((e) => [e.file, e.range.start.line, e.range.end.line]), [['a.nix', 2, 2], ['a.nix', 4, 4]]);
  assert.match(fix.edits[0].newText, /^clan\.core\.vars\.generators\.token = \{\n/);
  assert.equal(fix.edits[1].newText, 'config.clan.core.vars.generators.token.files.value.path');
});

test('sops-nix-secret: a secret bound twice gets no quick fix (nor its promise); a computed name and a computed set are named as written', async () => {
  const found = await findings(SOPS, {
    'a.nix': `{ config, lib, ... }:\n{\n  sops.secrets.dup.owner = "a";\n  sops.secrets.dup.mode = "0400";\n  sops.secrets.\${config.services.x.name} = { };\n  sops.secrets = lib.mapAttrs (k: v: { }) { p = 1; };\n}\n`,
  });
  assert.deepEqual(
    found.map((p) => [p.range, p.severity, p.message, p.explanation, p.fixes]),
    [
      [at(2, 15, 18), 'hint', "sops-nix secret 'dup' could be a clan vars generator.", PLAIN_EXPLANATION, []],
      [at(3, 15, 18), 'hint', "sops-nix secret 'dup' could be a clan vars generator.", PLAIN_EXPLANATION, []],
      [at(4, 15, 40), 'hint', 'sops-nix secret ${config.services.x.name} (a computed name) could be a clan vars generator.', PLAIN_EXPLANATION, []],
      [at(5, 17, 52), 'hint', 'sops.secrets = lib.mapAttrs (k: v: { }) { p = 1; }: sops-nix secrets with computed names could be clan vars generators.', PLAIN_EXPLANATION, []],
    ],
  );
});

const factsService = '  clan.core.facts.services.borg = { secret.key = { }; generator.script = "touch $secrets/key"; };\n';

test("sops-nix-secret: the per-machine sops-nix secret of a secret fact (<machine>-<fact>) names the fact's vars file, with the fix that moves its settings there", async () => {
  const found = await findings(SOPS, {
    'a.nix': `{ config, ... }:\n{\n${factsService}  sops.secrets."\${config.networking.hostName}-key".neededForUsers = true;\n}\n`,
  });
  assert.equal(found.length, 1, JSON.stringify(found));
  const [p] = found;
  assert.deepEqual([p.file, p.range, p.severity, p.code, p.message, p.explanation], [
    'a.nix',
    at(3, 15, 50),
    'hint',
    SOPS,
    "sops-nix secret '<machine>-key' is the secret fact key of facts service borg: its settings belong on vars file borg/key. The quick fix moves them there and rewrites its readers.",
    FACT_EXPLANATION,
  ]);
  assert.deepEqual(p.fixes?.map((f) => [f.title, f.safe, f.edits.map((e) => [e.file, e.range, e.newText])]), [
    [
      "Move the settings of sops-nix secret '<machine>-key' to vars file borg/key",
      false,
      [['a.nix', at(3, 2, 73), 'clan.core.vars.generators.borg = {\n    # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)\n    files.key = { neededFor = "users"; };\n  };']],
    ],
  ]);
});

test("sops-nix-secret: a secret fact's sops-nix secret bound twice names the fact's vars file without promising a fix", async () => {
  const found = await findings(SOPS, {
    'a.nix': `{ config, ... }:\n{\n${factsService}  sops.secrets."\${config.networking.hostName}-key".neededForUsers = true;\n  sops.secrets."\${config.networking.hostName}-key".owner = "x";\n}\n`,
  });
  const message = "sops-nix secret '<machine>-key' is the secret fact key of facts service borg: its settings belong on vars file borg/key.";
  assert.deepEqual(found.map((p) => [p.range, p.severity, p.message, p.explanation, p.fixes]), [
    [at(3, 15, 50), 'hint', message, FACT_EXPLANATION, []],
    [at(4, 15, 50), 'hint', message, FACT_EXPLANATION, []],
  ]);
});

/** The findings of `code` the analysis shows now, as `file:line message`. */
function shown(root: string, index: Awaited<ReturnType<typeof scannedClan>>['index'], code: string): string[] {
  return [...index.allProblems().values()].flat().filter((p) => p.code === code).map((p) => `${path.relative(root, p.file)}:${p.range.start.line} ${p.message}`).sort();
}

test('sops-nix-secret: a secret added to a machine\'s module, and a module with one newly imported by a machine, bring the hint (incremental run)', async () => {
  const { root, index } = await scannedClan({ 'flake.nix': flakeOf('a.nix'), 'a.nix': '{ ... }:\n{\n}\n', 'b.nix': '{ ... }:\n{\n  sops.secrets.other = { };\n}\n' });
  const hint = (file: string, name: string) => `${file}:2 sops-nix secret '${name}' could be a clan vars generator. The quick fix rewrites it and its readers; the migration script moves its value.`;
  assert.deepEqual(shown(root, index, SOPS), []);
  // accesses: the module's own sops-nix secrets
  index.updateFromText(path.join(root, 'a.nix'), '{ ... }:\n{\n  sops.secrets.token = { };\n}\n');
  assert.deepEqual(shown(root, index, SOPS), [hint('a.nix', 'token')]);
  // modules: which machine imports which module
  index.updateFromText(path.join(root, 'flake.nix'), flakeOf('a.nix', 'b.nix'));
  assert.deepEqual(shown(root, index, SOPS), [hint('a.nix', 'token'), hint('b.nix', 'other')]);
});

const valueMessage = (generator: string, file: string) => `File '${file}' of generator '${generator}' is secret, so .value is not available: use .path and read it at run time, or set secret = false.`;
const existsMessage = (generator: string, file: string) => `File '${file}' of generator '${generator}' is secret, so .exists is not available: use .path and read it at run time, or set secret = false.`;

test('secret-value-access: .value of a secret file has the quick fix to .path; .exists has none; a .value read of a generator itself (no file) is no read of a file', async () => {
  const found = await findings(VALUE, {
    'gen.nix': '{\n  clan.core.vars.generators.api = { files.token = { }; script = "touch $out/token"; };\n}\n',
    'use.nix': '{ config, ... }:\n{\n  a = config.clan.core.vars.generators.api.value;\n  b = config.clan.core.vars.generators.api.files.token.value;\n  c = config.clan.core.vars.generators.api.files.token.exists;\n}\n',
  });
  assert.deepEqual(
    found.map((p) => [p.file, p.range, p.severity, p.message, p.fixes]),
    [
      ['use.nix', at(3, 55, 60), 'error', valueMessage('api', 'token'), [{ title: 'Use .path instead', edits: [{ file: 'use.nix', range: at(3, 55, 60), newText: 'path' }], safe: false }]],
      ['use.nix', at(4, 55, 61), 'error', existsMessage('api', 'token'), []],
    ],
  );
});

/** A module reading `generators.<g>.files.token.<attr>` on line 3. */
const read = (g: string, attr: string) => `{ config, ... }:\n{\n  x = config.clan.core.vars.generators.${g}.files.token.${attr};\n}\n`;

test('secret-value-access: follows edits of the reads and of the declaration (incremental run)', async () => {
  const gen = (secret: string) => `{\n  clan.core.vars.generators.api = { files.token = { ${secret}}; script = "touch $out/token"; };\n}\n`;
  const { root, index } = await scannedClan({ 'gen.nix': gen(''), 'use.nix': read('api', 'path') });
  const api = `use.nix:2 ${valueMessage('api', 'token')}`;
  assert.deepEqual(shown(root, index, VALUE), []);
  // accesses: the read becomes .value
  index.updateFromText(path.join(root, 'use.nix'), read('api', 'value'));
  assert.deepEqual(shown(root, index, VALUE), [api]);
  // generators: the file declared public
  index.updateFromText(path.join(root, 'gen.nix'), gen('secret = false; '));
  assert.deepEqual(shown(root, index, VALUE), []);
});

test("secret-value-access: follows edits of the registry entry's secret (incremental run)", async () => {
  const registry = (secret: boolean) => `{ pkgs ? null }: {\n  c-db = { generator = "db"; secret = ${secret}; };\n}\n`;
  const { root, index } = await scannedClan({ 'lib/secret-registry.nix': registry(false), 'reg.nix': read('db', 'value') });
  assert.deepEqual(shown(root, index, VALUE), []);
  // registry: the entry's file made secret, then public again
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), registry(true));
  assert.deepEqual(shown(root, index, VALUE), [`reg.nix:2 ${valueMessage('db', 'token')}`]);
  index.updateFromText(path.join(root, 'lib/secret-registry.nix'), registry(false));
  assert.deepEqual(shown(root, index, VALUE), []);
  // in the editor the evaluation waits for a pause in typing: meanwhile the literal registry decides, its generators unchanged
  index.evaluations.deferMs = 3_600_000;
  try {
    index.updateFromText(path.join(root, 'lib/secret-registry.nix'), registry(true));
    assert.equal(index.clan(root).evaluation, null, 'no evaluation while typing');
    assert.deepEqual(shown(root, index, VALUE), [`reg.nix:2 ${valueMessage('db', 'token')}`]);
  } finally {
    index.evaluations.clear();
  }
});

test('secret-value-access: a computed name that sets secret = false counts only when it may be on the machine of the generator: moving it there silences the read (incremental run)', async () => {
  const flake = (bModules: string) => `{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { machines.a.imports = [ ./a.nix ]; machines.b.imports = [ ${bModules} ]; }; }; }\n`;
  const { root, index } = await scannedClan({
    'flake.nix': flake('./b.nix'),
    'a.nix': '{ config, ... }:\n{\n  clan.core.vars.generators.net-home = { files.id = { }; script = "touch $out/id"; };\n  x = config.clan.core.vars.generators.net-home.files.id.value;\n}\n',
    'b.nix': '{ name, ... }:\n{\n  clan.core.vars.generators."net-${name}".files.id.secret = false;\n}\n',
  });
  assert.deepEqual(shown(root, index, VALUE), [`a.nix:3 ${valueMessage('net-home', 'id')}`]);
  // modules: b.nix now also on machine a, where its computed name may be net-home
  index.updateFromText(path.join(root, 'flake.nix'), flake('./b.nix ./a.nix'));
  assert.deepEqual(shown(root, index, VALUE), []);
});
