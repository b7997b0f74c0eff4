// The dependency graph webview: a renderer. The extension sends the laid-out graph by postMessage;
// this draws it, handles pan/zoom, selection, search and keyboard navigation, and sends the user's
// requests (open, filter, follow, export) back. It never builds markup from strings.
import type { GraphFilter } from '../../server/src/ide/graph/types';
import { renderDetails } from './details';
import { h, option } from './dom';
import { standaloneSvg } from './exportSvg';
import type { ExportFormat, ExportTarget, HostMessage, WebviewMessage } from './messages';
import { addMarkers, drawGraph, el, type Drawn } from './render';
import { renderLegend, encodingsOf } from './legend';
import { Minimap } from './minimap';
import { followThemeMarks } from './themeMarks';
import { nearestInDirection, Viewport, type View } from './viewport';

interface VsCodeApi {
  postMessage(m: WebviewMessage): void;
  getState(): SavedState | undefined;
  setState(s: SavedState): void;
}
interface SavedState {
  view?: View;
  key?: string;
  selected?: string | null;
  /** The user's own choice for the details panel; unset: open when the view is wide. */
  detailsOpen?: boolean;
}
declare function acquireVsCodeApi(): VsCodeApi;

performance.mark('clan-vars:script');
const vscode = acquireVsCodeApi();
/**
 * A test hook: how many messages of each type the page has posted to the extension, read by the UI
 * tests as window.clanVarsPosted (a click on a node must post no 'open'). The page never reads it.
 */
const posted: Record<WebviewMessage['type'], number> = { ready: 0, resize: 0, newGroup: 0, open: 0, filter: 0, follow: 0, export: 0 };
(window as unknown as { clanVarsPosted: typeof posted }).clanVarsPosted = posted;
const post = (m: WebviewMessage) => {
  posted[m.type]++;
  vscode.postMessage(m);
};
const saved: SavedState = vscode.getState() ?? {};

// ---- page structure
const clanSelect = h('select', { 'aria-label': 'Clan', class: 'clan-select' });
const machineSelect = h('select', { 'aria-label': 'Machine' });
const focusChip = h('button', { type: 'button', class: 'chip', hidden: '' });
const search = h('input', { type: 'search', placeholder: 'Search generators  ( / )', 'aria-label': 'Search generators' });
const matchCount = h('span', { class: 'match-count', 'aria-live': 'polite' });
const follow = h('input', { type: 'checkbox', id: 'follow' });
const fitButton = h('button', { type: 'button', title: 'Fit the graph, text kept readable (0)' }, 'Fit');
const detailsButton = h('button', { type: 'button', class: 'secondary details-toggle', title: 'Show or hide the details panel (i)', 'aria-controls': 'details', 'aria-pressed': 'false' }, 'Details');
const groupButton = h('button', { type: 'button', class: 'secondary', title: 'Move the graph into an editor group of its own' }, 'Own group');
const exportSelect = h('select', { 'aria-label': 'Export' }, option('', 'Export…'));
for (const [value, label] of [
  ['svg:file', 'SVG to file…'],
  ['svg:clipboard', 'SVG to clipboard'],
  ['dot:file', 'Graphviz DOT to file…'],
  ['dot:clipboard', 'Graphviz DOT to clipboard'],
  ['mermaid:file', 'Mermaid to file…'],
  ['mermaid:clipboard', 'Mermaid to clipboard'],
])
  exportSelect.append(option(value, label));
const toolbar = h(
  'div',
  { class: 'toolbar', role: 'toolbar' },
  clanSelect,
  machineSelect,
  focusChip,
  search,
  matchCount,
  h('label', { class: 'follow', title: 'Select the generator under the cursor of the editor' }, follow, 'Follow editor'),
  fitButton,
  detailsButton,
  groupButton,
  exportSelect,
);
const svg = el('svg', { class: 'graph', tabindex: 0, role: 'application', 'aria-label': 'Generator dependency graph. Click selects, double-click or Enter opens the declaration beside, arrow keys move between generators, plus and minus zoom, Shift+arrows pan, 0 fits, f fits the selection and its neighbours, i shows the details.' });
addMarkers(svg);
const layer = el('g', { class: 'viewport' });
svg.append(layer);
const empty = h('div', { class: 'empty', hidden: '' });
const detailsBody = h('div', { class: 'details-body' });
const detailsClose = h('button', { type: 'button', class: 'details-close', title: 'Hide the details (i)', 'aria-label': 'Hide the details' }, '✕');
const details = h('aside', { class: 'details', id: 'details', 'aria-label': 'Generator details' }, detailsClose, detailsBody);
const status = h('div', { class: 'status' });
const legend = h('div', { class: 'legend', 'aria-label': 'Legend' });
const main = h('div', { class: 'main' }, h('div', { class: 'canvas' }, svg, empty), details);
document.body.append(toolbar, main, h('footer', {}, status, legend));
// the error and warning marks' colours, solved for contrast in the theme of the moment
followThemeMarks();

