// Sets the colours of the error and warning marks (--mark-error, --mark-warning: the nodes' marks and
// the legend's) from the theme's colours as the page computes them (statusColours.ts solves them),
// when the page starts and whenever VS Code changes the theme: it sets the body's class
// (vscode-light, vscode-dark, vscode-high-contrast, vscode-high-contrast-light) and the --vscode-*
// variables in the style attribute of <html>. The marks are set on the body, whose style attribute is
// not watched, so that setting them does not call this again.
import { css, markColours, type Rgb } from './statusColours';

export function followThemeMarks(): void {
  // the theme's colours resolved by the page (var() and fallbacks), then made opaque on a 1-pixel canvas
  const probe = document.createElement('span');
  probe.hidden = true;
  document.body.append(probe);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const resolve = (value: string) => {
    probe.style.color = value;
    return getComputedStyle(probe).color;
  };
  /** The colour seen where `layers` are painted one over the other on white. */
  const seen = (layers: string[]): Rgb => {
    ctx!.fillStyle = '#fff';
    ctx!.fillRect(0, 0, 1, 1);
    for (const c of layers) {
      ctx!.fillStyle = c;
      ctx!.fillRect(0, 0, 1, 1);
    }
    const [r, g, b] = ctx!.getImageData(0, 0, 1, 1).data;
    return [r, g, b];
  };
  const apply = () => {
    const under = [resolve('var(--bg)'), resolve('var(--node-bg)')];
    const fill = seen(under);
    const marks = markColours(fill, seen([...under, resolve('var(--error)')]), seen([...under, resolve('var(--warning)')]));
    document.body.style.setProperty('--mark-error', css(marks.error));
    document.body.style.setProperty('--mark-warning', css(marks.warning));
  };
  // without a canvas the marks keep webview.css's colours
  if (!ctx) return;
  apply();
  const observer = new MutationObserver(apply);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
