// The classes of issue 60, each on a small clan written the way real facts-era and sops-nix clans
// are: a firing case (what was lost or missing is moved, fixed or named) and a silent one (the
// shape beside it is left as it was). The walk over stored values and the whole move are in
// migration-walk.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { clanOfFolder } from '../../server/src/cli/folder';
import { migrationSteps } from '../../server/src/ide/migrationScript';
import type { Problem } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { BORG, CLASS_CLANS, fakeSecret, fakeSops, IWD, migrationClan, ROOT_PASSWORD, treeOf, USER_PASSWORD } from '../helpers/migrationClans';
import { MIGRATION_CODES, rewrite } from '../helpers/migrationFlow';
import { removeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** A clan of machine folders `machines/<m>/configuration.nix` importing `modules/<x>.nix`. */
const clan = (files: Record<string, string>): string => migrationClan(roots, files);

const problemsOf = async (root: string): Promise<Problem[]> => (await analyzeFolder(root, DEFAULT_SETTINGS, () => {})).problems.filter((p) => MIGRATION_CODES.has(p.code));
const shown = (root: string, p: Problem) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.code}${p.fixes?.length ? ' (fix)' : ''}`;
const stepsOf = async (root: string) => migrationSteps(await clanOfFolder(root, DEFAULT_SETTINGS, () => {}));
const stepText = (s: { machine: string; varId: string; read: { argv: string[] } | null; from: string }) => `${s.machine} ${s.varId} ${s.read ? s.read.argv.join(' ') : `by hand: ${s.from}`}`;
/** What the clan's modules set, merged over its generator's declarations, for option `opt` of file `file` of generator `gen` (its literal value). */
async function fileOption(root: string, gen: string, file: string, opt: string): Promise<unknown[]> {
  const clan = await clanOfFolder(root, DEFAULT_SETTINGS, () => {});
  return clan.generators.filter((g) => g.name.name === gen).flatMap((g) => g.options.filter((o) => o.path.join('\0') === ['files', file, opt].join('\0')).map((o) => o.literal));
}

/** The text of `rel` once the first fix of each migration finding in it is applied. */
async function fixed(root: string, rel: string): Promise<string> {
  await rewrite(root);
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

// ---- 1. neededForUsers through the machine's name ----

test('1, firing: a secret fact\'s sops-nix secret named through the machine\'s name gives its neededForUsers to the fact\'s vars file, in the same module or in the machine\'s own', async () => {
  // shape A: one module for the service and its sops-nix settings, on two machines
  const a = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/root-password.nix ]; }\n',
    'machines/beta/configuration.nix': '{ imports = [ ../../modules/root-password.nix ]; }\n',
    'modules/root-password.nix': ROOT_PASSWORD,
  });
  const text = await fixed(a, 'modules/root-password.nix');
  assert.match(text, /^ {2}clan\.core\.vars\.generators\.root-password = \{\n {4}# moved from clan facts: [^\n]*\n {4}files\.password-hash = \{ neededFor = "users"; \};\n {2}\};$/m);
  assert.deepEqual(await fileOption(a, 'root-password', 'password-hash', 'neededFor'), ['users']);
  assert.match(text, /hashedPasswordFile = config\.clan\.core\.vars\.generators\.root-password\.files\.password-hash\.path;/);
  assert.doesNotMatch(text, /sops\.secrets|clan\.core\.facts/);
  assert.deepEqual((await problemsOf(a)).map((p) => shown(a, p)), [], 'nothing of the old systems is left');
  // the value moves once, with the fact (not again as a sops-nix secret of its own)
  assert.deepEqual((await stepsOf(a)).map(stepText), [
    'alpha root-password/password clan secrets get -- alpha-password',
    'alpha root-password/password-hash clan secrets get -- alpha-password-hash',
    'beta root-password/password clan secrets get -- beta-password',
    'beta root-password/password-hash clan secrets get -- beta-password-hash',
  ]);
  // shape B: the service in a shared module, the sops-nix setting in the machine's own configuration
  const b = clan({
    'machines/beta/configuration.nix': `{ config, ... }:
{
  imports = [ ../../modules/user.nix ];
  sops.secrets = {
    "\${config.networking.hostName}-user-password-hash" = { neededForUsers = true; };
  };
}
`,
    'modules/user.nix': USER_PASSWORD,
  });
  const own = await fixed(b, 'machines/beta/configuration.nix');
  assert.match(own, /clan\.core\.vars\.generators\.user-password = \{\n\s*# moved from clan facts: [^\n]*\n\s*files\.user-password-hash = \{ neededFor = "users"; \};/);
  assert.deepEqual(await fileOption(b, 'user-password', 'user-password-hash', 'neededFor'), ['users']);
  assert.doesNotMatch(own, /sops\.secrets\./);
  assert.deepEqual((await stepsOf(b)).map(stepText), ['beta user-password/user-password clan secrets get -- beta-user-password', 'beta user-password/user-password-hash clan secrets get -- beta-user-password-hash']);
});

test('1, firing: the fact of a service of clan-core\'s that the machine reads keeps its neededForUsers and its value, before and after the rewrite', async () => {
  const c = CLASS_CLANS.find((x) => x.name.includes("of a service of clan-core's"))!;
  const root = clan(treeOf(c));
  const steps = (await stepsOf(root)).map(stepText);
  assert.deepEqual(steps, ['alpha root-password/password-hash clan secrets get -- alpha-password-hash']);
  const text = await fixed(root, 'machines/alpha/configuration.nix');
  assert.match(text, /clan\.core\.vars\.generators\.root-password = \{\n\s*# moved from clan facts: [^\n]*\n\s*files\.password-hash = \{ neededFor = "users"; \};/);
  assert.match(text, /hashedPasswordFile = config\.clan\.core\.vars\.generators\.root-password\.files\.password-hash\.path;/);
  assert.deepEqual((await problemsOf(root)).map((p) => shown(root, p)), []);
  assert.deepEqual((await stepsOf(root)).map(stepText), steps);
});

test('1, silent: a per-machine sops-nix secret of no fact is its own generator, one value per machine; a literal name is a plain sops-nix secret', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/wg.nix ]; }\n',
    'machines/beta/configuration.nix': '{ imports = [ ../../modules/wg.nix ]; }\n',
    'modules/wg.nix': `{ config, ... }:
{
  sops.secrets."\${config.networking.hostName}-wg-key".owner = "systemd-network";
  sops.secrets.password-hash.neededForUsers = true;
  networking.wireguard.interfaces.wg0.privateKeyFile = config.sops.secrets."\${config.networking.hostName}-wg-key".path;
}
`,
    'sops/secrets/alpha-wg-key/secret': fakeSecret('alpha key'),
    'sops/secrets/beta-wg-key/secret': fakeSecret('beta key'),
    'sops/secrets/password-hash/secret': fakeSecret('$6$x'),
  });
  const steps = (await stepsOf(root)).map(stepText);
  assert.deepEqual(steps, [
    'alpha password-hash/value clan secrets get -- password-hash',
    'alpha wg-key/value clan secrets get -- alpha-wg-key',
    'beta password-hash/value clan secrets get -- password-hash',
    'beta wg-key/value clan secrets get -- beta-wg-key',
  ]);
  const text = await fixed(root, 'modules/wg.nix');
  assert.match(text, /clan\.core\.vars\.generators\.wg-key = \{\n\s*# moved from sops-nix secret "<machine>-wg-key" \(named through the machine's name\):/);
  assert.match(text, /files\.value = \{ owner = "systemd-network"; \};/);
  assert.match(text, /clan\.core\.vars\.generators\.password-hash = \{[\s\S]*files\.value = \{ neededFor = "users"; \};/);
  assert.match(text, /privateKeyFile = config\.clan\.core\.vars\.generators\.wg-key\.files\.value\.path;/);
  assert.doesNotMatch(text, /\.files\.password-hash/, 'no fact is named password-hash: nothing goes to a fact\'s file');
  // written after the rewrite, the script reads the same values
  assert.deepEqual((await stepsOf(root)).map(stepText), steps);
});

// ---- 2. a prompted facts script ----

test('2, firing: a prompted facts script reads the typed value in the vars prompt, whichever way it wrote $prompt_value', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/root.nix ]; }\n',
    'modules/root.nix': `{ config, pkgs, ... }:
{
  clan.core.facts.services.root-password = {
    secret.password = { };
    generator.prompt = "root password (empty: generate one)";
    generator.path = with pkgs; [ coreutils xkcdpass ];
    generator.script = ''
      if [[ -n ''\${prompt_value-} ]]; then
        echo $prompt_value | tr -d "\\n" > $secrets/password
      else
        xkcdpass --numwords 3 | tr -d "\\n" > $secrets/password
      fi
    '';
  };
}
`,
  });
  const text = await fixed(root, 'modules/root.nix');
  assert.match(text, /prompts\.prompt_value = \{\n\s*description = "root password \(empty: generate one\)";/);
  assert.match(text, /script = ''\n {6}export prompt_value="\$\(cat "\$prompts"\/prompt_value\)"\n {6}if \[\[ -n ''\$\{prompt_value-\} \]\]; then\n/);
  // run as bash would with vars' $prompts: the typed value, not a generated one
  const body = /script = ''\n([\s\S]*?)\n\s*'';/.exec(text)![1].replace(/^ {6}/gm, '').replace(/''\$/g, '$');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-prompt-'));
  roots.push(dir);
  fs.mkdirSync(path.join(dir, 'prompts'));
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(path.join(dir, 'prompts', 'prompt_value'), 'typed by the user');
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', body], { env: { PATH: '/usr/bin:/bin', prompts: path.join(dir, 'prompts'), out: path.join(dir, 'out') }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'out', 'password'), 'utf8'), 'typed by the user');
});

test('2, silent: a facts script with no prompt gets no prompt and no prompt line', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/token.nix ]; }\n',
    'modules/token.nix': `{
  clan.core.facts.services.token = {
    secret.token = { };
    generator.prompt = null;
    generator.script = "echo \${"$"}{prompt_value:-none} > $secrets/token";
  };
}
`,
  });
  const text = await fixed(root, 'modules/token.nix');
  assert.match(text, /clan\.core\.vars\.generators\.token = \{/);
  assert.doesNotMatch(text, /prompts|export prompt_value/);
});

// ---- 3. dotenv secrets, public facts of no service ----

test('3, firing: a dotenv sops-nix secret is moved whole, as sops-nix deploys it; a public fact no service declares is named by hand', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/app.nix ]; }\n',
    'modules/app.nix': `{ config, ... }:
{
  sops.secrets.app-env = {
    sopsFile = ../secrets/app.env;
    format = "dotenv";
  };
  systemd.services.app.serviceConfig.EnvironmentFile = config.sops.secrets.app-env.path;
}
`,
    'secrets/app.env': fakeSops({ API_TOKEN: 't0k3n', DB_URL: 'postgres://x' }),
    'machines/alpha/facts/ssh.id_ed25519.pub': 'ssh-ed25519 AAAA alpha',
  });
  const steps = (await stepsOf(root)).map(stepText);
  assert.deepEqual(steps, [
    'alpha app-env/value sops --decrypt --input-type dotenv --output-type dotenv -- ./secrets/app.env',
    'alpha ssh.id_ed25519.pub by hand: public fact machines/alpha/facts/ssh.id_ed25519.pub: no facts service the migration reads declares it (a computed name, or a module outside the clan); move it with clan vars set to the generator that replaces its service',
  ]);
  await rewrite(root);
  assert.match(fs.readFileSync(path.join(root, 'modules/app.nix'), 'utf8'), /# where sops-nix read the value: sopsFile = \.\.\/secrets\/app\.env; format = "dotenv";/);
  assert.deepEqual((await stepsOf(root)).map(stepText), steps, 'the same after the rewrite');
});

test('3, silent: a yaml secret still has one key extracted; a dotenv secret with a key of its own is named, not moved whole', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/app.nix ]; }\n',
    'modules/app.nix': `{
  sops.secrets.db = { sopsFile = ../secrets/db.yaml; key = "password"; };
  sops.secrets.token = { sopsFile = ../secrets/app.env; format = "dotenv"; key = "API_TOKEN"; };
}
`,
    'secrets/db.yaml': fakeSops({ password: 'pw' }),
    'secrets/app.env': fakeSops({ API_TOKEN: 't' }),
  });
  assert.deepEqual((await stepsOf(root)).map(stepText), [
    'alpha db/value sops --decrypt --extract ["password"] -- ./secrets/db.yaml',
    'alpha token/value by hand: sops-nix secret token in secrets/app.env (format dotenv): its key API_TOKEN is one entry of the file, which the script does not extract',
  ]);
});

// ---- 4. facts services with generated names ----

test('4, firing: facts services named by a function over networks get a finding, and each value they stored is named by hand', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/iwd.nix ]; }\n',
    'modules/iwd.nix': IWD,
    'sops/secrets/alpha-iwd.home/secret': fakeSecret('home psk'),
    'sops/secrets/alpha-iwd.work/secret': fakeSecret('work psk'),
    'sops/secrets/alpha-age.key/secret': fakeSecret('AGE-SECRET-KEY-1'),
  });
  const problems = await problemsOf(root);
  assert.deepEqual(problems.map((p) => shown(root, p)), ['modules/iwd.nix:9 facts-leftover']);
  assert.match(problems[0].message, /clan\.core\.facts\.services\."iwd\.\$\{name\}" \(a computed name\)/);
  const steps = (await stepsOf(root)).map(stepText);
  assert.deepEqual(steps.map((s) => s.split(' by hand: ')[0]), ['alpha "iwd.${name}"', 'alpha iwd.home', 'alpha iwd.work'], "each stored value, not the machine's own age key");
  assert.match(steps[1], /by hand: clan secret alpha-iwd\.home: no facts service the migration reads declares it/);
});

test('4, silent: a function over a list that sets no facts or secrets, and stored values of a machine with no computed service, are left alone', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': `{ lib, ... }:
let name = "outer";
in {
  config = lib.mkMerge (map (name: { services."\${name}".enable = true; }) [ "a" "b" ]);
}
`,
    'sops/secrets/alpha-manual/secret': fakeSecret('kept in sops'),
  });
  assert.deepEqual((await problemsOf(root)).map((p) => shown(root, p)), []);
  assert.deepEqual((await stepsOf(root)).map(stepText), []);
});

// ---- 5. a facts service named by a let-bound string ----

test('5, firing: a facts service named through a chain of let-bound strings gets the fix: generator, files, and its let-bound reader', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/borg.nix ]; }\n',
    'modules/borg.nix': BORG,
    'sops/secrets/alpha-borgbackup.ssh/secret': fakeSecret('KEY'),
    'machines/alpha/facts/borgbackup.ssh.pub': 'ssh-ed25519 AAAA',
  });
  const text = await fixed(root, 'modules/borg.nix');
  assert.match(text, /clan\.core\.vars\.generators\.borgbackup = \{\n\s*# moved from clan facts/);
  assert.match(text, /files\."borgbackup\.ssh\.pub"\.secret = false;/);
  assert.match(text, /keyPath = config\.clan\.core\.vars\.generators\.borgbackup\.files\."borgbackup\.ssh"\.path;/);
  assert.deepEqual((await problemsOf(root)).map((p) => shown(root, p)), []);
  assert.deepEqual((await stepsOf(root)).map(stepText), ['alpha borgbackup/borgbackup.ssh clan secrets get -- alpha-borgbackup.ssh', 'alpha borgbackup/borgbackup.ssh.pub cat -- ./machines/alpha/facts/borgbackup.ssh.pub']);
});

test('5, silent: a let-bound name a function parameter hides, or one that is no string, stays a computed name with no fix', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': `{ config, lib, ... }:
let
  name = "wrong";
  cfg = config.services.x;
