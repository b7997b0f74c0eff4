import * as path from 'node:path';
import { clanOfFolder } from './server/src/cli/folder';
import { DEFAULT_SETTINGS } from './server/src/inputs/settings';
import { generatorNamesWithVars, generatorView } from './server/src/model/generatorView/generatorView';
(async () => {
  const clan = await clanOfFolder(path.resolve(process.argv[2]), DEFAULT_SETTINGS, () => {});
  console.log('evaluation', !!clan.evaluation, [...(clan.evaluation?.machines.entries() ?? [])].map(([m, g]) => `${m}:${g?.map((x) => x.name + '=' + x.validationHash).join(',')}`));
  for (const n of generatorNamesWithVars(clan)) { const v = generatorView(clan, n); console.log(n, v.declarations.map((d) => d.origin).join(','), v.placements.map((p) => p.machine + ':' + p.validation.kind).join(' ')); }
})();