// ---- the details panel: beside the graph when the view is wide, over it (and closed until a
// generator is selected) when narrow, e.g. beside an editor; the user's choice is remembered.
const NARROW = 900;
let detailsOpen = saved.detailsOpen ?? window.innerWidth >= NARROW;
function layoutDetails(): void {
  main.classList.toggle('main--narrow', window.innerWidth < NARROW);
  main.classList.toggle('main--details-closed', !detailsOpen);
  detailsButton.setAttribute('aria-pressed', String(detailsOpen));
  details.hidden = !detailsOpen;
}
function setDetails(open: boolean, remember = true): void {
  if (open === detailsOpen) return;
  detailsOpen = open;
  if (remember) saved.detailsOpen = open;
  layoutDetails();
  // the panel lies over the graph where the view is narrow: the overview takes its corner and size anew
  minimap.update(viewport.view);
  // ... and beside it where wide, taking its width: the selection comes out from under it either way
  revealIfCovered();
  vscode.setState({ ...saved, view: viewport.view, key: viewKey(), selected });
}
layoutDetails();

// ---- state
const viewport = new Viewport(svg, layer);
const minimap = new Minimap(svg, viewport);
svg.parentElement!.append(minimap.svg);
viewport.rightInset = () => (main.classList.contains('main--narrow') && detailsOpen ? details.getBoundingClientRect().width : 0);
let current: Extract<HostMessage, { type: 'graph' }> | null = null;
let drawn: Drawn | null = null;
let selected: string | null = saved.selected ?? null;
/** The next graph is a new layout for a new shape: fit it even though the filter is the same. */
let refitNext = false;
viewport.changed((view) => {
  vscode.setState({ ...saved, view, key: viewKey(), selected });
  minimap.update(view);
});
const viewKey = () => (current ? JSON.stringify([current.root, current.filter]) : '');

function select(id: string | null, opts: { focus?: boolean; reveal?: boolean } = {}): void {
  if (!drawn || (id && !drawn.nodes.has(id))) id = null;
  selected = id;
  for (const [nid, g] of drawn?.nodes ?? []) {
    g.classList.toggle('node--selected', nid === id);
    g.setAttribute('tabindex', nid === id ? '0' : '-1');
  }
  for (const g of drawn?.edges.values() ?? []) g.classList.toggle('edge--active', !!id && (g.dataset.from === id || g.dataset.to === id));
  renderDetails(detailsBody, current?.result.graph ?? null, id, { select: (x) => select(x, { focus: true, reveal: true }), open, neighbourhood, fit: fitSelection });
  vscode.setState({ ...saved, view: viewport.view, key: viewKey(), selected });
  if (!id || !drawn) return;
  // a node chosen with the pointer stays where it is, unless the details panel now lies over it
  if (opts.reveal) viewport.reveal(drawn.boxes.get(id)!);
  else revealIfCovered();
  if (opts.focus) drawn.nodes.get(id)!.focus({ preventScroll: true });
}

/**
 * Brings the selected node into the part of the graph the details panel leaves free when the panel
 * hides part of it (its box or its mark): laid over the graph when the view is narrow, or beside it
 * when wide, where the node then lies past the graph's narrowed right edge. Called wherever the
 * panel or the node may have moved: the panel opened (its button, i, a click, a resize), a new
 * selection, a live update.
 */
function revealIfCovered(): void {
  const node = selected ? drawn?.nodes.get(selected) : undefined;
  if (!node || !detailsOpen) return;
  const n = node.getBoundingClientRect();
  const d = details.getBoundingClientRect();
  if (n.right > d.left && n.left < d.right && n.bottom > d.top && n.top < d.bottom) viewport.reveal(drawn!.boxes.get(selected!)!);
}

function open(id: string, declaration = 0): void {
  post({ type: 'open', nodeId: id, declaration });
}

function setFilter(filter: GraphFilter, root = current?.root): void {
  post({ type: 'filter', root, filter });
}

/** Zooms to a generator and those it depends on and that depend on it. */
function fitSelection(id: string | null = selected): void {
  if (!id || !drawn) return;
  const ids = new Set([id]);
  for (const e of current?.result.graph.edges ?? []) {
    if (e.from === id) ids.add(e.to);
    if (e.to === id) ids.add(e.from);
  }
  const boxes = [...ids].flatMap((x) => drawn!.boxes.get(x) ?? []);
  if (!boxes.length) return;
  viewport.fitRect(Math.min(...boxes.map((b) => b.x - b.width / 2)), Math.min(...boxes.map((b) => b.y - b.height / 2)), Math.max(...boxes.map((b) => b.x + b.width / 2)), Math.max(...boxes.map((b) => b.y + b.height / 2)));
}

