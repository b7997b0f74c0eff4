// The colours of the graph's error and warning marks (webview/src/statusColours.ts, issue 57): in the
// four themes' real colours the error mark, the warning mark and the node fill (what a node without a
// mark shows) are pairwise 3:1 or more apart; each mark keeps its colour's hue; any fill at all keeps
// both marks at 3:1 on it, and the fills that leave no room for three levels say so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contrast, luminance, markColours, type Rgb } from '../../webview/src/statusColours';
import { THEMES } from '../helpers/vscodeThemes';

const hex = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
const show = ([r, g, b]: Rgb) => '#' + [r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The hue in degrees, or null for a grey. */
function hue([r, g, b]: Rgb): number | null {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 1) return null;
  const d = max - min;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

/** Whether `mark` lies on the line from `c` to black or to white (channels rounded): only its lightness moved. */
function onLightnessLine(c: Rgb, mark: Rgb): boolean {
  return [0, 255].some((to) => {
    // the mix that comes nearest (least squares), then every channel within its rounding
    const span = c.reduce((sum, x) => sum + (to - x) ** 2, 0);
    const t = span ? c.reduce((sum, x, k) => sum + (mark[k] - x) * (to - x), 0) / span : 0;
    return t >= -0.01 && t <= 1.01 && c.every((x, k) => Math.abs(x + (to - x) * t - mark[k]) <= 1);
  });
}

test('statusColours: in the four themes, the error mark, the warning mark and the node fill are pairwise 3:1 or more apart', () => {
  const figures: string[] = [];
  for (const [name, theme] of Object.entries(THEMES)) {
    const fill = hex(theme.vars['editorWidget-background']);
    const error = hex(theme.vars['editorError-foreground']);
    const warning = hex(theme.vars['editorWarning-foreground']);
    const marks = markColours(fill, error, warning);
    const pairs = { 'error/fill': contrast(marks.error, fill), 'warning/fill': contrast(marks.warning, fill), 'error/warning': contrast(marks.error, marks.warning) };
    for (const [pair, ratio] of Object.entries(pairs)) assert.ok(ratio >= 3, `${name}: ${pair} ${ratio.toFixed(2)}:1 (error ${show(marks.error)}, warning ${show(marks.warning)}, fill ${show(fill)})`);
    assert.equal(marks.met, true, name);
    // only the lightness moved: on the line to black or white, the same hue within a few degrees
    for (const [own, mark] of [[error, marks.error], [warning, marks.warning]] as const) {
      assert.ok(onLightnessLine(own, mark), `${name}: ${show(mark)} is not ${show(own)} mixed toward black or white`);
      const [a, b] = [hue(own)!, hue(mark)];
      assert.ok(b !== null && Math.min(Math.abs(a - b), 360 - Math.abs(a - b)) <= 6, `${name}: hue of ${show(mark)} ${b?.toFixed(0)}, of ${show(own)} ${a.toFixed(0)}`);
    }
    figures.push(`${name}: error ${show(error)} -> ${show(marks.error)}, warning ${show(warning)} -> ${show(marks.warning)}; ${Object.entries(pairs).map(([p, r]) => `${p} ${r.toFixed(2)}`).join(', ')}`);
  }
  process.stdout.write(`# mark colours (contrast ratios): ${figures.join('; ')}\n`);
});

test('statusColours: each mark moves no further than the room between the fill and the other mark needs', () => {
  const near = (x: number) => x >= 3 && x < 3.2;
  // Dark Modern: the warning #cca700 lightened to leave room; the error #f14c4c, lighter than that room, darkened just enough for the fill
  const dark = markColours(hex('#202020'), hex('#f14c4c'), hex('#cca700'));
  assert.ok(near(contrast(dark.error, hex('#202020'))) && near(contrast(dark.error, dark.warning)) && luminance(dark.warning) > luminance(hex('#cca700')), `${show(dark.error)} ${show(dark.warning)}`);
  // High Contrast: the warning #ffd370 leaves room as it is; the error #f48771 darkened only to 3:1 from it
  const hc = markColours(hex('#0c141f'), hex('#f48771'), hex('#ffd370'));
  assert.equal(show(hc.warning), '#ffd370');
  assert.ok(near(contrast(hc.error, hc.warning)) && contrast(hc.error, hex('#0c141f')) > 3.2, show(hc.error));
  // High Contrast Light: the error #b5200d darkened to leave room; the warning #895503, darker than that room, lightened into it
  const light = markColours(hex('#ffffff'), hex('#b5200d'), hex('#895503'));
  assert.ok(near(contrast(light.warning, hex('#ffffff'))) && luminance(light.warning) > luminance(hex('#895503')), show(light.warning));
  // colours that already stand apart stay as they are
  const kept = markColours(hex('#ffffff'), hex('#200000'), hex('#806000'));
  assert.deepEqual([show(kept.error), show(kept.warning)], ['#200000', '#806000']);
});

test('statusColours: on every grey fill both marks stand 3:1 or more from it (the glyph in the fill colour reads on them); met only where three levels fit', () => {
  const themeColours = Object.values(THEMES).map((t) => [hex(t.vars['editorError-foreground']), hex(t.vars['editorWarning-foreground'])] as const);
  const unmet: string[] = [];
  for (let v = 0; v <= 255; v++) {
    const fill: Rgb = [v, v, v];
    const l = luminance(fill);
    // three levels pairwise 3.1:1 fit below 0.059 (both marks lighter), from 0.105 to 0.289 (one on each side) and above 0.43 (both darker)
    const fits = l <= 0.059 || (l >= 0.105 && l <= 0.288) || l >= 0.431;
    for (const [error, warning] of themeColours) {
      const marks = markColours(fill, error, warning);
      assert.ok(contrast(marks.error, fill) >= 3 && contrast(marks.warning, fill) >= 3, `fill ${show(fill)}: error ${show(marks.error)}, warning ${show(marks.warning)}`);
      assert.equal(marks.met, Math.min(contrast(marks.error, fill), contrast(marks.warning, fill), contrast(marks.error, marks.warning)) >= 3);
      if (fits) assert.ok(marks.met, `fill ${show(fill)} (luminance ${l.toFixed(3)}): error ${show(marks.error)}, warning ${show(marks.warning)}`);
      else if (!marks.met) unmet.push(show(fill));
    }
  }
  // the fills in the two gaps cannot have it: #505050 (luminance 0.08) and #9a9a9a (0.32)
  assert.ok(unmet.includes('#505050') && unmet.includes('#9a9a9a'), unmet.join(' '));
});
