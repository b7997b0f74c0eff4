// The steps of the migration script (migrationSteps.ts), each as the editor shows it and the script
// takes it, on small clans written for one rule each: which vars generators take over stored facts
// (clan's `migrateFact`: every file of the generator, secret unless `files.<f>.secret = false`, and
// each prompt with `persist = true`), where a plain sops-nix secret is read (its sopsFile, key and
// format as sops-nix reads them), what is left by hand and why, word for word, and the order. Then
// the script itself where it has nothing to move, and where a read fails inside the pipe.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { clanOfFolder, migrationScriptOfFolder } from '../../server/src/cli/folder';
import { migrationSteps, type MigrationStep } from '../../server/src/ide/migrationSteps';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { FAKE_CLAN, invocations } from '../helpers/fakeClan';
import { fakeSecret, migrationClan } from '../helpers/migrationClans';
import { clanCoreInStore, removeTree, withNixStore } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const clan = (files: Record<string, string>): string => migrationClan(roots, files);

const stepsOf = async (root: string) => migrationSteps(await clanOfFolder(root, DEFAULT_SETTINGS, () => {}));
const steps = async (files: Record<string, string>) => stepsOf(clan(files));

const NO_SOPS_FILE = "its sopsFile is not a literal path (and no literal sops.defaultSopsFile in its module or, one for all, in its machine's modules)";
const UNDECLARED = 'no facts service the migration reads declares it (a computed name, or a module outside the clan); move it with clan vars set to the generator that replaces its service';
const clanSecret = (machine: string, varId: string, name: string, extra: Partial<MigrationStep> = {}): MigrationStep => ({ machine, varId, from: `clan secret ${name}`, read: { argv: ['clan', 'secrets', 'get', '--', name], file: `sops/secrets/${name}/secret` }, ...extra });
const publicFact = (machine: string, varId: string, fact: string, extra: Partial<MigrationStep> = {}): MigrationStep => {
  const file = `machines/${machine}/facts/${fact}`;
  return { machine, varId, from: file, read: { argv: ['cat', '--', `./${file}`], file }, ...extra };
};
const byHand = (machine: string, varId: string, from: string): MigrationStep => ({ machine, varId, from, read: null });

test('a vars generator takes over stored facts only through migrateFact (or a facts service the fixes moved): each file, secret unless files.<f>.secret = false, and each prompt with persist = true', async () => {
  // a plain vars generator: its values are its own, nothing to carry over
  assert.deepEqual(await steps({ 'machines/alpha/configuration.nix': '{ clan.core.vars.generators.g = { script = "true"; files.a = { }; prompts.q.persist = true; }; }\n', 'sops/secrets/alpha-a/secret': fakeSecret('A') }), []);
  const module = `{
  clan.core.vars.generators.g = {
    script = "true";
    files.a.deploy = false;
    files.b.secret = false;
    files.c.secret = true;
    prompts.p.persist = true;
    prompts.q.persist = false;
    prompts.r.display.required = true;
    prompts.s.createFile = true;
    validation.a.secret = false;
    validation.q.persist = true;
    migrateFact = "svc";
  };
}
`;
  const stored = { 'sops/secrets/alpha-a/secret': fakeSecret('A'), 'machines/alpha/facts/b': 'B', 'sops/secrets/alpha-c/secret': fakeSecret('C'), 'sops/secrets/alpha-p/secret': fakeSecret('P'), 'sops/secrets/alpha-s/secret': fakeSecret('S') };
  // createFile: persist's name until clan-core 2025-01, when generators still named migrateFact
  assert.deepEqual(await steps({ 'machines/alpha/configuration.nix': module, ...stored }), [clanSecret('alpha', 'g/a', 'alpha-a'), publicFact('alpha', 'g/b', 'b'), clanSecret('alpha', 'g/c', 'alpha-c'), clanSecret('alpha', 'g/p', 'alpha-p'), clanSecret('alpha', 'g/s', 'alpha-s')]);
  // none of them stored: a generator that never ran, each step moves what is there when the script runs
  assert.deepEqual(await steps({ 'machines/alpha/configuration.nix': module }), [clanSecret('alpha', 'g/a', 'alpha-a', { ifStored: true }), publicFact('alpha', 'g/b', 'b', { ifStored: true }), clanSecret('alpha', 'g/c', 'alpha-c', { ifStored: true }), clanSecret('alpha', 'g/p', 'alpha-p', { ifStored: true }), clanSecret('alpha', 'g/s', 'alpha-s', { ifStored: true })]);
});

