// Finds the user's age identities the way clan and sops do, in this order (all found ones are
// tried): the `clanVars.ageIdentityFile` setting, SOPS_AGE_KEY (inline), SOPS_AGE_KEY_FILE,
// <config>/sops/age/keys.txt (XDG_CONFIG_HOME aware), AGE_KEY (inline), AGE_KEYFILE,
// <config>/age/identities, ~/.age/key.txt. Key files may hold several keys and `#` comments.
// Identity strings are secret: they are kept in memory only and never put into a message.
import * as path from 'node:path';
import { readProblem, readWorkspaceText } from '../base/readWorkspaceFile';

export interface IdentityOptions {
  env: Record<string, string | undefined>;
  home: string;
  platform?: NodeJS.Platform;
  /** The `clanVars.ageIdentityFile` setting (`~` is expanded). */
  settingFile?: string | null;
  /** For passage stores: also read PASSAGE_IDENTITIES_FILE or ~/.passage/identities. */
  passage?: boolean;
}

export interface FoundIdentity {
  /** The secret key string (`AGE-SECRET-KEY-1…`). */
  key: string;
  /** Where it came from, e.g. `SOPS_AGE_KEY_FILE (/home/me/keys.txt), line 3`. */
  source: string;
}

export interface IdentityDiscovery {
  identities: FoundIdentity[];
  /** Every place consulted and what was found there, for "no identity found" messages. */
  looked: string[];
  /** Keys found but not usable here (SSH keys, plugins, encrypted identity files). */
  unsupported: string[];
}

interface Source {
  label: string;
  inline?: string;
  file?: string;
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/** The places identities are looked up, in order. */
export function identitySources(o: IdentityOptions): Source[] {
  const env = o.env;
  const set = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v : undefined);
  const configDirs: string[] = [];
  if (set(env.XDG_CONFIG_HOME)) configDirs.push(env.XDG_CONFIG_HOME!);
  else {
    configDirs.push(path.join(o.home, '.config'));
    if ((o.platform ?? process.platform) === 'darwin') configDirs.push(path.join(o.home, 'Library', 'Application Support'));
  }
  const sources: Source[] = [];
  if (set(o.settingFile ?? undefined)) sources.push({ label: 'setting clanVars.ageIdentityFile', file: expandHome(o.settingFile!.trim(), o.home) });
  sources.push({ label: 'SOPS_AGE_KEY', inline: set(env.SOPS_AGE_KEY) });
  sources.push({ label: 'SOPS_AGE_KEY_FILE', file: set(env.SOPS_AGE_KEY_FILE) && expandHome(env.SOPS_AGE_KEY_FILE!, o.home) });
  for (const dir of configDirs) sources.push({ label: 'sops default', file: path.join(dir, 'sops', 'age', 'keys.txt') });
  sources.push({ label: 'AGE_KEY', inline: set(env.AGE_KEY) });
  sources.push({ label: 'AGE_KEYFILE', file: set(env.AGE_KEYFILE) && expandHome(env.AGE_KEYFILE!, o.home) });
  sources.push({ label: 'age default', file: path.join(configDirs[0], 'age', 'identities') });
  sources.push({ label: 'age default', file: path.join(o.home, '.age', 'key.txt') });
  if (o.passage) {
    const f = set(env.PASSAGE_IDENTITIES_FILE) ?? path.join(o.home, '.passage', 'identities');
    sources.push({ label: 'passage identities', file: expandHome(f, o.home) });
  }
  return sources;
}

/** Splits the text of an identity file (or an inline variable) into keys and unsupported entries. */
export function parseIdentityText(text: string, where: string): { keys: FoundIdentity[]; unsupported: string[] } {
  const keys: FoundIdentity[] = [];
  const unsupported: string[] = [];
  if (/-----BEGIN (OPENSSH|RSA|EC|DSA) PRIVATE KEY-----/.test(text) || /^ssh-(ed25519|rsa) /m.test(text)) {
    unsupported.push(`${where} is an SSH key; SSH identities are not supported here. Convert it with ssh-to-age, or point clanVars.ageIdentityFile at an age key.`);
    return { keys, unsupported };
  }
  if (text.startsWith('age-encryption.org/') || text.includes('-----BEGIN AGE ENCRYPTED FILE-----')) {
    unsupported.push(`${where} is an encrypted (passphrase-protected) identity file, which is not supported here.`);
    return { keys, unsupported };
  }
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = `${where}, line ${i + 1}`;
    if (/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(line)) keys.push({ key: line, source: at });
    else if (line.startsWith('AGE-PLUGIN-')) unsupported.push(`${at}: plugin identity ${line.slice(0, line.indexOf('-1') + 1)}… is not supported here (plugins cannot be run from the editor).`);
    else unsupported.push(`${at}: not an age identity (expected AGE-SECRET-KEY-1…).`);
  });
  return { keys, unsupported };
}

function display(file: string, home: string): string {
  return file.startsWith(home + path.sep) ? '~' + file.slice(home.length) : file;
}

/** Reads every source; never throws. */
export function discoverIdentities(o: IdentityOptions): IdentityDiscovery {
  const identities: FoundIdentity[] = [];
  const looked: string[] = [];
  const unsupported: string[] = [];
  const seen = new Set<string>();
  const seenFiles = new Set<string>();
  const add = (r: { keys: FoundIdentity[]; unsupported: string[] }) => {
    for (const k of r.keys) if (!seen.has(k.key)) (seen.add(k.key), identities.push(k));
    unsupported.push(...r.unsupported);
    return r.keys.length;
  };
  for (const s of identitySources(o)) {
    if (s.file === undefined && s.inline === undefined) {
      looked.push(`${s.label}: not set`);
      continue;
    }
    if (s.inline !== undefined) {
      const n = add(parseIdentityText(s.inline, s.label));
      looked.push(`${s.label}: ${n} key${n === 1 ? '' : 's'}`);
      continue;
    }
    const file = path.resolve(s.file!);
    const where = `${s.label} (${display(file, o.home)})`;
    if (seenFiles.has(file)) continue;
    seenFiles.add(file);
    let text: string;
    try {
      text = readWorkspaceText(file, 1_000_000);
    } catch (e) {
      looked.push(`${where}: ${readProblem(e)}`);
      continue;
    }
    const n = add(parseIdentityText(text, where));
    looked.push(`${where}: ${n} key${n === 1 ? '' : 's'}`);
  }
  return { identities, looked, unsupported };
}
