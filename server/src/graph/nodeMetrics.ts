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
}

/** The text lines of a node below its title: a meta line, then the files. */
export function fileLines(node: SizedNode): string[] {
  const shown = node.files.slice(0, MAX_FILES).map((f) => f.name);
  if (node.files.length > MAX_FILES) shown.push(`+${node.files.length - MAX_FILES} more`);
  return shown;
}

/** Characters that fit on one line of a node `width` wide (the file lines carry a 2-char marker). */
export function charsPerLine(width: number): number {
  return Math.max(4, Math.floor((width - 2 * PADDING_X) / CHAR_WIDTH));
}

export function nodeSize(node: SizedNode): { width: number; height: number } {
  const longest = Math.max(node.name.length, ...fileLines(node).map((l) => l.length + 2), 12);
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.ceil(2 * PADDING_X + longest * CHAR_WIDTH)));
  const lines = 1 + fileLines(node).length; // meta line + files
  return { width, height: 2 * PADDING_Y + TITLE_HEIGHT + lines * LINE_HEIGHT };
}

/** Cuts text to `max` characters with an ellipsis. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(1, max - 1)) + '…';
}
