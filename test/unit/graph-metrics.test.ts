// Node text and size: nothing in a node is cut (meta lines wrap; a missing generator shows its
// did-you-mean), and the layout follows the shape of the view it is drawn in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutGraph } from '../../server/src/ide/graph/layout';
import { charsPerLine, didYouMean, metaLine, nodeSize, nodeText, wrapText } from '../../server/src/ide/graph/nodeMetrics';
import type { GraphNode } from '../../server/src/ide/graph/types';
import { syntheticGraph } from '../../bench/syntheticGraph';

const node = (over: Partial<GraphNode>): GraphNode => ({
  id: 'g:x',
  name: 'x',
  kind: 'generator',
  shared: false,
  origin: 'module',
  machines: [],
  files: [],
  prompts: [],
  declarations: [],
  ...over,
});

test('wrapText breaks between words, inside a word only when it alone is too long', () => {
  assert.deepEqual(wrapText('shared · all machines', 12, 3), ['shared · all', 'machines']);
  assert.deepEqual(wrapText('ada, bo, charlie', 9, 3), ['ada, bo,', 'charlie']);
  assert.deepEqual(wrapText('abcdefghij', 4, 5), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(wrapText('short', 20, 1), ['short']);
  const cut = wrapText('one two three four five six', 7, 2);
  assert.equal(cut.length, 2);
  assert.ok(cut[1].endsWith('…') && cut[1].length <= 7, cut[1]);
  assert.deepEqual(wrapText('', 10, 2), ['']);
});

test('nodes are sized for their whole meta line: "shared · all machines", "not declared anywhere"', () => {
  for (const n of [
    node({ name: 'ssh', shared: true }),
    node({ id: 'u:wireguard-kye', name: 'wireguard-kye', kind: 'unknown', origin: 'none', problems: ["No generator named 'wireguard-kye'. Did you mean 'wireguard-key'?"] }),
    node({ name: 'a', machines: ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'] }),
  ]) {
    const size = nodeSize(n);
    const text = nodeText(n, size.width);
    const chars = charsPerLine(size.width);
    for (const line of [...text.title, ...text.meta, ...text.hint]) assert.ok(line.length <= chars, `"${line}" fits ${chars}`);
    if (metaLine(n).length <= chars) assert.deepEqual(text.meta, [metaLine(n)], 'the meta line is not cut');
  }
  const unknown = node({ kind: 'unknown', problems: ["No generator named 'open-ssh'. Did you mean 'openssh'?"] });
  assert.equal(didYouMean(unknown), "did you mean 'openssh'?");
  assert.deepEqual(nodeText(unknown, nodeSize(unknown).width).hint, ["did you mean 'openssh'?"]);
  assert.equal(didYouMean(node({ problems: ["Did you mean 'y'?"] })), undefined, 'only for missing generators');
  // more text, taller box
  assert.ok(nodeSize(unknown).height > nodeSize(node({ kind: 'unknown' })).height);
});

test('the layout follows the aspect of the view: wider views get wider drawings', () => {
  const graph = syntheticGraph(60);
  const wide = layoutGraph(graph, { aspect: 3 });
  const tall = layoutGraph(graph, { aspect: 0.6 });
  assert.ok(wide.width / wide.height > tall.width / tall.height, `wide ${wide.width}x${wide.height}, tall ${tall.width}x${tall.height}`);
  assert.deepEqual(layoutGraph(graph, { aspect: Number.NaN }), layoutGraph(graph), 'a bad aspect is the default');
});