test('a facts service with no files stored nothing to move; sops-nix secrets named vars/... are the vars backend\'s own, not moved', async () => {
  assert.deepEqual(await steps({ 'machines/alpha/configuration.nix': '{ clan.core.facts.services.svc.generator.script = "true"; sops.secrets."vars/x/y" = { }; }\n' }), []);
});

test('through the machine\'s name: a sops-nix secret named <machine>-<fact> is the fact\'s clan secret, moved once with it; another text around the name is a secret of its own', async () => {
  const found = await steps({
    'machines/alpha/configuration.nix': `{ config, ... }:
{
  clan.core.facts.services.svc.secret.password = { };
  sops.secrets."x-\${config.networking.hostName}-password" = { };
  sops.secrets."\${config.networking.hostName}_password" = { };
}
`,
    'sops/secrets/alpha-password/secret': fakeSecret('P'),
    'sops/secrets/x-alpha-password/secret': fakeSecret('X'),
    'sops/secrets/alpha_password/secret': fakeSecret('U'),
  });
  assert.deepEqual(found, [clanSecret('alpha', '_password/value', 'alpha_password'), clanSecret('alpha', 'svc/password', 'alpha-password'), clanSecret('alpha', 'x-password/value', 'x-alpha-password')]);
});

test("sops.defaultSopsFile: the module's own, else the one the machine's modules agree on; two different ones are no answer", async () => {
  const two = {
    'machines/alpha/configuration.nix': '{ imports = [ ./a.nix ./b.nix ]; sops.secrets.k = { }; }\n',
    'machines/alpha/a.nix': '{ sops.defaultSopsFile = ../../secrets/a.yaml; }\n',
    'secrets/a.yaml': 'A',
    'secrets/b.yaml': 'B',
  };
  assert.deepEqual(await steps({ ...two, 'machines/alpha/b.nix': '{ sops.defaultSopsFile = ../../secrets/b.yaml; }\n' }), [byHand('alpha', 'k/value', `sops-nix secret k: ${NO_SOPS_FILE}`)]);
  const agreed = { machine: 'alpha', varId: 'k/value', from: 'sops file secrets/a.yaml, ["k"]', read: { argv: ['sops', '--decrypt', '--extract', '["k"]', '--', './secrets/a.yaml'], file: 'secrets/a.yaml' } };
  assert.deepEqual(await steps({ ...two, 'machines/alpha/b.nix': '{ sops.defaultSopsFile = ../../secrets/a.yaml; }\n' }), [agreed]);
  // one secret set by several bindings: each says what it says (the sopsFile, format and key of a later one count)
  assert.deepEqual(
    await steps({ 'machines/alpha/configuration.nix': '{ sops.secrets.k.owner = "x"; sops.secrets.k.sopsFile = ../../secrets/k.yaml; sops.secrets.k.format = "json"; sops.secrets.k.key = "kk"; }\n', 'secrets/k.yaml': 'K' }),
    [{ machine: 'alpha', varId: 'k/value', from: 'sops file secrets/k.yaml, ["kk"]', read: { argv: ['sops', '--decrypt', '--extract', '["kk"]', '--', './secrets/k.yaml'], file: 'secrets/k.yaml' } }],
  );
});

test("a module of the machine from outside the clan (a clan-core service in the Nix store) gives no sops.defaultSopsFile: nothing outside the clan is read", async () => {
  const { store, lock } = clanCoreInStore({ 'clanServices/tor/default.nix': '{\n  _class = "clan.service";\n  roles.server.perInstance = { ... }: { nixosModule = { config, ... }: {\n    sops.defaultSopsFile = ./tor.yaml;\n  }; };\n}\n' });
  roots.push(store);
  await withNixStore(store, async () => {
    const found = await steps({
      'flake.lock': lock,
      'flake.nix': '{ outputs = { clan-core, ... }: { clan = clan-core.lib.clan { inventory.instances.tor = { module.name = "tor"; roles.server.machines.a = { }; }; }; }; }\n',
      'machines/a/configuration.nix': '{ sops.secrets.k = { }; }\n',
    });
    assert.deepEqual(found, [byHand('a', 'k/value', `sops-nix secret k: ${NO_SOPS_FILE}`)]);
  });
});

