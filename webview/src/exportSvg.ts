// A standalone SVG of the current drawing: the theme's colours resolved and written as attributes,
// so the file looks the same outside VS Code. Text stays text (XMLSerializer escapes it).
const PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style'];

export function standaloneSvg(svg: SVGSVGElement, layer: SVGGElement, width: number, height: number): string {
  const pad = 20;
  const out = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  out.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  out.setAttribute('viewBox', `${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`);
  out.setAttribute('width', String(Math.ceil(width + 2 * pad)));
  out.setAttribute('height', String(Math.ceil(height + 2 * pad)));
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  const body = getComputedStyle(document.body);
  bg.setAttribute('x', String(-pad));
  bg.setAttribute('y', String(-pad));
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', body.backgroundColor || '#ffffff');
  const defs = svg.querySelector('defs');
  const copyDefs = defs ? (defs.cloneNode(true) as SVGDefsElement) : null;
  const copy = layer.cloneNode(true) as SVGGElement;
  copy.removeAttribute('transform');
  inline(layer, copy);
  if (defs && copyDefs) inline(defs, copyDefs);
  if (copyDefs) out.append(copyDefs);
  out.append(bg, copy);
  return new XMLSerializer().serializeToString(out);
}

/** Copies the computed presentation of each element of `from` onto the same element of `to`. */
function inline(from: Element, to: Element): void {
  const a = [from, ...Array.from(from.querySelectorAll('*'))];
  const b = [to, ...Array.from(to.querySelectorAll('*'))];
  for (let i = 0; i < a.length && i < b.length; i++) {
    const style = getComputedStyle(a[i]);
    for (const p of PROPS) {
      const v = style.getPropertyValue(p);
      if (v) b[i].setAttribute(p, v);
    }
    b[i].removeAttribute('class');
    b[i].removeAttribute('tabindex');
  }
}
