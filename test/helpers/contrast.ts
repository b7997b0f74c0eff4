// The texts of a page whose contrast with what is behind them is below 4.5:1 (WCAG AA), as a
// script for page.evaluate (a string: tsx would add helpers the page does not have). Each text's
// background is the stack of its ancestors' backgrounds down to the first opaque one.

/** A script that returns "<text> <ratio>" for each text under `selectors` (CSS) below 4.5:1. */
export function lowContrastScript(selectors: string): string {
  return `(() => {
    // rgb()/rgba(), or color(srgb r g b / a) with channels from 0 to 1 (what color-mix() computes to)
    const rgb = (c) => { const srgb = c.startsWith('color(srgb'); const m = c.match(/[0-9.]+/g).map(Number); const k = srgb ? 255 : 1; return { r: m[0] * k, g: m[1] * k, b: m[2] * k, a: m.length > 3 ? m[3] : 1 }; };
    const lum = ({ r, g, b }) => { const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
    const background = (el) => { const layers = []; for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0) layers.push(c); if (c.a === 1) break; } let out = { r: 255, g: 255, b: 255, a: 1 }; for (const c of layers.reverse()) out = over(c, out); return out; };
    const out = [];
    for (const el of document.querySelectorAll(${JSON.stringify(selectors)})) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length) continue;
      const bg = background(el);
      const fg = over(rgb(getComputedStyle(el).color), bg);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < 4.5) out.push(el.textContent.trim().slice(0, 24) + ' ' + ratio.toFixed(2));
    }
    return out;
  })()`;
}
