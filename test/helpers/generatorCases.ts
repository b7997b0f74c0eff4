// Data-driven generator extraction cases: a Nix module and the generators found in it, written as
// `name [deps] {files} <prompts>` (`{?}` when its files are unknown), with how many generator sets
// stay unknown. Syntax only, or with the evaluator (`evaluate`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFile } from '../../server/src/facts/file';
import type { FileFacts } from '../../server/src/facts/types';
import { FactPool, packFacts } from '../../server/src/model/scan/factPool';
import { NixParser } from '../../server/src/syntax/nixParser';

export interface GeneratorCase {
  name: string;
  nix: string;
  expect: string[];
  opaque?: number;
  /** Only check that these are among the generators found (half-typed text). */
  partial?: boolean;
}

export function generatorLines(facts: FileFacts): string[] {
  return facts.generators.map((g) => {
    const name = g.name.name ?? g.name.pattern;
    const deps = g.dependencies.map((d) => d.name ?? d.pattern).join(',');
    const prompts = g.prompts.length ? ` <${g.prompts.map((p) => p.name).sort().join(',')}>` : '';
    const files = g.filesUnknown ? '?' : g.files.map((f) => f.name).sort().join(',');
    return `${name} [${deps}] {${files}}${prompts}`;
  });
}

export function generatorCases(prefix: string, cases: GeneratorCase[], evaluate: boolean): void {
  for (const c of cases) {
    test(`${prefix}: ${c.name}`, async () => {
      const parser = await NixParser.load();
      const tree = parser.parse(c.nix);
      try {
        const facts = extractFile('/clan/modules/m.nix', tree, { registry: false, matrix: false }, c.nix, evaluate ? parser : undefined);
        const got = generatorLines(facts);
        if (c.partial) for (const e of c.expect) assert.ok(got.includes(e), `got ${JSON.stringify(got)}`);
        else assert.deepEqual(got.sort(), c.expect.slice().sort());
        assert.equal(facts.opaqueGeneratorSources.length, c.opaque ?? 0);
        assertPoolable(facts);
      } finally {
        tree.delete();
      }
    });
  }
}

/**
 * Facts as a scan indexes them: packed, as a worker or the facts cache hands them over, and as
 * extracted, shared in place (model/scan/factPool.ts), with the same values both ways.
 */
export function assertPoolable(facts: FileFacts): void {
  const json = JSON.stringify(facts);
  const pool = new FactPool();
  assert.equal(JSON.stringify(pool.share(JSON.parse(packFacts(facts)) as FileFacts, true)), json, 'packed and read back');
  pool.share(facts);
  assert.equal(JSON.stringify(facts), json, 'shared in place');
}