test('a sops-nix secret of no sopsFile is clan\'s own secret when sops/secrets/<name>/secret is there; with a sopsFile, its sopsFile, even beside a clan secret of its name', async () => {
  const found = await steps({
    'machines/alpha/configuration.nix': '{ sops.secrets.k = { sopsFile = ../../secrets/k.yaml; }; sops.secrets.d = { }; sops.secrets.c = { }; sops.secrets."--help" = { }; }\n',
    'secrets/k.yaml': 'K',
    'sops/secrets/k/secret': fakeSecret('not this one'),
    'sops/secrets/c/secret': fakeSecret('C'),
    // a clan secret folder with no secret in it
    'sops/secrets/d/users/u': '',
  });
  assert.deepEqual(found, [
    clanSecret('alpha', 'c/value', 'c'),
    byHand('alpha', 'd/value', `sops-nix secret d: ${NO_SOPS_FILE}`),
    byHand('alpha', 'help/value', `sops-nix secret "--help": ${NO_SOPS_FILE}, and the secret name "--help" starts with '-' and would be read as an option`),
    { machine: 'alpha', varId: 'k/value', from: 'sops file secrets/k.yaml, ["k"]', read: { argv: ['sops', '--decrypt', '--extract', '["k"]', '--', './secrets/k.yaml'], file: 'secrets/k.yaml' } },
  ]);
});

test("sops-nix's formats: yaml and json give one key, dotenv and ini the whole file, binary the file; a format or key that is not a literal, or a format sops-nix does not have, is left by hand", async () => {
  const found = await steps({
    'machines/alpha/configuration.nix': `{ config, ... }:
{
  sops.defaultSopsFile = ../../secrets/a.yaml;
  sops.secrets.f1.format = config.x;
  sops.secrets.f2.format = "ini";
  sops.secrets.f3.format = "dotenv";
  sops.secrets.f4.format = "yaml";
  sops.secrets.f5.format = "toml";
  sops.secrets.f6.key = config.y;
  sops.secrets.f7 = { format = "ini"; key = "a"; };
  sops.secrets.f8.format = "json";
}
`,
    'secrets/a.yaml': 'A',
  });
  const whole = (t: string) => ['sops', '--decrypt', '--input-type', t, '--output-type', t, '--', './secrets/a.yaml'];
  const key = (k: string) => ['sops', '--decrypt', '--extract', `["${k}"]`, '--', './secrets/a.yaml'];
  assert.deepEqual(found, [
    byHand('alpha', 'f1/value', 'sops-nix secret f1: its format is not a literal'),
    { machine: 'alpha', varId: 'f2/value', from: 'sops file secrets/a.yaml, the whole file (ini)', read: { argv: whole('ini'), file: 'secrets/a.yaml' } },
    { machine: 'alpha', varId: 'f3/value', from: 'sops file secrets/a.yaml, the whole file (dotenv)', read: { argv: whole('dotenv'), file: 'secrets/a.yaml' } },
    { machine: 'alpha', varId: 'f4/value', from: 'sops file secrets/a.yaml, ["f4"]', read: { argv: key('f4'), file: 'secrets/a.yaml' } },
    byHand('alpha', 'f5/value', 'sops-nix secret f5 in secrets/a.yaml (format toml): sops cannot extract one key of it'),
    byHand('alpha', 'f6/value', 'sops-nix secret f6 in secrets/a.yaml: its key is not a literal'),
    byHand('alpha', 'f7/value', 'sops-nix secret f7 in secrets/a.yaml (format ini): its key a is one entry of the file, which the script does not extract'),
    { machine: 'alpha', varId: 'f8/value', from: 'sops file secrets/a.yaml, ["f8"]', read: { argv: key('f8'), file: 'secrets/a.yaml' } },
  ]);
});

test('a sops file that is no regular file, a link that does not resolve, a path with a control character, a clan folder gone: by hand, each with its reason', async () => {
  const root = clan({
    'machines/alpha/configuration.nix': `{
  sops.secrets.r = { sopsFile = ../..; format = "binary"; };
  sops.secrets.d = { sopsFile = ../../secrets/dir; format = "binary"; };
  sops.secrets.l = { sopsFile = ../../secrets/l.yaml; format = "binary"; };
  clan.core.vars.generators.k = {
    # moved from sops-nix secret "k": carry the value over
    # where sops-nix read the value: sopsFile = ../../secrets/a\x1bb.yaml; format = "binary";
    prompts.value.persist = true;
  };
}
`,
    'secrets/dir/x': 'X',
  });
  fs.symlinkSync('missing.yaml', path.join(root, 'secrets/l.yaml'));
  const model = await clanOfFolder(root, DEFAULT_SETTINGS, () => {});
  assert.deepEqual(migrationSteps(model), [
    byHand('alpha', 'd/value', 'sops-nix secret d: sops file secrets/dir: it is not a regular file'),
    byHand('alpha', 'k/value', 'sops-nix secret k: sops file "secrets/a\\x1bb.yaml": its path "secrets/a\\x1bb.yaml" contains a line break or control character'),
    byHand('alpha', 'l/value', 'sops-nix secret l: sops file secrets/l.yaml: it goes through a link that does not resolve'),
    byHand('alpha', 'r/value', 'sops-nix secret r: sops file "": it is not a regular file'),
  ]);
  // the folder removed while the editor still holds its model
  fs.rmSync(root, { recursive: true });
  assert.deepEqual(
    migrationSteps(model).map((s) => s.from),
    ["sops-nix secret d: sops file secrets/dir: the clan's folder does not resolve", 'sops-nix secret k: sops file "secrets/a\\x1bb.yaml": its path "secrets/a\\x1bb.yaml" contains a line break or control character', "sops-nix secret l: sops file secrets/l.yaml: the clan's folder does not resolve", 'sops-nix secret r: sops file "": the clan\'s folder does not resolve'],
  );
});

