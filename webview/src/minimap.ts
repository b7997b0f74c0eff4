// An overview of the whole drawing in a corner of the graph with the part in view outlined, shown
// while the drawing does not fit the view (and the view is large enough to spare a quarter of its
// width and height); a click or a drag on it brings that part into view. It never lies over a
// generator: it takes the first corner free of them (bottom left, bottom right, top right, top
// left), and stays hidden while every corner has one.
import type { DependencyGraph, GraphLayout } from '../../server/src/ide/graph/types';
import { el } from './render';
import type { View, Viewport } from './viewport';

const WIDTH = 180;
const HEIGHT = 120;
const PAD = 4;
/** The overview takes at most this share of the graph's free width and of its height, and is left out below MIN_SCALE of its size. */
const SHARE = 0.25;
const MIN_SCALE = 0.4;
/** Its distance from the edges of the view, and the room it leaves around a generator. */
const MARGIN = 8;
const CLEARANCE = 4;

export type Corner = 'bottom-left' | 'bottom-right' | 'top-right' | 'top-left';
const CORNERS: Corner[] = ['bottom-left', 'bottom-right', 'top-right', 'top-left'];

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The first corner of a `free` width x `height` view where a `w` x `h` overview lies over none of
 * `nodes` (rectangles in the view's pixels), or null when each corner has one.
 */
export function freeCorner(free: number, height: number, w: number, h: number, nodes: Rect[]): Corner | null {
  for (const corner of CORNERS) {
    const left = corner.endsWith('left') ? MARGIN : free - MARGIN - w;
    const top = corner.startsWith('top') ? MARGIN : height - MARGIN - h;
    const r = { left: left - CLEARANCE, top: top - CLEARANCE, right: left + w + CLEARANCE, bottom: top + h + CLEARANCE };
    if (!nodes.some((n) => n.right > r.left && n.left < r.right && n.bottom > r.top && n.top < r.bottom)) return corner;
  }
  return null;
}

export class Minimap {
  readonly svg = el('svg', { class: 'minimap minimap--hidden', width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, 'aria-hidden': 'true' });
  /** The overview's size on screen over WIDTH x HEIGHT (smaller in a small view). */
  private scale = 1;
  private readonly content = el('g');
  private readonly frame = el('rect', { class: 'minimap-view', rx: 2 });
  private layout: GraphLayout | null = null;
  /** Drawing units to minimap pixels. */
  private k = 1;

  constructor(
    private readonly graph: SVGSVGElement,
    private readonly viewport: Viewport,
  ) {
    this.svg.append(this.content, this.frame);
    let dragging: number | null = null;
    this.svg.addEventListener('pointerdown', (e) => {
      dragging = e.pointerId;
      this.svg.setPointerCapture(e.pointerId);
      this.moveTo(e);
    });
    this.svg.addEventListener('pointermove', (e) => dragging === e.pointerId && this.moveTo(e));
    const end = () => (dragging = null);
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
  }

  /** Draws the overview of a new layout: machine boxes, generators (in error in the error colour). */
  draw(graph: DependencyGraph, layout: GraphLayout): void {
    this.layout = layout;
    this.k = Math.min((WIDTH - 2 * PAD) / Math.max(1, layout.width), (HEIGHT - 2 * PAD) / Math.max(1, layout.height));
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const r = (x: number, y: number, w: number, h: number, cls: string) => el('rect', { class: cls, x: PAD + x * this.k, y: PAD + y * this.k, width: Math.max(1, w * this.k), height: Math.max(1, h * this.k) });
    this.content.replaceChildren(
      ...layout.clusters.map((c) => r(c.x, c.y, c.width, c.height, 'minimap-cluster')),
      ...layout.nodes.map((b) => {
        const n = byId.get(b.id);
        const error = n && (n.kind !== 'generator' || n.severity === 'error');
        return r(b.x - b.width / 2, b.y - b.height / 2, b.width, b.height, `minimap-node${error ? ' minimap-node--error' : ''}`);
      }),
    );
    this.update(this.viewport.view);
  }

  /** Outlines the part of the drawing in view; hidden while the whole drawing is in view. */
  update(view: View): void {
    const box = this.graph.getBoundingClientRect();
    const layout = this.layout;
    const left = -view.x / view.k;
    const top = -view.y / view.k;
    const width = box.width / view.k;
    const height = box.height / view.k;
    const whole = !layout || layout.nodes.length === 0 || (left <= 0 && top <= 0 && left + width >= layout.width && top + height >= layout.height);
    // the share is of the part the details panel leaves free: beside it, the overview would cover the nodes it maps
    const free = box.width - Math.min(this.viewport.rightInset(), box.width / 2);
    this.scale = Math.min(1, (free * SHARE) / WIDTH, (box.height * SHARE) / HEIGHT);
    const w = Math.round(WIDTH * this.scale);
    const h = Math.round(HEIGHT * this.scale);
    const corner = whole || this.scale < MIN_SCALE ? null : freeCorner(free, box.height, w + 2, h + 2, this.onScreen(view));
    this.svg.classList.toggle('minimap--hidden', corner === null);
    if (corner === null) return;
    const [vertical, horizontal] = corner.split('-');
    Object.assign(this.svg.style, { top: '', bottom: '', left: '', right: '' });
    this.svg.style[vertical as 'top' | 'bottom'] = `${MARGIN}px`;
    this.svg.style[horizontal as 'left' | 'right'] = `${horizontal === 'right' ? box.width - free + MARGIN : MARGIN}px`;
    this.svg.dataset.corner = corner;
    this.svg.setAttribute('width', String(w));
    this.svg.setAttribute('height', String(h));
    this.frame.setAttribute('x', String(PAD + left * this.k));
    this.frame.setAttribute('y', String(PAD + top * this.k));
    this.frame.setAttribute('width', String(Math.max(2, width * this.k)));
    this.frame.setAttribute('height', String(Math.max(2, height * this.k)));
  }

  /** The generators' boxes in the view's pixels. */
  private onScreen(view: View): Rect[] {
    return (this.layout?.nodes ?? []).map((b) => ({
      left: (b.x - b.width / 2) * view.k + view.x,
      top: (b.y - b.height / 2) * view.k + view.y,
      right: (b.x + b.width / 2) * view.k + view.x,
      bottom: (b.y + b.height / 2) * view.k + view.y,
    }));
  }

  /** Centres the view on the drawing's point under the pointer. */
  private moveTo(e: PointerEvent): void {
    const at = this.svg.getBoundingClientRect();
    const style = getComputedStyle(this.svg);
    const x = ((e.clientX - at.left - parseFloat(style.borderLeftWidth || '0')) / this.scale - PAD) / this.k;
    const y = ((e.clientY - at.top - parseFloat(style.borderTopWidth || '0')) / this.scale - PAD) / this.k;
    const box = this.graph.getBoundingClientRect();
    const { k } = this.viewport.view;
    this.viewport.set({ k, x: box.width / 2 - x * k, y: box.height / 2 - y * k });
  }
}
