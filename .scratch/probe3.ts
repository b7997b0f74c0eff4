import * as fs from 'node:fs';
import { Parser, Language } from 'web-tree-sitter';
(async () => {
  await Parser.init({ locateFile: () => '/work/main/node_modules/web-tree-sitter/tree-sitter.wasm' });
  const lang = await Language.load(fs.readFileSync('/work/main/grammars/tree-sitter-nix.wasm'));
  const p = new Parser(); p.setLanguage(lang);
  for (const f of process.argv.slice(2)) {
    const t = fs.readFileSync(f, 'utf8');
    let t0 = performance.now();
    const tree = p.parse(t)!;
    const a = performance.now() - t0; t0 = performance.now();
    const root = tree.rootNode; const b = performance.now() - t0; t0 = performance.now();
    const he = root.hasError; const c = performance.now() - t0; t0 = performance.now();
    const he2 = root.hasError; const d = performance.now() - t0;
    console.log(f, t.length, 'parse', a.toFixed(0), 'root', b.toFixed(0), 'hasError', c.toFixed(0), he, 'again', d.toFixed(1), he2);
  }
})();
