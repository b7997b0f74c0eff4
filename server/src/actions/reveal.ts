// Reveals one var: public values are read as they are; sops secrets, age-backend secrets and
// passage entries are decrypted with the user's age identities, falling back to the machine's
// own key (itself encrypted for the user) when the user is not a direct recipient. Values stay in
// memory; every failure is a SecretError with a message for the user. Files are read inside the clan
// (a passage entry inside the passage store): base/confinement.ts.
import * as path from 'node:path';
import { Confinement } from '../base/confinement';
import type { VarOnDisk } from '../model/varsOnDisk';
import { decryptAge, recipientOf } from '../secrets/ageDecrypt';
import { SecretError } from '../secrets/errors';
import { parseIdentityText, type IdentityDiscovery } from '../secrets/identities';
import { decryptWithKey, unwrapDataKey } from '../secrets/sopsDecrypt';
import { parseSopsFile } from '../secrets/sopsFormat';
import { readProblem } from '../base/readWorkspaceFile';

export type Backend = 'public' | 'sops' | 'age' | 'passage';

export interface Revealed {
  value: Uint8Array;
  backend: Backend;
  /** How it was opened: "your identity" or "machine key of peer1". */
  via: string;
}

export interface RevealContext {
  root: string;
  identities: IdentityDiscovery;
  /** Public key -> owners, for naming recipients in messages. */
  owners?: Map<string, string[]>;
}

function rel(ctx: RevealContext, file: string): string {
  const r = path.relative(ctx.root, file);
  return r.startsWith('..') ? file : r;
}

