// Builds small clan trees with sops key material and secrets for the secrets tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as age from 'age-encryption';
import { encryptSopsSecret } from './sopsEncrypt';
import { tempDir } from './secretsEnv';

export interface TestKey {
  identity: string;
  recipient: string;
}

export async function newKey(): Promise<TestKey> {
  const identity = await age.generateIdentity();
  return { identity, recipient: await age.identityToRecipient(identity) };
}

export function write(root: string, rel: string, content: string | Buffer): string {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

/** A relative symlink at `root/rel` pointing to `root/targetRel`. */
export function link(root: string, rel: string, targetRel: string): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(full), path.join(root, targetRel)), full);
}

/** `sops/{users,machines}/<name>/key.json`, in the list format unless `single`. */
export function addKey(root: string, kind: 'users' | 'machines', name: string, recipients: string[], single = false): void {
  const entries = recipients.map((publickey) => ({ publickey, type: 'age' }));
  write(root, `sops/${kind}/${name}/key.json`, JSON.stringify(single ? entries[0] : entries, null, 2));
}

/** A per-machine sops secret with links; the value is encrypted for `recipients`. */
export async function addSopsSecret(
  root: string,
  o: { machine: string; generator: string; file: string; value: string; recipients: string[]; users?: string[]; machines?: string[]; groups?: string[] },
): Promise<string> {
  const dir = `vars/per-machine/${o.machine}/${o.generator}/${o.file}`;
  const file = write(root, `${dir}/secret`, await encryptSopsSecret(o.value, o.recipients));
  for (const u of o.users ?? []) link(root, `${dir}/users/${u}`, `sops/users/${u}`);
  for (const m of o.machines ?? []) link(root, `${dir}/machines/${m}`, `sops/machines/${m}`);
  for (const g of o.groups ?? []) link(root, `${dir}/groups/${g}`, `sops/groups/${g}`);
  return file;
}

export function newClan(): string {
  const root = tempDir('clan-vars-clan-');
  write(root, 'flake.nix', '{ outputs = _: { }; }\n');
  return root;
}