in
{
  config = lib.mkMerge (map (name: { clan.core.facts.services.\${name}.secret.key = { }; }) [ "a" ]);
  clan.core.facts.services.\${cfg.name} = { secret.key = { }; };
}
`,
  });
  const problems = await problemsOf(root);
  assert.deepEqual(problems.map((p) => `${shown(root, p)} ${/\(a computed name\)/.test(p.message)}`), ['machines/alpha/configuration.nix:7 facts-leftover true', 'machines/alpha/configuration.nix:8 facts-leftover true']);
  assert.doesNotMatch(problems.map((p) => p.message).join('\n'), /wrong/);
});

// ---- 6. leftover readers ----

test('6, firing: a reader of a facts service the clan does not declare (an option default, a let-bound reader) is a finding with the vars read as its fix', async () => {
  const module = `{ config, lib, ... }:
let
  pub = config.clan.core.facts.services.openssh.public."ssh.id_ed25519.pub".value;
in
{
  options.my.hostKey = lib.mkOption {
    type = lib.types.str;
    default = config.clan.core.facts.services.openssh.public."ssh.id_ed25519.pub".value;
  };
  config.users.users.root.openssh.authorizedKeys.keys = [ pub ];
}
`;
  const root = clan({ 'machines/alpha/configuration.nix': '{ imports = [ ../../modules/keys.nix ]; }\n', 'modules/keys.nix': module });
  const problems = await problemsOf(root);
  assert.deepEqual(problems.map((p) => shown(root, p)), ['modules/keys.nix:3 facts-leftover (fix)', 'modules/keys.nix:8 facts-leftover (fix)']);
  assert.match(problems[0].message, /^A read of facts service openssh, which no module of this clan declares/);
  const text = await fixed(root, 'modules/keys.nix');
  assert.doesNotMatch(text, /clan\.core\.facts/);
  assert.equal(text.match(/config\.clan\.core\.vars\.generators\.openssh\.files\."ssh\.id_ed25519\.pub"\.value/g)?.length, 2);
});

test('6, firing: a reader left behind by a rewrite done earlier (the generator\'s # moved from comment) is a finding of its own', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': `{ config, ... }:
{
  clan.core.vars.generators.ssh = {
    # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)
    files."ssh.pub".secret = false;
    script = "echo k > $out/ssh.pub";
  };
  users.users.root.openssh.authorizedKeys.keys = [ config.clan.core.facts.services.ssh.public."ssh.pub".value ];
}
`,
  });
  const problems = await problemsOf(root);
  assert.deepEqual(problems.map((p) => `${shown(root, p)} ${p.message}`), [
    'machines/alpha/configuration.nix:8 facts-leftover (fix) A read of facts service ssh, which moved to vars generator ssh: read config.clan.core.vars.generators.ssh.files."ssh.pub".value instead.',
  ]);
});

test('6, silent: a reader of a service the clan declares is rewritten by the declaration\'s fix, not reported again; vars reads are left alone', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': `{ config, ... }:
{
  clan.core.facts.services.ssh = { public."ssh.pub" = { }; generator.script = "echo k > $facts/ssh.pub"; };
  users.users.root.openssh.authorizedKeys.keys = [ config.clan.core.facts.services.ssh.public."ssh.pub".value config.clan.core.vars.generators.other.files.k.value ];
}
`,
  });
  assert.deepEqual((await problemsOf(root)).map((p) => shown(root, p)), ['machines/alpha/configuration.nix:3 facts-leftover (fix)']);
});
