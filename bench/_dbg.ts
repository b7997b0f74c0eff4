import * as fs from 'node:fs';
import { evaluateComputedSet } from '../server/src/model/computedModules';
import { NixParser } from '../server/src/syntax/nixParser';
(async () => {
  const root = '/work/clans/pinpox+nixos';
  const parser = await NixParser.load();
  const file = root + '/flake.nix';
  const r = evaluateComputedSet(root, parser, file, { cls: 'nixos', path: ['outputs', 'nixosModules'], range: null as any, source: fs.readFileSync(file, 'utf8') } as any);
  console.log('reason' in r ? r.reason : [...r.modules].map(([k, v]) => k + ':' + JSON.stringify(v)).join('\n'));
})();
