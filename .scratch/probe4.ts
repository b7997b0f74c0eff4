import * as fs from 'node:fs';
import { NixParser } from '../server/src/parse/nixParser';
import { extractFile } from '../server/src/extract/file';
(async () => {
  const p = await NixParser.load();
  for (const f of process.argv.slice(2)) {
    const t = fs.readFileSync(f, 'utf8');
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const tree = p.parse(t);
      const t1 = performance.now();
      const facts = extractFile('/x/machines/host/configuration.nix', tree, { registry: f.includes('registry'), matrix: false } as any, t, p);
      console.log(f, t.length, 'parse', (t1 - t0).toFixed(0), 'extract', (performance.now() - t1).toFixed(0), facts.generators.length);
    }
  }
})();
