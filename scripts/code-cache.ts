// Makes V8's code cache of the checker's bundle (server/src/cli/codeCache.ts), for scripts/build.mjs:
// node --import tsx scripts/code-cache.ts DIST. It then starts the checker (DIST/cli.js) once, to
// see that V8 takes the cache; where it does not (this Node cannot use what it made), the cache is
// removed and the checker compiles its bundle as usual.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeCacheOf, makeCodeCache } from '../server/src/cli/codeCache';

const dist = path.resolve(process.argv[2] ?? 'dist');
const bundle = path.join(dist, 'checker.js');
makeCodeCache(bundle);
const r = spawnSync(process.execPath, [path.join(dist, 'cli.js'), '--version'], { env: { ...process.env, CLAN_VARS_DEBUG_TIMES: '1' }, encoding: 'utf8' });
const said = /code cache: (.*)/.exec(r.stderr ?? '')?.[1] ?? `no answer (exit ${r.status}: ${r.stderr})`;
if (said !== 'used') {
  fs.rmSync(codeCacheOf(bundle), { force: true });
  console.warn(`the checker's code cache was not kept: ${said}`);
}
