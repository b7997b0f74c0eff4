// Reads a .nix file for analysis, refusing what is not Nix source: too big, binary, not UTF-8,
// unreadable, or outside what the reader may read (base/confinement.ts). Never throws.
import type { Confinement } from './confinement';
import { WorkspaceReadError } from './readWorkspaceFile';

export type ReadResult = { text: string } | { skipped: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Lines longer than this mark generated or pasted content: tree-sitter's error recovery on such
 * lines can take seconds and its time budget is not checked there. The same limit as VS Code's
 * editor.maxTokenizationLineLength.
 */
export const MAX_LINE_LENGTH = 20_000;

function longLine(text: string): string | null {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end - start > MAX_LINE_LENGTH) return `line ${text.slice(0, start).split('\n').length} has ${end - start} characters (over ${MAX_LINE_LENGTH}): generated or pasted content`;
    start = end + 1;
  }
  return null;
}

/**
 * The parser's own limit, whatever clanVars.maxFileSize says: tree-sitter's wasm memory runs out
 * (an unrecoverable abort that breaks every later parse) at about 60 MB of Nix; 16 MB needs ~750 MB.
 */
export const PARSER_MAX_SIZE = 16_000_000;

export async function readNixFile(reads: Confinement, file: string, requestedMax: number): Promise<ReadResult> {
  const maxSize = Math.min(requestedMax, PARSER_MAX_SIZE);
  try {
    return checkText(await reads.readAsync(file, maxSize), maxSize);
  } catch (e) {
    return { skipped: readFailure(e, maxSize) };
  }
}

/** The same, synchronously (the scan, and flake inputs' files read while a model is built). */
export function readNixFileSync(reads: Confinement, file: string, requestedMax: number): ReadResult {
  const maxSize = Math.min(requestedMax, PARSER_MAX_SIZE);
  try {
    return checkText(reads.read(file, maxSize), maxSize);
  } catch (e) {
    return { skipped: readFailure(e, maxSize) };
  }
}

function readFailure(e: unknown, maxSize: number): string {
  if (!(e instanceof WorkspaceReadError)) return `cannot be read: ${(e as Error).message}`;
  if (e.code === 'EFBIG') return `over the size limit of ${maxSize} bytes (clanVars.maxFileSize)`;
  if (e.code === 'ENOTREG') return 'not a regular file';
  // the message names the path and where it leads, never what is there
  if (e.code === 'EOUTSIDE') return `not read: ${e.message}`;
  return `cannot be read: ${e.code}`;
}

/** Validates bytes as Nix source text. */
export function checkText(bytes: Uint8Array, requestedMax: number): ReadResult {
  const maxSize = Math.min(requestedMax, PARSER_MAX_SIZE);
  if (bytes.length > maxSize) return { skipped: `${bytes.length} bytes is over the size limit of ${maxSize} bytes (clanVars.maxFileSize)` };
  if (bytes.subarray(0, 8192).includes(0)) return { skipped: 'binary content (NUL bytes)' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  const long = longLine(text);
  return long ? { skipped: long } : { text };
}

/** The same checks for text an editor sends (already decoded). */
export function checkEditorText(text: string, requestedMax: number): string | null {
  const maxSize = Math.min(requestedMax, PARSER_MAX_SIZE);
  if (text.length > maxSize) return `${text.length} characters is over the size limit of ${maxSize} (clanVars.maxFileSize)`;
  if (text.slice(0, 8192).includes('\0')) return 'binary content (NUL characters)';
  return longLine(text);
}
