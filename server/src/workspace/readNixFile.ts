// Reads a .nix file for analysis, refusing what is not Nix source: too big, binary, not UTF-8,
// unreadable. Never throws.
import * as fs from 'node:fs/promises';

export type ReadResult = { text: string } | { skipped: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readNixFile(file: string, maxSize: number): Promise<ReadResult> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { skipped: 'not a regular file' };
    if (stat.size > maxSize) return { skipped: `${stat.size} bytes is over the size limit of ${maxSize} bytes (clanVars.maxFileSize)` };
    const bytes = await fs.readFile(file);
    return checkText(bytes, maxSize);
  } catch (e) {
    return { skipped: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/** Validates bytes as Nix source text. */
export function checkText(bytes: Uint8Array, maxSize: number): ReadResult {
  if (bytes.length > maxSize) return { skipped: `${bytes.length} bytes is over the size limit of ${maxSize} bytes (clanVars.maxFileSize)` };
  if (bytes.subarray(0, 8192).includes(0)) return { skipped: 'binary content (NUL bytes)' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
}

/** The same checks for text an editor sends (already decoded). */
export function checkEditorText(text: string, maxSize: number): string | null {
  if (text.length > maxSize) return `${text.length} characters is over the size limit of ${maxSize} (clanVars.maxFileSize)`;
  if (text.slice(0, 8192).includes('\0')) return 'binary content (NUL characters)';
  return null;
}
