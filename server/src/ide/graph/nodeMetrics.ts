// Node box sizes, shared by the layout (server) and the renderer (webview) so that the text drawn
// fits the box dagre placed. Text is drawn in a monospace font of FONT_SIZE pixels.

export const FONT_SIZE = 12;
/** Width of one character of the monospace font at FONT_SIZE, slightly generous. */
export const CHAR_WIDTH = 7.4;
export const PADDING_X = 10;
export const PADDING_Y = 8;
export const TITLE_HEIGHT = 20;
export const LINE_HEIGHT = 16;
export const MIN_WIDTH = 140;
export const MAX_WIDTH = 300;
/** Files listed in a node; more are summarised as `+N more`. */
export const MAX_FILES = 4;

export interface SizedNode {
  name: string;
  files: { name: string }[];
  kind: string;
  shared?: boolean;
  origin?: string;
  machines?: string[];
  problems?: string[];
}

/** Lines of a node's title, its meta text (and hint) and its file list never exceed these. */
export const MAX_TITLE_LINES = 2;
export const MAX_META_LINES = 3;

/** The node's one-line summary: shared, registry, its machines; or why it is missing. */
export function metaLine(n: SizedNode): string {
  if (n.kind === 'unknown') return 'not declared anywhere';
  if (n.kind === 'external') return 'not in the files read (a computed name, or a module not read)';
  const parts: string[] = [];
  if (n.shared) parts.push('shared');
  if (n.origin === 'registry') parts.push('registry');
  if (n.origin === 'input') parts.push('from a flake input');
  const machines = n.machines ?? [];
  parts.push(machines.length ? machines.join(', ') : n.shared ? 'all machines' : 'no machine known');
  return parts.join(' · ');
}

/** "did you mean 'x'?" from a missing generator's problems, shown in its node. */
export function didYouMean(n: SizedNode): string | undefined {
  if (n.kind === 'generator') return undefined;
  for (const p of n.problems ?? []) {
    const m = /did you mean ('[^']*'|"[^"]*"|\S+)\s*\??/i.exec(p);
    if (m) return `did you mean ${m[1]}?`;
  }
  return undefined;
}

/**
 * Breaks `text` into lines of at most `chars` characters, after spaces, hyphens, commas and dots
 * where it can and inside a word only when the word alone is too long; at most `maxLines`
 * lines, the last one cut with an ellipsis when text is left over.
 */
export function wrapText(text: string, chars: number, maxLines: number): string[] {
  const width = Math.max(1, chars);
  const tokens = text.match(/[^\s\-,./·]*[\s\-,./·]*/g)?.filter((t) => t !== '') ?? [];
  const lines: string[] = [];
  let line = '';
  for (let token of tokens) {
    while (token !== '') {
      if ((line + token).trimEnd().length <= width) {
        line += token;
        token = '';
      } else if (line !== '') {
        lines.push(line.trimEnd());
        line = '';
      } else {
        lines.push(token.slice(0, width));
        token = token.slice(width).trimStart();
      }
    }
  }
  if (line.trimEnd() !== '' || lines.length === 0) lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fit(kept[maxLines - 1] + ' ' + lines[maxLines], width).replace(/[^…]$/, '…');
  return kept;
}

/** The text lines of a node below its title: the files. */
export function fileLines(node: SizedNode): string[] {
  const shown = node.files.slice(0, MAX_FILES).map((f) => f.name);
  if (node.files.length > MAX_FILES) shown.push(`+${node.files.length - MAX_FILES} more`);
  return shown;
}

/** Characters that fit on one line of a node `width` wide (the file lines carry a 2-char marker). */
export function charsPerLine(width: number): number {
  return Math.max(4, Math.floor((width - 2 * PADDING_X) / CHAR_WIDTH));
}

/** Everything a node shows, broken into lines for a box `width` wide. */
export function nodeText(node: SizedNode, width: number): { title: string[]; meta: string[]; hint: string[]; files: string[] } {
  const chars = charsPerLine(width);
  const hint = didYouMean(node);
  return {
    title: wrapText(node.name, chars, MAX_TITLE_LINES),
    meta: wrapText(metaLine(node), chars, MAX_META_LINES),
    hint: hint ? wrapText(hint, chars, 2) : [],
    files: fileLines(node).map((l) => fit(l, chars - 2)),
  };
}

/** The box of a node: wide enough for its longest line (up to MAX_WIDTH), tall enough for all lines. */
export function nodeSize(node: SizedNode): { width: number; height: number } {
  const hint = didYouMean(node);
  const longest = Math.max(node.name.length, metaLine(node).length, hint?.length ?? 0, ...fileLines(node).map((l) => l.length + 2), 12);
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.ceil(2 * PADDING_X + longest * CHAR_WIDTH)));
  const text = nodeText(node, width);
  return { width, height: 2 * PADDING_Y + TITLE_HEIGHT + (text.title.length - 1 + text.meta.length + text.hint.length + text.files.length) * LINE_HEIGHT };
}

/** A compact row (a generator with no dependency either way, listed in its machine's box) is this much taller than its title. */
export const COMPACT_PADDING_Y = 4;
export const COMPACT_MIN_WIDTH = 96;

/**
 * The box of a compact row: the name only, wrapped as a title is (its machines, files and problems
 * are in its tooltip and details).
 */
export function compactSize(node: SizedNode): { width: number; height: number } {
  const width = Math.min(MAX_WIDTH, Math.max(COMPACT_MIN_WIDTH, Math.ceil(2 * PADDING_X + node.name.length * CHAR_WIDTH)));
  return { width, height: 2 * COMPACT_PADDING_Y + compactTitle(node, width).length * LINE_HEIGHT };
}

/** The lines of a compact row `width` wide. */
export function compactTitle(node: SizedNode, width: number): string[] {
  return wrapText(node.name, charsPerLine(width), MAX_TITLE_LINES);
}

/** Cuts text to `max` characters with an ellipsis. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(1, max - 1)) + '…';
}