/** Bytes, not text: binary age files (what passage and age write by default) are not UTF-8. */
function readBytes(reads: Confinement, file: string, what: string): Buffer {
  try {
    return reads.read(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SecretError('not-found', code === 'ENOENT' ? `${what} does not exist.` : `${what} cannot be read (${readProblem(e)}).`);
  }
}

function keysOf(ctx: RevealContext): string[] {
  if (ctx.identities.identities.length === 0) {
    const extra = ctx.identities.unsupported.length ? `\nFound but not usable:\n  ${ctx.identities.unsupported.join('\n  ')}` : '';
    throw new SecretError(
      ctx.identities.unsupported.length ? 'unsupported-identity' : 'no-identity',
      `No usable age identity found. Looked in:\n  ${ctx.identities.looked.join('\n  ')}${extra}\n` +
        'Set SOPS_AGE_KEY_FILE, put your key in ~/.config/sops/age/keys.txt, or set clanVars.ageIdentityFile.',
    );
  }
  return ctx.identities.identities.map((i) => i.key);
}

/** Recipients named in a message: a file may list thousands. */
const MAX_LISTED = 12;

async function notARecipient(ctx: RevealContext, what: string, recipients: string[]): Promise<SecretError> {
  const mine = (await Promise.all(ctx.identities.identities.map(async (i) => `${(await recipientOf(i.key)) ?? '?'} (${i.source})`))).join(', ');
  const named = recipients.slice(0, MAX_LISTED).map((r) => `${r}${ctx.owners?.get(r) ? ` (${ctx.owners.get(r)!.join(', ')})` : ' (unknown key)'}`);
  if (recipients.length > MAX_LISTED) named.push(`… and ${recipients.length - MAX_LISTED} more`);
  return new SecretError(
    'not-a-recipient',
    `None of your age identities can open ${what}.\nYour identities: ${mine}\n` +
      `It is encrypted for:\n  ${named.join('\n  ') || '(no recipients listed)'}\n` +
      'Ask someone who can open it to add your key (sops/users/<you>/key.json) and run clan vars fix.',
  );
}

/** Decrypts a sops file; with `machineFallback`, tries the machine keys among its recipients. */
export async function revealSops(ctx: RevealContext, file: string, machineFallback = true): Promise<Revealed> {
  const what = rel(ctx, file);
  const reads = Confinement.within(ctx.root);
  const sops = parseSopsFile(readBytes(reads, file, what).toString('utf8'), what);
  const keys = keysOf(ctx);
  let key = await unwrapDataKey(sops, keys, what);
  let via = 'your identity';
  if (!key && machineFallback) {
    for (const m of machinesAmong(ctx, sops.age.map((a) => a.recipient))) {
      const keyFile = path.join(ctx.root, 'sops', 'secrets', `${m}-age.key`, 'secret');
      if (!reads.isFile(keyFile)) continue;
      const machineKeys = await machineIdentities(() => revealSops(ctx, keyFile, false));
      if (!machineKeys.length) continue;
      key = await unwrapDataKey(sops, machineKeys, what);
      if (key) {
        via = `machine key of ${m}`;
        break;
      }
    }
  }
  if (!key) throw await notARecipient(ctx, what, sops.age.map((a) => a.recipient));
  const out = decryptWithKey(sops, key, what);
  key.fill(0);
  if (!out.data) throw new SecretError('unsupported-format', `${what} has no "data" value (not a clan secret in sops binary format).`);
  return { value: out.data, backend: 'sops', via };
}

function machinesAmong(ctx: RevealContext, recipients: string[]): string[] {
  const out: string[] = [];
  for (const r of recipients) for (const o of ctx.owners?.get(r) ?? []) if (o.startsWith('machine ')) out.push(o.slice(8));
  return out;
}

/** The age keys in a decrypted machine key file; [] when it cannot be opened. */
async function machineIdentities(open: () => Promise<Revealed>): Promise<string[]> {
  try {
    const r = await open();
    return parseIdentityText(Buffer.from(r.value).toString('utf8'), 'machine key').keys.map((k) => k.key);
  } catch {
    return [];
  }
}

function readLines(reads: Confinement, file: string): string[] {
  try {
    return reads.readText(file, 1_000_000).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  } catch {
    return [];
  }
}

/** age backend: the user's identities first, then the machine keys in `secrets/age-keys/machines/<m>/key.age`. */
export async function revealAgeBackend(ctx: RevealContext, file: string, machine: string | null): Promise<Revealed> {
  const what = rel(ctx, file);
  const reads = Confinement.within(ctx.root);
  const data = readBytes(reads, file, what);
  const keys = keysOf(ctx);
  const direct = await decryptAge(data, keys, what);
  if (direct) return { value: direct, backend: 'age', via: 'your identity' };
  const keysDir = path.join(ctx.root, 'secrets', 'age-keys', 'machines');
  const sidecar = readLines(reads, file + '.recipients');
  let candidates = machine ? [machine] : reads.entries(keysDir).map((e) => e.name);
  const recipients: string[] = [...sidecar];
  if (!machine && sidecar.length) {
    candidates = candidates.filter((m) => readLines(reads, path.join(keysDir, m, 'pub')).some((p) => sidecar.includes(p)));
  }
  for (const m of candidates) {
    const pub = readLines(reads, path.join(keysDir, m, 'pub'));
    for (const p of pub) if (!recipients.includes(p)) recipients.push(p);
    const keyFile = path.join(keysDir, m, 'key.age');
    if (!reads.isFile(keyFile)) continue;
    const machineKeys = await machineIdentities(async () => {
      const v = await decryptAge(readBytes(reads, keyFile, rel(ctx, keyFile)), keys, rel(ctx, keyFile));
      if (!v) throw new Error('not a recipient');
      return { value: v, backend: 'age', via: '' };
    });
    const v = machineKeys.length ? await decryptAge(data, machineKeys, what) : null;
    if (v) return { value: v, backend: 'age', via: `machine key of ${m}` };
  }
  const owners = new Map(ctx.owners ?? []);
  for (const m of candidates) for (const p of readLines(reads, path.join(keysDir, m, 'pub'))) owners.set(p, [`machine ${m}`]);
  throw await notARecipient({ ...ctx, owners }, what, recipients);
}

/** passage store entry: `<store>/clan-vars/<rel_dir>/<file>.age`, read inside `store`. */
export async function revealPassage(ctx: RevealContext, store: string, file: string): Promise<Revealed> {
  if (file.endsWith('.gpg')) throw new SecretError('unsupported-format', `${file} is a GnuPG (pass) entry; only age (passage) entries can be revealed here.`);
  const reads = Confinement.within(store);
  const v = await decryptAge(readBytes(reads, file, file), keysOf(ctx), file);
  if (!v) throw await notARecipient(ctx, file, readLines(reads, path.join(path.dirname(file), '.age-recipients')));
  return { value: v, backend: 'passage', via: 'your identity' };
}

/** Reveals a var found on disk by the scanner. */
export async function revealVar(ctx: RevealContext, v: VarOnDisk): Promise<Revealed> {
  switch (v.kind) {
    case 'public':
      return { value: readBytes(Confinement.within(ctx.root), v.path, rel(ctx, v.path)), backend: 'public', via: 'public value' };
    case 'sops':
      return revealSops(ctx, v.path);
    case 'age':
      return revealAgeBackend(ctx, v.path, v.ref.machine);
  }
}
