// Shared pieces for the secrets tests: where the shared fixtures are, temp directories, and
// identity discovery with an isolated (empty) environment.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverIdentities, type IdentityDiscovery } from '../../server/src/secrets/identities';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The shared folder: $CLAN_VARS_SHARED, else <project>/../shared, else /work/shared. */
export function sharedDir(): string {
  const candidates = [process.env.CLAN_VARS_SHARED, path.join(PROJECT_ROOT, '..', 'shared'), '/work/shared'];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'fixtures'))) return c;
  throw new Error(`shared fixtures not found (tried ${candidates.filter(Boolean).join(', ')}); set CLAN_VARS_SHARED`);
}

export const FIXTURES = path.join(sharedDir(), 'fixtures', 'clan-core-vars');

/** Folders made by tempDir, removed when the test process exits. */
const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'clan-vars-secrets-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** Identities from exactly these env vars and this HOME (nothing from the real user). */
export function identitiesFrom(env: Record<string, string | undefined>, home = tempDir('clan-vars-home-'), settingFile?: string): IdentityDiscovery {
  return discoverIdentities({ env, home, platform: 'linux', settingFile });
}

/** Identities from one key file. */
export function identitiesFromFile(file: string): IdentityDiscovery {
  return identitiesFrom({ SOPS_AGE_KEY_FILE: file });
}
