// The checker's entry, dist/cli.js: starts the checker's bundle beside it (dist/checker.js, built
// from cli/cli.ts) from V8's code cache of it (cli/codeCache.ts). CLAN_VARS_DEBUG_TIMES says
// whether the cache was used.
import * as path from 'node:path';
import { runBundle } from './codeCache';

const use = runBundle(path.join(__dirname, 'checker.js'));
if (process.env.CLAN_VARS_DEBUG_TIMES) process.stderr.write(`clan-vars-lint: code cache: ${use}\n`);
