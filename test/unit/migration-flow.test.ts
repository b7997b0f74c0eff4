// The whole move to vars on a clan written for the purpose (facts services, a generator still naming
// `migrateFact` with a persisted prompt, nested sops-nix secrets with their file from the module's
// `sops.defaultSopsFile`, a facts service that never stored anything): every migration quick fix
// applied, and the migration script written before the rewrite, after it, or in between, then run
// against the stand-in `clan` (whose generators are the ones the rewritten Nix declares) and `sops`.
// Whatever the order, the script has the same steps and sets every stored value exactly once.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { migrationReport } from '../../server/src/ide/migrationReport';
import { clanOfFolder, migrationScriptOfFolder } from '../../server/src/cli/folder';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { invocations } from '../helpers/fakeClan';
import { getVar as varOf, MIGRATION_CODES as CODES, rewrite, runScript, stepLines, writeFakeClan as writeFake } from '../helpers/migrationFlow';
import { removeTree, writeTree } from '../helpers/tempClan';
const roots: string[] = [];
after(() => roots.forEach(removeTree));

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n';
const VALUES: Record<string, string> = {
  'root-pw/value': '$6$salt$h4sh',
  'db-password/value': 'db-S3cret!',
  'borg/borg.key': KEY,
  'borg/borg.pub': 'ssh-ed25519 AAAAC3Nza alpha',
  'wifi/psk': 'w1fi psk',
};
const fakeSecret = (value: string) => JSON.stringify({ data: 'ENC[AES256_GCM,data:FAKE]', fake_plaintext_base64: Buffer.from(value).toString('base64'), sops: { version: 'fake' } });

const SOPS_MODULE = 'machines/alpha/sops.nix';
const NIX: Record<string, string> = {
  'flake.nix': `{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "flow"; }; }\n`,
  'machines/alpha/configuration.nix': `{ config, ... }:
{
  imports = [ ./sops.nix ./facts.nix ];
  users.users.root.hashedPasswordFile = config.sops.secrets.root-pw.path;
}
`,
  [SOPS_MODULE]: `{ config, ... }:
{
  sops.defaultSopsFile = ../../secrets/alpha.yaml;
  sops = {
    secrets.root-pw.neededForUsers = true;
    secrets."db/password" = {
      sopsFile = ../../secrets/db.yaml;
      key = "pw";
      owner = "postgres";
    };
  };
  services.db.passwordFile = config.sops.secrets."db/password".path;
}
`,
  'machines/alpha/facts.nix': `{ config, ... }:
{
  clan.core.facts.services.borg = {
    secret."borg.key" = { };
    public."borg.pub" = { };
    generator.script = ''
      ssh-keygen -t ed25519 -N "" -f $secrets/borg.key
      mv $secrets/borg.key.pub $facts/borg.pub
    '';
  };
  clan.core.facts.services.unused = {
    secret.token = { };
    generator.script = "head -c 32 /dev/urandom > $secrets/token";
  };
  clan.core.vars.generators.wifi = {
    migrateFact = "wifi";
    prompts.psk.persist = true;
    script = "true";
  };
  services.borg.keyFile = config.clan.core.facts.services.borg.secret."borg.key".path;
}
`,
};
const STORED: Record<string, string> = {
  'secrets/alpha.yaml': JSON.stringify({ fake_plaintext: { 'root-pw': VALUES['root-pw/value'] } }),
  'secrets/db.yaml': JSON.stringify({ fake_plaintext: { pw: VALUES['db-password/value'] } }),
  'sops/secrets/alpha-borg.key/secret': fakeSecret(KEY),
  'machines/alpha/facts/borg.pub': VALUES['borg/borg.pub'],
  'sops/secrets/alpha-psk/secret': fakeSecret(VALUES['wifi/psk']),
};
type Order = 'script, then rewrite' | 'rewrite, then script' | 'sops rewritten, script, then the rest';

async function migrate(order: Order) {
  const root = writeTree({ ...NIX, ...STORED });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-flow-'));
  roots.push(root, scratch);
  const script = path.join(scratch, 'migrate-to-vars.sh');
  const writeScript = async () => fs.writeFileSync(script, await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}));
  if (order === 'script, then rewrite') {
    await writeScript();
    assert.ok((await rewrite(root)) > 0);
  } else if (order === 'rewrite, then script') {
    assert.ok((await rewrite(root)) > 0);
    await writeScript();
  } else {
    assert.ok((await rewrite(root, SOPS_MODULE)) > 0);
    await writeScript();
    assert.ok((await rewrite(root)) > 0);
  }
  // nothing of the old systems is left to rewrite
  const left = (await analyzeFolder(root, DEFAULT_SETTINGS, () => {})).problems.filter((p) => CODES.has(p.code));
  assert.deepEqual(left.map((p) => `${p.code} ${p.message}`), []);
  await writeFakeClan(root);
  const logs = { clan: path.join(scratch, 'clan.log'), sops: path.join(scratch, 'sops.log') };
  const run = runScript(root, script, logs);
  const steps = stepLines(fs.readFileSync(script, 'utf8'));
  return { root, run, steps, sets: invocations(logs.clan).filter((i) => i.argv[1] === 'set').map((i) => i.argv.slice(2).join(' ')) };
}

const writeFakeClan = (root: string) => writeFake(root, Object.keys(NIX));

