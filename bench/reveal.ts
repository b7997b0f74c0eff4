// Cold and warm reveal times: a fresh process decrypting a sops secret (identity discovery, age
// unwrap of the data key, AES-GCM, MAC check), then the same reveal repeated. Target: cold < 150 ms.
// Run: node --import tsx bench/reveal.ts   (uses the shared clan-core fixtures and their test key)
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { revealAgeBackend, revealSops } from '../server/src/actions/reveal';
import { keyOwners } from '../server/src/secrets/sopsKeys';
import { FIXTURES, identitiesFromFile } from '../test/helpers/secretsEnv';

async function main(): Promise<void> {
  const loaded = performance.now(); // since process start: node startup + loading (and, under tsx, compiling) the modules
  const root = path.join(FIXTURES, 'sops-backend-service-dummy-test');
  const secret = path.join(root, 'vars/per-machine/peer1/new-service/a-secret/secret');
  const reveal = async () => {
    const ctx = { root, identities: identitiesFromFile(path.join(root, 'ADMIN-test-age-key.txt')), owners: keyOwners(root) };
    const r = await revealSops(ctx, secret);
    if (Buffer.from(r.value).toString() !== 'a-secret') throw new Error('wrong value');
  };
  const t0 = performance.now();
  await reveal();
  const cold = performance.now() - t0;
  const runs = 50;
  const t1 = performance.now();
  for (let i = 0; i < runs; i++) await reveal();
  const warm = (performance.now() - t1) / runs;

  const ageRoot = path.join(FIXTURES, 'age-backend');
  const ageFile = path.join(ageRoot, 'secrets/clan-vars/per-machine/machine/test-generator/service-secret/service-secret.age');
  const ageCtx = { root: ageRoot, identities: identitiesFromFile(path.join(ageRoot, 'age-fixtures/key.txt')) };
  const t2 = performance.now();
  for (let i = 0; i < runs; i++) await revealAgeBackend(ageCtx, ageFile, 'machine');
  const ageWarm = (performance.now() - t2) / runs;

  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`reveal sops cold (first reveal, modules loaded): ${ms(cold)}`);
  console.log(`process start to modules loaded: ${ms(loaded)} (under tsx this includes compiling TypeScript)`);
  console.log(`reveal sops warm (mean of ${runs}): ${ms(warm)}`);
  console.log(`reveal age backend warm (mean of ${runs}): ${ms(ageWarm)}`);
  console.log(`target cold < 150 ms: ${cold < 150 ? 'met' : 'NOT met'}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