function neighbourhood(id: string): void {
  const n = current?.result.graph.nodes.find((x) => x.id === id);
  if (n) setFilter({ ...current!.filter, focus: n.name });
}

function applySearch(): void {
  const q = search.value.trim().toLowerCase();
  let count = 0;
  for (const n of current?.result.graph.nodes ?? []) {
    const g = drawn?.nodes.get(n.id);
    if (!g) continue;
    const match = q !== '' && n.name.toLowerCase().includes(q);
    if (match) count++;
    g.classList.toggle('node--match', match);
    g.classList.toggle('node--dim', q !== '' && !match);
  }
  matchCount.textContent = q ? `${count} match${count === 1 ? '' : 'es'}` : '';
}

function nextMatch(back: boolean): void {
  if (!drawn) return;
  const ids = [...drawn.nodes].filter(([, g]) => g.classList.contains('node--match')).map(([id]) => id);
  if (!ids.length) return;
  const i = selected ? ids.indexOf(selected) : -1;
  select(ids[(i + (back ? -1 : 1) + ids.length) % ids.length], { reveal: true });
}

function updateToolbar(): void {
  if (!current) return;
  const { result, root, filter } = current;
  clanSelect.replaceChildren(...result.roots.map((r) => option(r.root, `${r.root} (${r.generators})`, r.root === root)));
  clanSelect.hidden = result.roots.length < 2;
  machineSelect.replaceChildren(option('', 'All machines', !filter.machine), ...result.graph.machines.map((m) => option(m, `Machine: ${m}`, m === filter.machine)));
  if (filter.machine && !result.graph.machines.includes(filter.machine)) machineSelect.append(option(filter.machine, `Machine: ${filter.machine}`, true));
  focusChip.hidden = !filter.focus;
  focusChip.textContent = filter.focus ? `Neighbourhood of ${filter.focus} ✕` : '';
  focusChip.title = 'Show the whole graph again';
  follow.checked = current.follow;
  const shown = result.graph.nodes.filter((n) => n.kind === 'generator').length;
  const errors = result.graph.edges.filter((e) => e.cycle || e.unknown).length;
  status.textContent = `${shown} of ${result.total} generators · ${result.graph.edges.length} dependencies${errors ? ` · ${errors} in error` : ''}`;
}

function showGraph(msg: Extract<HostMessage, { type: 'graph' }>): void {
  const before = viewKey();
  const hadGraph = drawn !== null;
  // the first graph's arrival and drawing, for the tests' timing of a first open (performance marks)
  if (!hadGraph) performance.mark('clan-vars:graph-received');
  current = msg;
  drawn = drawGraph(layer, msg.result.graph, msg.result.layout);
  minimap.draw(msg.result.graph, msg.result.layout);
  renderLegend(legend, encodingsOf(msg.result.graph, msg.result.layout));
  // A click only selects (and shows the details); double-click or Enter opens the declaration.
  for (const [id, g] of drawn.nodes) {
    g.addEventListener('click', () => {
      // the selection first: opening the panel then moves the node out from under it when it lies there
      select(id, { focus: true });
      setDetails(true, false);
    });
    g.addEventListener('dblclick', () => open(id));
  }
  updateToolbar();
  const nodes = msg.result.graph.nodes.length;
  empty.hidden = nodes > 0;
  empty.textContent = nodes ? '' : msg.filter.focus || msg.filter.machine ? 'No generator matches this filter.' : `No generators found in ${msg.root || 'this workspace'}.`;
  if (hadGraph && before === viewKey() && !refitNext) {
    /* a live update: keep the viewport */
  } else if (!hadGraph && saved.view && saved.key === viewKey()) viewport.set(saved.view);
  else viewport.fit(msg.result.layout.width, msg.result.layout.height);
  const keep = refitNext && selected !== null && drawn.nodes.has(selected);
  refitNext = false;
  select(selected && drawn.nodes.has(selected) ? selected : null, { reveal: keep });
  applySearch();
  if (!hadGraph) performance.mark('clan-vars:graph-drawn');
}

// ---- events
window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'graph') showGraph(m);
  else if (m.type === 'reveal') select(`g:${m.name}`, { reveal: true });
  else if (m.type === 'error') {
    status.textContent = `Error: ${m.message}`;
    status.classList.add('status--error');
  }
  // the answer to a request for a graph: the layout asked for (by 'ready' or 'resize') has come. Any
  // answer counts, which is enough for the tests: they resize with no other request under way.
  if (m.type === 'graph' || m.type === 'unchanged' || m.type === 'error') {
    layoutAsked = false;
    settle();
  }
});

