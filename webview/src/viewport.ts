// Pan and zoom of the graph layer: drag the background or scroll to pan, Ctrl/Cmd+scroll to zoom
// at the pointer, and keyboard (+, -, 0, f, Shift+arrows). The transform survives graph updates.
import type { NodeBox } from '../../server/src/ide/graph/types';

export interface View {
  x: number;
  y: number;
  k: number;
}

const MIN_ZOOM = 0.05;
const MAX_ZOOM = 4;
/** The smallest text in the drawing (node meta and file lines) is 11 px at 100%. */
const SMALLEST_FONT = 11;
/** Fit never shrinks text below this many pixels: a larger graph is scrolled and panned instead. */
export const MIN_TEXT_PX = 10;
export const FIT_MIN_ZOOM = MIN_TEXT_PX / SMALLEST_FONT;

export class Viewport {
  view: View = { x: 0, y: 0, k: 1 };
  /** Pixels on the right covered by something (the details panel over a narrow view): reveal() avoids them. */
  rightInset: () => number = () => 0;
  private onChange: (v: View) => void = () => {};

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly layer: SVGGElement,
  ) {
    svg.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    let drag: { x: number; y: number; id: number } | null = null;
    svg.addEventListener('pointerdown', (e) => {
      if ((e.target as Element).closest('.node') || e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      svg.setPointerCapture(e.pointerId);
      svg.classList.add('panning');
    });
    svg.addEventListener('pointermove', (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      this.set({ ...this.view, x: this.view.x + e.clientX - drag.x, y: this.view.y + e.clientY - drag.y });
      drag = { ...drag, x: e.clientX, y: e.clientY };
    });
    const end = () => {
      drag = null;
      svg.classList.remove('panning');
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
  }

  changed(fn: (v: View) => void): void {
    this.onChange = fn;
  }

  set(v: View): void {
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number.isFinite(v.k) ? v.k : 1));
    this.view = { x: Number.isFinite(v.x) ? v.x : 0, y: Number.isFinite(v.y) ? v.y : 0, k };
    this.layer.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
    this.onChange(this.view);
  }

  /** Zooms by `factor` keeping the screen point (cx, cy) still. */
  zoom(factor: number, cx?: number, cy?: number): void {
    const r = this.svg.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.view.k * factor));
    const f = k / this.view.k;
    this.set({ k, x: px - (px - this.view.x) * f, y: py - (py - this.view.y) * f });
  }

  pan(dx: number, dy: number): void {
    this.set({ ...this.view, x: this.view.x + dx, y: this.view.y + dy });
  }

  /**
   * Shows the whole drawing, at most at 100% and never so small that text drops below MIN_TEXT_PX:
   * a drawing larger than that is shown from its top left corner (centred on an axis where it fits),
   * and the rest is reached by scrolling, dragging or the keyboard. Ctrl+scroll and minus zoom out further.
   */
  fit(width: number, height: number): void {
    const r = this.svg.getBoundingClientRect();
    if (width <= 0 || height <= 0 || r.width <= 0 || r.height <= 0) return this.set({ x: 20, y: 20, k: 1 });
    const k = Math.max(FIT_MIN_ZOOM, Math.min(1, (r.width - 40) / width, (r.height - 40) / height));
    const x = width * k <= r.width - 40 ? (r.width - width * k) / 2 : 20;
    const y = height * k <= r.height - 40 ? Math.max(20, (r.height - height * k) / 2) : 20;
    this.set({ k, x, y });
  }

  /**
   * Shows a rectangle of the drawing whole, centred in the part of the view the details panel
   * leaves free: zoomed in up to 150%, and out no further than text stays readable.
   */
  fitRect(left: number, top: number, right: number, bottom: number): void {
    const full = this.svg.getBoundingClientRect();
    const width = full.width - Math.min(this.rightInset(), full.width / 2);
    if (width <= 0 || full.height <= 0 || !(right >= left && bottom >= top)) return;
    const k = Math.max(FIT_MIN_ZOOM, Math.min(1.5, (width - 80) / Math.max(1, right - left), (full.height - 80) / Math.max(1, bottom - top)));
    this.set({ k, x: width / 2 - ((left + right) / 2) * k, y: full.height / 2 - ((top + bottom) / 2) * k });
  }

  /**
   * Brings a node into view (centred when it is outside), zooming in when it would be unreadable:
   * into the part of the view the details panel leaves free, however much it covers (its width is
   * min(280px, 75%)); a node 40 px or more inside that part stays where it is.
   */
  reveal(box: NodeBox): void {
    const full = this.svg.getBoundingClientRect();
    const inset = Math.min(this.rightInset(), full.width);
    const r = { width: full.width - inset, height: full.height };
    const k = Math.max(this.view.k, 0.6);
    const sx = box.x * k + this.view.x;
    const sy = box.y * k + this.view.y;
    const margin = 40;
    const inside = k === this.view.k && sx - (box.width * k) / 2 > margin && sx + (box.width * k) / 2 < r.width - margin && sy - (box.height * k) / 2 > margin && sy + (box.height * k) / 2 < r.height - margin;
    if (inside) return;
    this.set({ k, x: r.width / 2 - box.x * k, y: r.height / 2 - box.y * k });
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const r = this.svg.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) this.zoom(Math.exp(-e.deltaY * 0.002), e.clientX - r.left, e.clientY - r.top);
    else this.pan(-e.deltaX, -e.deltaY);
  }

  /** Keyboard panning and zooming; returns true when the key was used. */
  key(e: KeyboardEvent): boolean {
    const step = 60;
    if (e.key === '+' || e.key === '=') this.zoom(1.2);
    else if (e.key === '-' || e.key === '_') this.zoom(1 / 1.2);
    else if (e.shiftKey && e.key === 'ArrowLeft') this.pan(step, 0);
    else if (e.shiftKey && e.key === 'ArrowRight') this.pan(-step, 0);
    else if (e.shiftKey && e.key === 'ArrowUp') this.pan(0, step);
    else if (e.shiftKey && e.key === 'ArrowDown') this.pan(0, -step);
    else return false;
    return true;
  }
}

/** The nearest node from `from` in an arrow key's direction, or null. */
export function nearestInDirection(from: NodeBox, boxes: Iterable<NodeBox>, key: string): NodeBox | null {
  const dir = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[key];
  if (!dir) return null;
  let best: NodeBox | null = null;
  let bestScore = Infinity;
  for (const b of boxes) {
    if (b.id === from.id) continue;
    const dx = b.x - from.x;
    const dy = b.y - from.y;
    const along = dx * dir[0] + dy * dir[1];
    if (along <= 1) continue;
    const across = Math.abs(dx * dir[1]) + Math.abs(dy * dir[0]);
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = b;
    }
  }
  return best;
}
