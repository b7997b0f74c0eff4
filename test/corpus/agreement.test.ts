// One answer in every view (issue 55), on real clans: the corpus, the clans gathered beside it
// (../clans, where present) and the test fixtures. For every generator the clan declares, the
// dependency graph, the vars view, `--machines` and the hover name the same machines (the generator
// view's, which is the machine model's); an edge is drawn unresolved exactly where the rules report
// an unknown-dependency error; and every generator the Problems panel has an error or warning in
// shows it in the vars view and on its graph node. Views that computed their own answers disagreed
// on clan-infra (nextcloud -> nextcloud-mail drawn unresolved, openssh on 2 machines against 8) and
// on vanixiets (openssh-ca on 4 against 10).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { openFolder } from '../../server/src/cli/folder';
import { buildDependencyGraph } from '../../server/src/ide/graph/build';
import { problemsByGenerator } from '../../server/src/ide/generatorProblems';
import { generatorHover } from '../../server/src/ide/hoverText';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { clanVarsStatus } from '../../server/src/ide/vars/varsStatus';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { generatorView } from '../../server/src/model/generatorView/generatorView';
import { REPO_ROOT } from '../helpers/tempClan';

const CORPORA = [path.resolve(REPO_ROOT, '..', 'shared', 'corpus'), path.resolve(REPO_ROOT, '..', 'clans'), path.resolve(REPO_ROOT, '..', 'shared', 'fixtures')];

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const at = (d: { file: string; range: { start: { line: number; character: number } } }) => `${d.file}:${d.range.start.line}:${d.range.start.character}`;

/** What the views disagree on in the clans of `dir`: one line a disagreement, empty when they agree. */
async function disagreements(dir: string): Promise<{ lines: string[]; generators: number }> {
  const index = await openFolder(dir, DEFAULT_SETTINGS, () => {});
  const lines: string[] = [];
  let generators = 0;
  const all = [...index.allProblems().values()].flat();
  for (const { root } of index.clanRoots().filter((r) => r.generators > 0)) {
    const clan = index.clan(root);
    const problems = all.filter((p) => index.clanRootOf(p.file) === root);
    const graph = buildDependencyGraph(clan, problems);
    const status = clanVarsStatus(clan, problems);
    const report = machinesReport(clan);
    const say = (what: string) => lines.push(`${path.relative(dir, root) || '.'}: ${what}`);

    for (const node of graph.nodes) {
      if (node.kind !== 'generator' || node.name.includes('*') || node.stale) continue;
      generators++;
      const view = generatorView(clan, node.name);
      const want = view.machines;
      const differs = (where: string, got: string[]) => got.join(' ') !== want.join(' ') && say(`${node.name}: ${where} gives [${got.join(', ')}], the generator view [${want.join(', ')}]`);
      differs('the graph', node.machines);
      differs('--machines', sorted(report.machines.filter((m) => m.generators.includes(node.name)).map((m) => m.name)));
      if (!view.share) differs('the vars view', sorted(status.machines.filter((m) => m.generators.some((g) => g.name === node.name && g.why !== 'stored')).map((m) => m.name)));
      // the hover's summary names its first machines, and how many more
      const head = generatorHover(clan, node.name).split('\n')[0];
      const named = want.slice(0, 4).filter((m) => !head.includes(m));
      const more = want.length > 4 ? ` and ${want.length - 4} more` : '';
      if (named.length || (more && !head.includes(more)) || (!want.length && / on |\(/.test(head))) say(`${node.name}: the hover's summary "${head}" against the generator view [${want.join(', ')}]`);
    }

    // edges: unresolved exactly where the rules say clan stops
    const unresolved = new Set(problems.filter((p) => p.code === 'unknown-dependency' && p.severity === 'error').map(at));
    const drawn = new Set(graph.edges.filter((e) => e.unknown && e.declaration).map((e) => at(e.declaration!)));
    for (const e of graph.edges) if (e.declaration && e.unknown !== unresolved.has(at(e.declaration))) say(`edge ${e.from} -> ${e.to}: drawn ${e.unknown ? 'unresolved' : 'resolved'}, the rules ${e.unknown ? 'report no error' : 'report an unknown-dependency error'}`);
    for (const place of unresolved) if (!drawn.has(place) && graph.edges.some((e) => e.declaration && at(e.declaration) === place)) say(`${place}: an unknown-dependency error the graph draws resolved`);

    // every generator with an error or warning shows it in the vars view and on its node
    for (const [name, found] of problemsByGenerator(clan, problems)) {
      const rows = [...status.machines.flatMap((m) => m.generators), ...status.shared, ...status.unassigned].filter((g) => g.name === name && g.why !== 'stored');
      for (const row of rows) if (!row.problems?.length) say(`${name}${row.machine ? ` on ${row.machine}` : ''}: the vars view shows no problem, Problems has ${found.length} (${found[0]!.code})`);
      const node = graph.nodes.find((n) => n.name === name && n.kind === 'generator');
      const own = found.filter((p) => p.code !== 'dependency-cycle' && p.code !== 'unknown-dependency');
      if (node && own.length && !node.severity) say(`${name}: the graph's node is drawn without a problem, Problems has ${own.length} (${own[0]!.code})`);
    }
  }
  return { lines, generators };
}

for (const corpus of CORPORA) {
  const clans = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((d) => fs.statSync(path.join(corpus, d)).isDirectory()).sort() : [];
  if (!clans.length) console.log(`# one-answer agreement skipped: no clans under ${corpus}`);
  describe(`one answer in every view: ${path.relative(path.dirname(REPO_ROOT), corpus)}`, () => {
    for (const name of clans) {
      test(name, async () => {
        const { lines, generators } = await disagreements(path.join(corpus, name));
        assert.deepEqual(lines, [], `${lines.length} disagreement(s) over ${generators} generators`);
      });
    }
  });
}
