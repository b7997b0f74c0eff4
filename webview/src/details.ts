// The side panel: everything known about the selected generator, with links to its declaration,
// its dependencies and dependents, and its neighbourhood.
import type { DependencyGraph, GraphNode } from '../../server/src/ide/graph/types';
import { h } from './dom';
import { metaLine } from './render';

export interface DetailsActions {
  select(id: string): void;
  open(id: string, declaration: number): void;
  neighbourhood(id: string): void;
  /** Zooms to it and the generators next to it. */
  fit(id: string): void;
}

function section(title: string, ...items: (Node | string)[]): HTMLElement {
  return h('section', {}, h('h3', {}, title), ...items);
}

function nodeLink(n: GraphNode | undefined, id: string, actions: DetailsActions): HTMLElement {
  const b = h('button', { class: `link${n?.kind !== 'generator' ? ' link--error' : ''}`, type: 'button' }, n?.name ?? id);
  b.addEventListener('click', () => actions.select(id));
  return h('li', {}, b);
}

export function renderDetails(panel: HTMLElement, graph: DependencyGraph | null, id: string | null, actions: DetailsActions): void {
  panel.replaceChildren();
  const n = graph?.nodes.find((x) => x.id === id);
  if (!graph || !n) {
    panel.append(h('p', { class: 'hint' }, 'Select a generator to see its details. Arrow keys move between generators, Enter opens the declaration.'));
    return;
  }
  const byId = new Map(graph.nodes.map((x) => [x.id, x]));
  // a file under the clan, as the clan's people name it
  const relative = (file: string) => (file.startsWith(graph.root) ? file.slice(graph.root.length).replace(/^[\\/]/, '') : file);
  panel.append(h('h2', { class: 'details-name' }, n.name), h('p', { class: 'details-meta' }, metaLine(n)));
  if (n.stale) panel.append(h('p', { class: 'hint details-stale' }, `Shown as ${relative(n.stale.file)} last parsed without errors: it has a syntax error at line ${n.stale.line + 1}.`));
  if (n.state) panel.append(h('p', { class: `details-state state-${n.state}` }, `On disk: ${n.state}`));
  const problems = [...(n.problems ?? []), ...graph.edges.filter((e) => e.from === n.id && e.message).map((e) => e.message!)];
  if (problems.length) panel.append(section('Problems', h('ul', { class: 'problems' }, ...[...new Set(problems)].map((p) => h('li', {}, p)))));
  if (n.declaredIn?.length) panel.append(h('p', { class: 'hint' }, `Declared outside the clan's files: ${n.declaredIn.join(', ')}`));
  if (n.reaches?.length) panel.append(section('Machines', h('ul', { class: 'reaches' }, ...n.reaches.map((r) => h('li', {}, `${r.machine} — ${r.why}`)))));
  if (n.files.length) {
    const items = n.files.map((f) => h('li', {}, h('span', { class: `file-tag file-tag--${f.secret ? 'secret' : 'public'}` }, f.secret ? 'secret' : 'public'), ` ${f.name}`, f.deploy ? '' : ' (not deployed)'));
    panel.append(section('Files', h('ul', { class: 'files' }, ...items)));
  }
  if (n.prompts.length) panel.append(section('Prompts', h('ul', {}, ...n.prompts.map((p) => h('li', {}, p)))));
  const deps = graph.edges.filter((e) => e.from === n.id);
  const users = graph.edges.filter((e) => e.to === n.id);
  if (deps.length) panel.append(section('Depends on', h('ul', { class: 'links' }, ...deps.map((e) => nodeLink(byId.get(e.to), e.to, actions)))));
  if (users.length) panel.append(section('Needed by', h('ul', { class: 'links' }, ...users.map((e) => nodeLink(byId.get(e.from), e.from, actions)))));
  const buttons = h('div', { class: 'details-actions' });
  n.declarations.forEach((d, i) => {
    const b = h('button', { type: 'button', title: d.file }, n.declarations.length > 1 ? `Open ${relative(d.file)}:${d.range.start.line + 1}` : 'Open declaration');
    b.addEventListener('click', () => actions.open(n.id, i));
    buttons.append(b);
  });
  const fit = h('button', { type: 'button', class: 'secondary', title: 'Zoom to it and the generators next to it (f)' }, 'Fit to selection');
  fit.addEventListener('click', () => actions.fit(n.id));
  buttons.append(fit);
  const nb = h('button', { type: 'button', class: 'secondary' }, 'Show neighbourhood');
  nb.addEventListener('click', () => actions.neighbourhood(n.id));
  buttons.append(nb);
  panel.append(buttons);
}
