// The value-moving script for the two fixtures, run with bash against the stand-in clan CLI
// (test/fixtures/fake-clan: `clan vars set` reads the value on stdin, as clan's set_via_stdin does)
// and a stand-in sops: the dry run sets nothing, the real run sets every var through a pipe, a
// second run leaves them alone, and no value ever appears in an argv, the output or a new file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { migrationScriptOfFolder } from '../../server/src/cli/folder';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { FAKE_CLAN, invocations } from '../helpers/fakeClan';
import { REPO_ROOT, removeTree, writeTree } from '../helpers/tempClan';

const FAKE_SOPS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'fake-sops');
const roots: string[] = [];
after(() => roots.forEach(removeTree));

function fixtureFiles(name: string): Record<string, string> {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'migration', name);
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const fakeSecret = (value: string) => JSON.stringify({ data: 'ENC[AES256_GCM,data:FAKE]', fake_plaintext_base64: Buffer.from(value).toString('base64'), sops: { version: 'fake' } });
const allFiles = (root: string): string[] => fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

function run(root: string, script: string, args: string[], logs: { clan: string; sops: string }) {
  const r = spawnSync('bash', [script, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${path.dirname(FAKE_CLAN)}:${FAKE_SOPS_DIR}:${process.env.PATH}`, FAKE_CLAN_LOG: logs.clan, FAKE_SOPS_LOG: logs.sops },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function scenario(name: string, extra: Record<string, string>, values: string[]) {
  const root = writeTree({ ...fixtureFiles(name), ...extra });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-migration-'));
  roots.push(root, scratch);
  const script = path.join(scratch, 'migrate-to-vars.sh');
  fs.writeFileSync(script, await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}));
  const logs = { clan: path.join(scratch, 'clan.log'), sops: path.join(scratch, 'sops.log') };
  const before = new Set(allFiles(root));
  const text = fs.readFileSync(script, 'utf8');
  for (const v of values) assert.ok(!text.includes(v), 'the script holds no value');
  return { root, script, logs, before };
}

/** No value in any argv the stand-ins saw, in the output, or in a file that was not there before (the fake vars store keeps values base64-coded). */
function assertNoLeak(root: string, logs: { clan: string; sops: string }, before: Set<string>, outputs: string[], values: string[]) {
  const argvs = [...invocations(logs.clan).map((i) => i.argv), ...(fs.existsSync(logs.sops) ? fs.readFileSync(logs.sops, 'utf8').trim().split('\n').map((l) => JSON.parse(l).argv as string[]) : [])];
  assert.ok(argvs.length > 0);
  for (const v of values) {
    for (const a of argvs) assert.ok(!a.some((x) => x.includes(v)), `value in argv ${JSON.stringify(a)}`);
    for (const o of outputs) assert.ok(!o.includes(v), `value in the output:\n${o}`);
    for (const f of allFiles(root)) if (!before.has(f)) assert.ok(!fs.readFileSync(f, 'utf8').includes(v), `value in the new file ${f}`);
  }
}

function getVar(root: string, machine: string, varId: string): string {
  const r = spawnSync(FAKE_CLAN, ['vars', 'get', machine, varId], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const SOPS_VALUES = { grafana: 'gr4fana-S3cret!', root: '$6$salt$h4sh', acme: 'RFC2136_TSIG_SECRET=abc\n', wg: "wg'key\"with quotes" };

test('migration script: sops-nix secrets, read with sops --decrypt --extract, set through a pipe', async () => {
  const gen = { files: { value: {} }, prompts: { value: {} } };
  const { root, script, logs, before } = await scenario(
    'sops',
    {
      'secrets/host.yaml': JSON.stringify({ fake_plaintext: { grafana: { 'admin-password': SOPS_VALUES.grafana }, 'root-password': SOPS_VALUES.root, 'wireguard-key': SOPS_VALUES.wg } }),
      'secrets/acme.yaml': JSON.stringify({ fake_plaintext: { rfc2136: SOPS_VALUES.acme } }),
      'fake-clan.json': JSON.stringify({ machines: { host: { 'grafana-admin-password': gen, 'root-password': gen, 'acme-credentials': gen, 'wireguard-key': gen } } }),
    },
    Object.values(SOPS_VALUES),
  );
  const dry = run(root, script, ['--dry-run'], logs);
  assert.equal(dry.status, 0, dry.out);
  assert.deepEqual(dry.out.trim().split('\n'), [
    'would set host acme-credentials/value from sops file secrets/acme.yaml, ["rfc2136"]',
    'would set host grafana-admin-password/value from sops file secrets/host.yaml, ["grafana"]["admin-password"]',
    'would set host root-password/value from sops file secrets/host.yaml, ["root-password"]',
    'would set host wireguard-key/value from sops file secrets/host.yaml, ["wireguard-key"]',
  ]);
  assert.equal(fs.existsSync(path.join(root, 'vars')), false, 'the dry run sets nothing');
  assert.ok(!invocations(logs.clan).some((i) => i.argv.includes('set')));

  const real = run(root, script, [], logs);
  assert.equal(real.status, 0, real.out);
  assert.equal(real.out.match(/^set host /gm)?.length, 4, real.out);
  assert.equal(getVar(root, 'host', 'grafana-admin-password/value'), SOPS_VALUES.grafana);
  assert.equal(getVar(root, 'host', 'root-password/value'), SOPS_VALUES.root);
  assert.equal(getVar(root, 'host', 'acme-credentials/value'), SOPS_VALUES.acme, 'a trailing newline is kept: nothing strips the value');
  assert.equal(getVar(root, 'host', 'wireguard-key/value'), SOPS_VALUES.wg);
  const sets = invocations(logs.clan).filter((i) => i.argv.includes('set'));
  assert.deepEqual(sets.map((i) => i.argv.join(' ')).sort(), ['vars set -- host acme-credentials/value', 'vars set -- host grafana-admin-password/value', 'vars set -- host root-password/value', 'vars set -- host wireguard-key/value']);
  assert.ok(sets.every((i) => !i.stdinTTY), 'the value comes on stdin, from the pipe');

  const again = run(root, script, [], logs);
  assert.equal(again.status, 0);
  assert.equal(again.out.match(/^skip host .*: it already has a value$/gm)?.length, 4, again.out);
  assertNoLeak(root, logs, before, [dry.out, real.out, again.out], Object.values(SOPS_VALUES));
});

test('migration script: facts secrets from clan secrets, public facts from machines/<m>/facts; a service that never stored anything has nothing to move', async () => {
  const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n';
  const PUB = 'ssh-ed25519 AAAAC3Nza alpha';
  const { root, script, logs, before } = await scenario(
    'facts',
    {
      'sops/secrets/alpha-borgbackup.ssh/secret': fakeSecret(KEY),
      'machines/alpha/facts/borgbackup.ssh.pub': PUB,
      // alpha-psk is missing: the wifi service never stored anything
      'fake-clan.json': JSON.stringify({ machines: { alpha: { borgbackup: { files: { 'borgbackup.ssh': {}, 'borgbackup.ssh.pub': { secret: false } } }, wifi: { files: { psk: {} }, prompts: { prompt_value: {} } } } } }),
    },
    [KEY.slice(0, 40)],
  );
  const real = run(root, script, [], logs);
  assert.equal(real.status, 0, real.out);
  assert.match(real.out, /^set alpha borgbackup\/borgbackup\.ssh from clan secret alpha-borgbackup\.ssh$/m);
  assert.match(real.out, /^set alpha borgbackup\/borgbackup\.ssh\.pub from machines\/alpha\/facts\/borgbackup\.ssh\.pub$/m);
  assert.match(real.out, /^nothing stored for alpha wifi\/psk \(clan secret alpha-psk\): nothing to move$/m);
  assert.equal(getVar(root, 'alpha', 'borgbackup/borgbackup.ssh'), KEY);
  assert.equal(getVar(root, 'alpha', 'borgbackup/borgbackup.ssh.pub'), PUB);
  assert.ok(!invocations(logs.clan).some((i) => i.argv.join(' ') === 'vars set -- alpha wifi/psk'), 'nothing is set from an unreadable source');
  assertNoLeak(root, logs, before, [real.out], [KEY.slice(0, 40)]);
});

test("migration script: key = \"\" reads the whole file; a sopsFile from the machine's sops.defaultSopsFile in another of its modules", async () => {
  const gen = { files: { value: {} }, prompts: { value: {} } };
  const whole = '{"token":"t0k3n-whole"}';
  const root = writeTree({
    'flake.nix': `{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "m"; }; }\n`,
    'machines/host/configuration.nix': `{ imports = [ ./sops.nix ]; sops.secrets.api = { }; sops.secrets.whole = { key = ""; sopsFile = ../../secrets/whole.json; format = "json"; }; }\n`,
    'machines/host/sops.nix': `{ sops.defaultSopsFile = ../../secrets/host.yaml; }\n`,
    'secrets/host.yaml': JSON.stringify({ fake_plaintext: { api: 'api-S3cret' } }),
    'secrets/whole.json': JSON.stringify({ fake_plaintext: JSON.parse(whole) }),
    'fake-clan.json': JSON.stringify({ machines: { host: { api: gen, whole: gen } } }),
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-migration-'));
  roots.push(root, scratch);
  const script = path.join(scratch, 'migrate-to-vars.sh');
  fs.writeFileSync(script, await migrationScriptOfFolder(root, DEFAULT_SETTINGS, () => {}));
  const logs = { clan: path.join(scratch, 'clan.log'), sops: path.join(scratch, 'sops.log') };
  const dry = run(root, script, ['--dry-run'], logs);
  assert.equal(dry.status, 0, dry.out);
  assert.deepEqual(dry.out.trim().split('\n'), ['would set host api/value from sops file secrets/host.yaml, ["api"]', 'would set host whole/value from sops file secrets/whole.json, the whole file']);
  const real = run(root, script, [], logs);
  assert.equal(real.status, 0, real.out);
  assert.equal(getVar(root, 'host', 'api/value'), 'api-S3cret');
  assert.equal(getVar(root, 'host', 'whole/value'), whole);
});
