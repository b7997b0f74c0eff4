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

/**
 * The strokes of a normal, an error and a warning node (null where none is drawn), the nodes' fill,
 * the fills of the error and warning marks and the strokes of the glyphs in them (null where none is
 * drawn), and the error and warning nodes without their mark.
 */
export const NODE_STROKES_SCRIPT = `(() => {
  // the selection's border is the focus colour: read the nodes as they are when not selected
  const selected = [...document.querySelectorAll('g.node.node--selected')];
  for (const g of selected) g.classList.remove('node--selected');
  const css = (sel, prop) => { const e = document.querySelector(sel); return e ? getComputedStyle(e)[prop] : null; };
  const stroke = (sel) => css(sel, 'stroke');
  const plain = ':not(:hover):not(.node--match)';
  const normal = 'g.node.node--generator:not(.node--error):not(.node--warning):not(.node--stale)' + plain;
  const out = {
    normal: stroke(normal + ' .node-box'),
    error: stroke('g.node.node--error' + plain + ' .node-box'),
    warning: stroke('g.node.node--warning' + plain + ' .node-box'),
    fill: css(normal + ' .node-box', 'fill'),
    errorMark: css('g.node .node-badge--error .node-badge-shape', 'fill'),
    warningMark: css('g.node .node-badge--warning .node-badge-shape', 'fill'),
    errorGlyph: stroke('g.node .node-badge--error .node-badge-glyph'),
    warningGlyph: stroke('g.node .node-badge--warning .node-badge-glyph'),
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

/**
 * The texts of the graph cut inside a name, as "<node>: <text>": a node's title lines that do not
 * make up its whole name (its tooltip's first line), a file or meta line and a machine box's label
 * cut with an ellipsis right after a letter of a name, and a text that runs past its box or under
 * the node's error or warning mark. `checked` counts the texts read.
 */
export const GRAPH_TEXT_CUT_SCRIPT = `(() => {
  const cut = [];
  let checked = 0;
  const inside = (t, box, mark) => {
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) return false;
    return !mark || r.right <= mark.left + 0.5 || r.bottom <= mark.top + 0.5 || r.top >= mark.bottom - 0.5;
  };
  // an ellipsis right after a character of a name (not after a separator such as ', ' or ' · ')
  const midName = (text) => /[A-Za-z0-9_'"-]…$/.test(text);
  for (const g of document.querySelectorAll('g.node')) {
    const name = (g.querySelector('title')?.textContent ?? '').split('\\n')[0];
    const box = g.querySelector('.node-box').getBoundingClientRect();
    const mark = g.querySelector('.node-badge-shape')?.getBoundingClientRect();
    const titles = [...g.querySelectorAll('text.node-title')];
    if (titles.map((t) => t.textContent).join('') !== name) cut.push(g.dataset.id + ': title ' + JSON.stringify(titles.map((t) => t.textContent).join(' / ')));
    for (const t of g.querySelectorAll('text')) {
      checked++;
      if (!inside(t, box, mark)) cut.push(g.dataset.id + ': ' + JSON.stringify(t.textContent) + ' runs past its box or under its mark');
      else if (!t.classList.contains('node-title') && midName(t.textContent)) cut.push(g.dataset.id + ': ' + JSON.stringify(t.textContent));
    }
  }
  for (const c of document.querySelectorAll('g.cluster')) {
    const t = c.querySelector('text.cluster-label');
    if (!t) continue;
    checked++;
    if (midName(t.textContent) || !inside(t, c.querySelector('rect').getBoundingClientRect())) cut.push('machine box: ' + JSON.stringify(t.textContent));
  }
  return { checked, cut };
})()`;

/**
 * The selected generator against the details panel: null when none is selected or the panel is
 * closed; else its id, the parts of it (its box, its error or warning mark) that lie under the
 * panel, and whether they lie whole in the part of the graph the panel leaves free (beside the
 * panel when the view is wide, left of it where it lies over the graph).
 */
export const SELECTED_UNDER_DETAILS_SCRIPT = `(() => {
  const g = document.querySelector('g.node.node--selected');
  const d = document.querySelector('.details');
  if (!g || !d || d.hidden) return null;
  const p = d.getBoundingClientRect();
  if (p.width === 0 || p.height === 0) return null;
  const view = document.querySelector('svg.graph').getBoundingClientRect();
  const free = { left: view.left, top: view.top, right: Math.min(view.right, p.left), bottom: view.bottom };
  const under = [];
  let whole = true;
  for (const [part, e] of [['box', g.querySelector('.node-box')], ['mark', g.querySelector('.node-badge-shape')]]) {
    if (!e) continue;
    const r = e.getBoundingClientRect();
    if (Math.min(r.right, p.right) - Math.max(r.left, p.left) > 0.5 && Math.min(r.bottom, p.bottom) - Math.max(r.top, p.top) > 0.5) under.push(part);
    if (r.left < free.left - 0.5 || r.top < free.top - 0.5 || r.right > free.right + 0.5 || r.bottom > free.bottom + 0.5) whole = false;
  }
  return { id: g.dataset.id, under, whole };
})()`;
