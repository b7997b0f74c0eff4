// The checker's entry, dist/cli.js: starts the checker's bundle beside it (dist/checker.js, built
// from cli/cli.ts) from V8's code cache of it (cli/codeCache.ts). CLAN_VARS_DEBUG_TIMES says
// whether the cache was used.
import * as path from 'node:path';
import { runBundle } from './codeCache';

try {
  const use = runBundle(path.join(__dirname, 'checker.js'));
  if (process.env.CLAN_VARS_DEBUG_TIMES) process.stderr.write(`clan-vars-lint: code cache: ${use}\n`);
} catch (e) {
  // a bundle missing or unreadable (a build that did not finish): said as the checker says an internal error
  process.stderr.write(`clan-vars-lint: internal error: the checker could not start: ${(e as Error).message} (npm run build makes it)\n`);
  process.exitCode = 2;
}