function getVar(root: string, varId: string): string {
  const r = varOf(root, 'alpha', varId);
  assert.equal(r.status, 0);
  return r.value;
}

test('migration flow: written before, after or between the rewrites, the script sets every stored value exactly once', async () => {
  const results = new Map<Order, Awaited<ReturnType<typeof migrate>>>();
  for (const order of ['script, then rewrite', 'rewrite, then script', 'sops rewritten, script, then the rest'] as Order[]) results.set(order, await migrate(order));
  const [first, ...others] = [...results.values()];
  for (const [order, r] of results) {
    assert.equal(r.run.status, 0, `${order}:\n${r.run.out}`);
    assert.deepEqual(r.sets.sort(), Object.keys(VALUES).map((v) => `-- alpha ${v}`).sort(), `${order}: each value set once`);
    for (const [varId, value] of Object.entries(VALUES)) assert.equal(getVar(r.root, varId), value, `${order}: ${varId}`);
    assert.match(r.run.out, /^nothing stored for alpha unused\/token \(clan secret alpha-token\): nothing to move$/m, order);
  }
  for (const r of others) assert.deepEqual(r.steps, first.steps, 'the same steps whichever the order');
  // the rewritten generators still say where their values came from
  const rewritten = fs.readFileSync(path.join(first.root, SOPS_MODULE), 'utf8');
  assert.match(rewritten, /# moved from sops-nix secret "db\/password"/);
  assert.match(fs.readFileSync(path.join(first.root, 'machines/alpha/facts.nix'), 'utf8'), /^ {4}# moved from clan facts: carry the values over/m);
});

test('migration flow: a fact missing beside stored ones of its generator still fails the run', async () => {
  const root = writeTree({ ...NIX, ...STORED, 'machines/alpha/facts/borg.pub': '' });
  fs.rmSync(path.join(root, 'machines/alpha/facts/borg.pub'));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-flow-'));
  roots.push(root, scratch);
  await rewrite(root);
  await writeFakeClan(root);
  const script = path.join(scratch, 'migrate-to-vars.sh');
  fs.writeFileSync(script, await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}));
  const run = runScript(root, script, { clan: path.join(scratch, 'clan.log'), sops: path.join(scratch, 'sops.log') });
  assert.equal(run.status, 1, run.out);
  assert.match(run.out, /^cannot read machines\/alpha\/facts\/borg\.pub: alpha borg\/borg\.pub not set$/m);
  assert.match(run.out, /^set alpha borg\/borg\.key from clan secret alpha-borg\.key$/m);
});

test('migration report: each declaration, what it becomes and whether a fix writes it; each stored value and where it is read; the same values before and after the rewrite', async () => {
  const root = writeTree({ ...NIX, ...STORED, 'home.nix': '{ sops.secrets.hm = { }; }\n' });
  roots.push(root);
  const report = async () => migrationReport(await clanOfFolder(root, DEFAULT_SETTINGS, () => {}));
  const before = await report();
  assert.match(before, /^# Moving to clan vars: /);
  assert.match(before, /\n5 declarations of facts services or sops-nix secrets, 0 already rewritten to generators; 5 stored values for the migration script to move \(and 1 more if stored by the time it runs: nothing was when this was written\), 0 left to you\.\n/);
  assert.match(before, /\| facts service `borg` \| machines\/alpha\/facts\.nix:3 \| generator `borg` \(files `borg\.key`, `borg\.pub` \(public\)\) \| yes \|/);
  assert.match(before, /\| sops-nix secret `db\/password` \| machines\/alpha\/sops\.nix:6 \| generator `db-password` \(file value, prompted, persisted\) \| yes \|/);
  // the reading as Markdown text: its brackets escaped (a name there could make a link)
  assert.match(before, /\| `db-password\/value` \| sops file secrets\/db\.yaml, \\\["pw"\\\] \| moved by the script \|/);
  assert.match(before, /\| `wifi\/psk` \| clan secret alpha-psk \| moved by the script \|/);
  assert.match(before, /\| `unused\/token` \| clan secret alpha-token \| moved if stored/);
  assert.match(before, /## In files no machine has[\s\S]*\| sops-nix secret `hm` \| home\.nix:1 \|/);
  await rewrite(root);
  const after = await report();
  assert.match(after, /\n1 declarations of facts services or sops-nix secrets, 5 already rewritten to generators; 5 stored values for the migration script to move \(and 1 more if stored by the time it runs: nothing was when this was written\), 0 left to you\.\n/);
  assert.match(after, /\| sops-nix secret `db\/password` \| machines\/alpha\/sops\.nix:\d+ \| generator `db-password`: rewritten, its '# moved from' comment kept \| applied \|/);
  const values = (r: string) => r.split('\n').filter((l) => /^\| `[^`]+\/[^`]+` \|/.test(l));
  // the summary's counts are those of the rows
  for (const r of [before, after]) {
    const [, moved, ifStored] = /; (\d+) stored values? for the migration script to move(?: \(and (\d+) more if stored)?/.exec(r) ?? [];
    assert.equal(Number(moved), values(r).filter((l) => l.endsWith('| moved by the script |')).length, r);
    assert.equal(Number(ifStored ?? 0), values(r).filter((l) => l.includes('| moved if stored')).length, r);
  }
  assert.deepEqual(values(after), values(before), 'the same values move, from the same places');
});