svg.addEventListener('keydown', (e) => {
  if (viewport.key(e)) return e.preventDefault();
  if (e.key === '0') viewport.fit(current?.result.layout.width ?? 0, current?.result.layout.height ?? 0);
  else if (e.key.startsWith('Arrow') && drawn) {
    const from = selected ? drawn.boxes.get(selected) : undefined;
    const next = from ? nearestInDirection(from, drawn.boxes.values(), e.key) : [...drawn.boxes.values()][0];
    if (next) select(next.id, { focus: true, reveal: true });
  } else if (e.key === 'Enter' && selected) open(selected);
  else if (e.key === 'Escape') selected ? select(null) : setDetails(false);
  else if (e.key === 'i') setDetails(!detailsOpen);
  else if (e.key === '/') search.focus();
  else if (e.key === 'n' && selected) neighbourhood(selected);
  else if (e.key === 'f' && selected) fitSelection();
  else return;
  e.preventDefault();
});
// Focus by Tab reveals the node; focus by pointer must not move the picture under the pointer.
let pointerDown = false;
svg.addEventListener('pointerdown', () => (pointerDown = true), { capture: true });
window.addEventListener('pointerup', () => (pointerDown = false), { capture: true });
svg.addEventListener('focusin', (e) => {
  const g = (e.target as Element).closest?.('.node') as SVGGElement | null;
  if (g?.dataset.id && g.dataset.id !== selected) select(g.dataset.id, { reveal: !pointerDown });
});
search.addEventListener('input', applySearch);
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') nextMatch(e.shiftKey);
  else if (e.key === 'Escape') (search.value = ''), applySearch(), svg.focus();
});
fitButton.addEventListener('click', () => viewport.fit(current?.result.layout.width ?? 0, current?.result.layout.height ?? 0));
machineSelect.addEventListener('change', () => setFilter({ ...current?.filter, machine: machineSelect.value || undefined }));
clanSelect.addEventListener('change', () => setFilter({}, clanSelect.value));
focusChip.addEventListener('click', () => setFilter({ ...current?.filter, focus: undefined }));
follow.addEventListener('change', () => post({ type: 'follow', on: follow.checked }));
exportSelect.addEventListener('change', () => {
  const [format, target] = exportSelect.value.split(':') as [ExportFormat, ExportTarget];
  exportSelect.value = '';
  if (!format || !current) return;
  const svgText = format === 'svg' ? standaloneSvg(svg, layer, current.result.layout.width, current.result.layout.height) : undefined;
  post({ type: 'export', format, target, svg: svgText });
});
detailsButton.addEventListener('click', () => setDetails(!detailsOpen));
detailsClose.addEventListener('click', () => setDetails(false));
groupButton.addEventListener('click', () => post({ type: 'newGroup' }));

// The layout is made for the shape of the drawing area; a big change of shape asks for a new one.
const aspect = () => {
  const r = svg.getBoundingClientRect();
  return r.width > 0 && r.height > 0 ? Math.round((r.width / r.height) * 100) / 100 : 1.6;
};
let sentAspect = aspect();
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
/** A layout for the view's shape is asked for and has not come yet ('ready' asks for the first). */
let layoutAsked = true;
/**
 * A test hook: the page is laid out for its size. The root element's data-settled then reads
 * "<innerWidth>x<innerHeight>"; it is removed while a resize is pending (the pause after it, or the
 * new layout it asked for). The UI tests wait for it to name the current size instead of a fixed time.
 */
function settle(): void {
  if (layoutAsked || resizeTimer !== undefined) return;
  document.documentElement.dataset.settled = `${window.innerWidth}x${window.innerHeight}`;
}
window.addEventListener('resize', () => {
  delete document.documentElement.dataset.settled;
  if (saved.detailsOpen === undefined) setDetails(window.innerWidth >= NARROW || (detailsOpen && selected !== null), false);
  layoutDetails();
  minimap.update(viewport.view);
  if (current && !drawn?.nodes.size) viewport.fit(0, 0);
  // the selection stays in view while the view changes size
  if (selected && drawn?.boxes.has(selected)) viewport.reveal(drawn.boxes.get(selected)!);
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    resizeTimer = undefined;
    const a = aspect();
    if (Math.abs(Math.log(a / sentAspect)) < Math.log(1.3)) return settle();
    sentAspect = a;
    refitNext = true;
    layoutAsked = true;
    post({ type: 'resize', aspect: a });
  }, 300);
});
renderDetails(detailsBody, null, null, { select: () => {}, open, neighbourhood, fit: fitSelection });
performance.mark('clan-vars:ready');
post({ type: 'ready', aspect: sentAspect });
