// What the dependency graph page draws, read from the page itself (classes, elements, computed
// colours), as scripts for page.evaluate (strings: tsx would add helpers the page does not have).
// Shared by the webview's unit test and the real-editor UI test.

/** The encodings drawn (the legend's keys, webview/src/legend.ts), sorted, and the legend's entries, sorted. */
export const LEGEND_SCRIPT = `(() => {
  const has = (sel) => document.querySelector(sel) !== null;
  const drawn = [];
  for (const s of ['generated', 'partial', 'missing', 'outdated']) if (has('g.node.node--state-' + s)) drawn.push('state-' + s);
  if (has('g.node.node--generator:not([class*="node--state-"])')) drawn.push('state-none');
  if (has('g.node .node-badge--error')) drawn.push('error');
  if (has('g.node .node-badge--warning')) drawn.push('warning');
  if (has('g.node.node--unknown')) drawn.push('unknown');
  if (has('g.node.node--external')) drawn.push('external');
  if (has('g.node.node--stale')) drawn.push('stale');
  if (has('g.node .node-inner')) drawn.push('shared');
  if (has('.file-mark--secret')) drawn.push('secret');
  if (has('.file-mark--public')) drawn.push('public');
  if (has('g.edge.edge--error')) drawn.push('edge-error');
  const clusters = [...document.querySelectorAll('g.cluster rect')].map((r) => r.getBoundingClientRect());
  if (clusters.length) drawn.push('machine');
  const inside = (b) => clusters.some((c) => b.left >= c.left - 0.5 && b.right <= c.right + 0.5 && b.top >= c.top - 0.5 && b.bottom <= c.bottom + 0.5);
  if ([...document.querySelectorAll('g.node.node--generator .node-box')].some((n) => !inside(n.getBoundingClientRect()))) drawn.push('unboxed');
  const legend = [...document.querySelectorAll('.legend [data-encoding]')].map((e) => e.getAttribute('data-encoding'));
  return { drawn: drawn.sort(), legend: legend.sort() };
})()`;

/** The strokes of a normal, an error and a warning node (null where none is drawn), and the error nodes without their mark. */
export const NODE_STROKES_SCRIPT = `(() => {
  // the selection's border is the focus colour: read the nodes as they are when not selected
  const selected = [...document.querySelectorAll('g.node.node--selected')];
  for (const g of selected) g.classList.remove('node--selected');
  const stroke = (sel) => { const e = document.querySelector(sel); return e ? getComputedStyle(e).stroke : null; };
  const plain = ':not(:hover):not(.node--match)';
  const out = {
    normal: stroke('g.node.node--generator:not(.node--error):not(.node--warning):not(.node--stale)' + plain + ' .node-box'),
    error: stroke('g.node.node--error' + plain + ' .node-box'),
    warning: stroke('g.node.node--warning' + plain + ' .node-box'),
    unmarked: [...document.querySelectorAll('g.node.node--error, g.node.node--warning')].filter((g) => !g.querySelector('.node-badge')).map((g) => g.dataset.id),
  };
  for (const g of selected) g.classList.add('node--selected');
  return out;
})()`;

/** The generators the overview (when shown) lies over: their ids; null when it is hidden. */
export const OVERVIEW_OVER_SCRIPT = `(() => {
  const map = document.querySelector('svg.minimap:not(.minimap--hidden)');
  if (!map) return null;
  const m = map.getBoundingClientRect();
  return [...document.querySelectorAll('g.node .node-box')].filter((n) => { const r = n.getBoundingClientRect(); return r.right > m.left && r.left < m.right && r.bottom > m.top && r.top < m.bottom; }).map((n) => n.parentElement.dataset.id);
})()`;
