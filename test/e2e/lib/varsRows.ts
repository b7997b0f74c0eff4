// What the Clan Vars view shows of each row, read from the workbench page: a script for
// page.evaluate (a string: tsx would add helpers the page does not have).

/**
 * The visible rows of the Clan Vars view whose text is cut inside a name, as "<label>: <why>": a
 * row's label (a machine, generator or file name) not shown whole, or its description cut where
 * the character before and after the cut are both part of a name (a word with a digit, a quote,
 * '-', '_', '.' or '/', letters with digits, or one of the names the view's rows show). `rows`
 * counts the rows read, `cutDescriptions` the descriptions cut elsewhere (between words, inside a
 * plain word or a number: the sidebar's edge, not a name), `cutNumbers` those cut inside a number.
 */
export const VARS_ROWS_CUT_SCRIPT = `(() => {
  const pane = [...document.querySelectorAll('.pane')].find((p) => /^Clan Vars/i.test(p.querySelector('.pane-header')?.textContent?.trim() ?? ''));
  if (!pane) return null;
  const rows = [...pane.querySelectorAll('.monaco-list-row')].filter((r) => r.getClientRects().length);
  const names = new Set(rows.map((r) => r.querySelector('.label-name')?.textContent?.trim()).filter(Boolean));
  // the right edge up to which an element is shown: the nearest edge of an ancestor that clips
  const visibleRight = (e) => {
    let right = Infinity;
    for (let a = e.parentElement; a && a !== pane; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') right = Math.min(right, a.getBoundingClientRect().right);
    }
    return right;
  };
  // the index of the first character of the text node that is not shown whole left of 'right'
  const cutAt = (node, right) => {
    const range = document.createRange();
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      if (r.width > 0 && r.right > right + 0.5) return i;
    }
    return node.length;
  };
  // a name: one the rows show, or a word with a quote, '-', '_', '.' or '/', or letters and digits (wg0); not a number
  const isName = (token) => names.has(token.replace(/^['"]|['"]$/g, '')) || /['"\\-_./]/.test(token) || (/[0-9]/.test(token) && /[A-Za-z]/.test(token));
  const cut = [];
  let cutDescriptions = 0;
  let cutNumbers = 0;
  let longNames = 0;
  for (const row of rows) {
    const label = row.querySelector('.label-name');
    if (!label) continue;
    const text = label.textContent.trim();
    const right = visibleRight(label);
    const labelRight = label.getBoundingClientRect().right;
    // the label comes first in the row: cut only when the name alone is wider than the sidebar
    // shows (VS Code's tree cuts it, the tooltip has it whole): counted, not a failure; a label cut
    // short of the room it has would be one
    if (labelRight > right + 0.5) {
      if (label.getBoundingClientRect().width > right - label.getBoundingClientRect().left + 0.5) longNames++;
      else cut.push(text + ': the label is cut (it ends at ' + Math.round(labelRight) + ' px, the row shows up to ' + Math.round(right) + ' px)');
    }
    const desc = row.querySelector('.label-description');
    const node = desc && [...desc.childNodes].find((n) => n.nodeType === 3);
    if (!node || desc.getBoundingClientRect().right <= right + 0.5) continue;
    // the sidebar's ellipsis takes the room of about one character
    const at = Math.max(0, cutAt(node, right - 8));
    const s = node.textContent;
    if (at >= s.length) continue;
    cutDescriptions++;
    const sep = /[\\s·,:;()]/;
    if (at === 0 || sep.test(s[at - 1]) || sep.test(s[at])) continue;
    let from = at;
    while (from > 0 && !sep.test(s[from - 1])) from--;
    let to = at;
    while (to < s.length && !sep.test(s[to])) to++;
    const token = s.slice(from, to);
    if (/^[0-9]+$/.test(token)) cutNumbers++;
    if (isName(token)) cut.push(text + ': its description ' + JSON.stringify(s) + ' is cut inside ' + JSON.stringify(token) + ', after ' + JSON.stringify(s.slice(0, at)));
  }
  return { rows: rows.length, cutDescriptions, cutNumbers, longNames, cut };
})()`;
