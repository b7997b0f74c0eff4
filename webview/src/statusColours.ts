// The colours of the error and warning marks on the graph's nodes (issue 57). The theme's own error
// and warning colours are often too close to each other (Dark Modern's #f14c4c and #cca700 are
// 1.5:1 apart) and sometimes too close to the node (Light Modern's #bf8803 on #f8f8f8 is 2.9:1).
// Each mark keeps its colour's hue and moves only in lightness (mixed toward black or white), so
// that the error mark, the warning mark and the node fill (what a node without a mark shows) are
// pairwise 3:1 or more apart (WCAG 1.4.11, non-text contrast). The glyph inside a mark is drawn in
// the node fill, so it reads on its mark at the same ratio as the mark on the node.
//
// This file is pure (no DOM): themeMarks.ts reads the theme's colours from the page and applies these.

/** An opaque sRGB colour, channels 0 to 255. */
export type Rgb = readonly [number, number, number];

/** The ratio solved for: 3:1 with room for the rounding of channels and of the browser's colours. */
export const TARGET = 3.1;

/** WCAG 2's relative luminance. */
export function luminance([r, g, b]: Rgb): number {
  const f = (x: number) => {
    const v = x / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** WCAG 2's contrast ratio, from 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The lowest luminance that is TARGET:1 above `l`, and the highest that is TARGET:1 below it. */
const above = (l: number) => TARGET * (l + 0.05) - 0.05;
const below = (l: number) => (l + 0.05) / TARGET - 0.05;

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/** `c` mixed with `to` by `t` (0: c, 1: to), channels rounded. */
function mix(c: Rgb, to: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(c[i] + (to[i] - c[i]) * t)) as unknown as Rgb;
}

/**
 * The colour least mixed toward `to` (black or white) for which `ok` holds; `ok` must hold of `to`
 * and, once it holds, for every mix further toward `to` (luminance moves one way along the line, the
 * rounded channels too, so the search may halve).
 */
function leastMix(c: Rgb, to: Rgb, ok: (x: Rgb) => boolean): Rgb {
  if (ok(c)) return c;
  let [lo, hi] = [0, 1];
  for (let i = 0; i < 20; i++) {
    const t = (lo + hi) / 2;
    if (ok(mix(c, to, t))) hi = t;
    else lo = t;
  }
  return mix(c, to, hi);
}

/** `c` if its luminance is `l` or more, else `c` lightened just enough (white at most). */
const lightenTo = (c: Rgb, l: number) => leastMix(c, WHITE, (x) => luminance(x) >= l);
/** `c` if its luminance is `l` or less, else `c` darkened just enough (black at most). */
const darkenTo = (c: Rgb, l: number) => leastMix(c, BLACK, (x) => luminance(x) <= l);
/** `c` at the lowest luminance of `l` or more: lightened, or darkened as far as that allows. */
function justAbove(c: Rgb, l: number): Rgb {
  if (luminance(c) < l) return lightenTo(c, l);
  // the most mixed toward black that stays at `l` or more: the least mixed toward black that is below, one step back
  let [lo, hi] = [0, 1];
  for (let i = 0; i < 20; i++) {
    const t = (lo + hi) / 2;
    if (luminance(mix(c, BLACK, t)) >= l) lo = t;
    else hi = t;
  }
  return mix(c, BLACK, lo);
}
/** `c` at the highest luminance of `l` or less: darkened, or lightened as far as that allows. */
function justBelow(c: Rgb, l: number): Rgb {
  if (luminance(c) > l) return darkenTo(c, l);
  let [lo, hi] = [0, 1];
  for (let i = 0; i < 20; i++) {
    const t = (lo + hi) / 2;
    if (luminance(mix(c, WHITE, t)) <= l) lo = t;
    else hi = t;
  }
  return mix(c, WHITE, lo);
}

export interface MarkColours {
  error: Rgb;
  warning: Rgb;
  /** Whether the three pairs (error and warning marks, each mark and the fill) are all 3:1 or more apart. */
  met: boolean;
}

/**
 * The colours of the error and warning marks on nodes filled with `fill`, from the theme's error and
 * warning colours. Both marks must stand out from the fill and from each other, at TARGET:1:
 *
 * - a dark fill (luminance 0.059 or less): both marks lighter than the fill. The warning mark is
 *   the theme's colour, lightened when the error mark would have no room between it and the fill;
 *   the error mark is the theme's colour lightened or darkened into that room, as little as may be
 *   (with Dark Modern's colours: just light enough to stand out from the fill);
 * - a light fill (0.43 or more): the same the other way round, both marks darker, the error mark
 *   darkened when the warning mark would have no room, the warning mark moved into that room;
 * - a middle fill (0.105 to 0.289): one mark lighter than the fill and one darker (the theme's
 *   lighter colour lighter), each the theme's colour when it already stands out from the fill;
 * - any other fill (0.059 to 0.105, and 0.289 to 0.43) leaves no room for three levels 3:1 apart.
 *   Then the marks still stand out from the fill (on a darker one, the error mark just light enough
 *   and the warning mark white; on a lighter one, the warning mark just dark enough and the error
 *   mark black), but not from each other at 3:1; their shapes (a circle and a triangle) still tell
 *   them apart. `met` is false.
 */
export function markColours(fill: Rgb, error: Rgb, warning: Rgb): MarkColours {
  const l = luminance(fill);
  const roomAbove = above(l) <= 1;
  const roomBelow = below(l) >= 0;
  let e: Rgb;
  let w: Rgb;
  if (roomAbove && roomBelow) {
    const errorLighter = luminance(error) > luminance(warning);
    e = errorLighter ? lightenTo(error, above(l)) : darkenTo(error, below(l));
    w = errorLighter ? darkenTo(warning, below(l)) : lightenTo(warning, above(l));
  } else if (roomAbove) {
    // the warning lightened only as far as the error needs room between it and the fill, the error
    // as near its own colour as that room allows
    const lowest = above(l);
    w = lightenTo(warning, Math.min(1, above(lowest)));
    const highest = below(luminance(w));
    if (luminance(error) < lowest) e = lightenTo(error, lowest);
    else if (luminance(error) > highest) e = highest >= lowest ? darkenTo(error, highest) : justAbove(error, lowest);
    else e = error;
  } else {
    // the same the other way round: the error darkened only as far as the warning needs room
    const highest = below(l);
    e = darkenTo(error, Math.max(0, below(highest)));
    const lowest = above(luminance(e));
    if (luminance(warning) > highest) w = darkenTo(warning, highest);
    else if (luminance(warning) < lowest) w = lowest <= highest ? lightenTo(warning, lowest) : justBelow(warning, highest);
    else w = warning;
  }
  const met = Math.min(contrast(e, fill), contrast(w, fill), contrast(e, w)) >= 3;
  return { error: e, warning: w, met };
}

/** `rgb(r, g, b)`, as CSS and getComputedStyle write it. */
export function css([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}