test('computed names: said by hand, and where a facts service or a vars generator taking over facts has one, each stored value of the machine no step reads is named (not another machine\'s, not its key)', async () => {
  // a computed sops-nix secret: the clan secrets of the machine are not taken for facts
  assert.deepEqual(await steps({ 'machines/alpha/configuration.nix': '{ lib, ... }: { sops.secrets = lib.genAttrs [ "a" ] (n: { }); }\n', 'sops/secrets/alpha-foo/secret': fakeSecret('F') }), [
    byHand('alpha', 'lib.genAttrs [ "a" ] (n: { })', 'sops-nix secrets with a computed name (lib.genAttrs [ "a" ] (n: { })): the script cannot tell which values they stored; move each with clan vars set'),
  ]);
  const stored = {
    'sops/secrets/alpha-foo/secret': fakeSecret('F'),
    'sops/secrets/alpha-age.key/secret': fakeSecret('AGE-SECRET-KEY-1'),
    'sops/secrets/beta-bar/secret': fakeSecret('B'),
    'sops/secrets/alpha-/secret': fakeSecret('?'),
    'sops/secrets/alpha-nothing/users/u': '',
    'machines/alpha/facts/pub': 'PUB',
    'machines/alpha/facts/sub/x': 'X',
  };
  const named = [byHand('alpha', 'pub', `public fact machines/alpha/facts/pub: ${UNDECLARED}`), byHand('alpha', 'foo', `clan secret alpha-foo: ${UNDECLARED}`)];
  assert.deepEqual(await steps({ 'machines/alpha/configuration.nix': '{ lib, ... }: { clan.core.facts.services = lib.genAttrs [ "a" ] (n: { secret.x = { }; }); }\n', ...stored }), [
    byHand('alpha', 'lib.genAttrs [ "a" ] (n: { secret.x = { }; })', 'facts services with a computed name (lib.genAttrs [ "a" ] (n: { secret.x = { }; })): the script cannot tell which values they stored; move each with clan vars set'),
    ...named,
  ]);
  // a vars generator of a computed name that names migrateFact: its values are not left behind in silence
  assert.deepEqual(await steps({ 'machines/alpha/configuration.nix': '{ config, ... }: { clan.core.vars.generators.${config.x} = { migrateFact = "svc"; files.x = { }; script = "true"; }; clan.core.vars.generators.${config.y} = { script = "true"; }; }\n', ...stored }), [
    byHand('alpha', 'machines/alpha/configuration.nix:1', 'a vars generator with a computed name (machines/alpha/configuration.nix:1) takes over the values of facts service svc: the script cannot tell its name; move each with clan vars set'),
    ...named,
  ]);
  // one the fixes moved from a sops-nix secret
  assert.deepEqual(
    await steps({
      'machines/alpha/configuration.nix': `{ config, ... }:
{
  clan.core.vars.generators.\${config.x} = {
    # moved from sops-nix secret "k": carry the value over
    # where sops-nix read the value: sopsFile = ../../secrets/a.yaml; format = "binary";
    prompts.value.persist = true;
  };
}
`,
      'secrets/a.yaml': 'A',
      // its value is the sops file's: the machine's clan secrets are not taken for facts
      'sops/secrets/alpha-foo/secret': fakeSecret('F'),
    }),
    [byHand('alpha', 'machines/alpha/configuration.nix:3', 'a vars generator with a computed name (machines/alpha/configuration.nix:3) takes over the values of sops-nix secret k: the script cannot tell its name; move each with clan vars set')],
  );
  // one the fixes moved from a facts service
  assert.deepEqual(
    await steps({
      'machines/alpha/configuration.nix': `{ config, ... }:
{
  clan.core.vars.generators.\${config.x} = {
    # moved from clan facts: carry the values over before deploying (clan-vars-lint --migration-script)
    files.x = { };
    script = "true";
  };
}
`,
      ...stored,
    }),
    [byHand('alpha', 'machines/alpha/configuration.nix:3', 'a vars generator with a computed name (machines/alpha/configuration.nix:3) takes over the values of a facts service: the script cannot tell its name; move each with clan vars set'), ...named],
  );
  // on a machine whose name clan would read as an option: refused, saying why
  assert.deepEqual(await steps({ 'machines/--help/configuration.nix': '{ lib, ... }: { clan.core.facts.services = lib.genAttrs [ "a" ] (n: { secret.x = { }; }); clan.core.facts.services.svc.public.p = { }; }\n', 'machines/--help/facts/p': 'P' }), [
    { machine: '--help', varId: 'svc/p', from: '', read: null, refused: 'the machine name "--help" starts with \'-\' and would be read as an option' },
    { ...byHand('--help', 'lib.genAttrs [ "a" ] (n: { secret.x = { }; })', 'facts services with a computed name (lib.genAttrs [ "a" ] (n: { secret.x = { }; })): the script cannot tell which values they stored; move each with clan vars set'), refused: 'the machine name "--help" starts with \'-\' and would be read as an option' },
  ]);
});

