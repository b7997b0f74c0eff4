// Colour for the text format: whether to use it (--color, NO_COLOR, FORCE_COLOR, a terminal), and
// the few SGR sequences it uses. Colour goes around text that is already printable
// (base/printable.ts): the only escape characters in the output are the ones written here.
import type { Severity } from '../../base/types';
import type { ColorChoice } from '../options';

/**
 * Whether the text format is coloured. `always` and `never` decide; `auto` follows the environment
 * as Node's own tools do: FORCE_COLOR set to a value that asks for colour (empty, 1, 2, 3 or true)
 * turns it on whatever else is set, any other FORCE_COLOR value off; then NO_COLOR set to anything
 * but the empty string (no-color.org) turns it off; else colour when stdout is a terminal that is
 * not `dumb`.
 */
export function useColor(choice: ColorChoice, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (choice !== 'auto') return choice === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

/** The painting of one run: each function returns its text unchanged when colour is off. */
export interface Paint {
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
  /** The gutter, `-->` and `=` of a code frame. */
  frame(text: string): string;
  dim(text: string): string;
}

const SEVERITY_SGR: Record<Severity, string> = { error: '1;31', warning: '1;33', information: '1;34', hint: '1;36' };

function sgr(code: string, text: string): string {
  return text ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export function paint(on: boolean): Paint {
  if (!on) return { severity: (_s, t) => t, bold: (t) => t, frame: (t) => t, dim: (t) => t };
  return {
    severity: (s, t) => sgr(SEVERITY_SGR[s], t),
    bold: (t) => sgr('1', t),
    frame: (t) => sgr('1;34', t),
    dim: (t) => sgr('2', t),
  };
}

/** The SGR sequences paint writes, and nothing else: what a test strips to check the rest is printable. */
export const PAINT_SEQUENCE = /\x1b\[[0-9;]*m/g;