test('the steps are ordered by machine, then by var', async () => {
  // the declarations in another order: beta's module before alpha's
  const found = await steps({
    'machines/alpha/configuration.nix': '{ imports = [ ../../modules/z.nix ]; }\n',
    'machines/beta/configuration.nix': '{ imports = [ ../../modules/a.nix ]; }\n',
    'modules/a.nix': '{ sops.secrets.b = { }; sops.secrets.a = { }; }\n',
    'modules/z.nix': '{ sops.secrets.z = { }; sops.secrets.c = { }; sops.secrets.y = { }; }\n',
  });
  assert.deepEqual(found.map((s) => `${s.machine} ${s.varId}`), ['alpha c/value', 'alpha y/value', 'alpha z/value', 'beta a/value', 'beta b/value']);
});

// ---- the script ----

function runBash(root: string, script: string, bin: string[], env: Record<string, string> = {}) {
  const r = spawnSync('bash', [script], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env, PATH: `${bin.join(':')}:${process.env.PATH}` } });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('the script of a clan with nothing to move says so, and succeeds', async () => {
  const root = clan({ 'machines/alpha/configuration.nix': '{ services.x.enable = true; }\n' });
  const text = await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {});
  assert.equal(
    text,
    [
      '#!/usr/bin/env bash',
      '# Carries stored values of clan facts and plain sops-nix secrets over to clan vars.',
      `# Written by Clan Vars for the clan in ${root}. No facts or sops-nix secrets of a`,
      '# known machine were found: nothing to move.',
      "echo 'no facts or sops-nix secrets of a known machine were found: nothing to move'",
      '',
    ].join('\n'),
  );
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-steps-'));
  roots.push(scratch);
  fs.writeFileSync(path.join(scratch, 'migrate-to-vars.sh'), text);
  const r = runBash(root, path.join(scratch, 'migrate-to-vars.sh'), [path.dirname(FAKE_CLAN)]);
  assert.deepEqual(r, { status: 0, out: 'no facts or sops-nix secrets of a known machine were found: nothing to move\n', err: '' });
});

test('the script: a read that fails inside the pipe (sops answers the check, then fails) sets nothing in silence: the run says so and fails', async () => {
  const root = clan({ 'machines/host/configuration.nix': '{ sops.secrets.k = { sopsFile = ../../secrets/k; format = "binary"; }; }\n', 'secrets/k': 'VALUE', 'fake-clan.json': JSON.stringify({ machines: { host: { k: { files: { value: {} }, prompts: { value: {} } } } } }) });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-steps-'));
  roots.push(scratch);
  const script = path.join(scratch, 'migrate-to-vars.sh');
  fs.writeFileSync(script, await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}));
  // a sops that decrypts once, then fails (a hardware key that times out, an agent gone)
  const bin = path.join(scratch, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'sops'), `#!/usr/bin/env bash\nif [ -e "${scratch}/decrypted" ]; then echo "sops: failed to get the data key" >&2; exit 128; fi\ntouch "${scratch}/decrypted"\ncat -- "\${@: -1}"\n`, { mode: 0o755 });
  const log = path.join(scratch, 'clan.log');
  const r = runBash(root, script, [path.dirname(FAKE_CLAN), bin], { FAKE_CLAN_LOG: log });
  assert.equal(r.status, 1, r.out + r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /^clan vars set failed for host k\/value$/m);
  assert.deepEqual(invocations(log).map((i) => i.argv.join(' ')), ['vars get -- host k/value', 'vars set -- host k/value']);
});
