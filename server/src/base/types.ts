// Positions, places and problems: plain data shared by every floor, the server and the checker. No
// LSP or editor types here.

/** Zero-based line and UTF-16 column, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Whether `a` comes strictly before `b`. */
export function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether `p` lies in `r`, both ends included. */
export function contains(r: Range, p: Position): boolean {
  return !isBefore(p, r.start) && !isBefore(r.end, p);
}

/** A place in a file; `file` is an absolute path. */
export interface Location {
  file: string;
  range: Range;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  location: Location;
  message: string;
}

/** A diagnostic found by a rule. */
export interface Problem {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  /** Short: what is wrong and what to do (the editor's Problems panel shows one line of it). */
  message: string;
  /** Why, with clan's own error text: the checker prints it after the message; the editor links the code's docs instead. */
  explanation?: string;
  related?: RelatedInfo[];
  /** Mechanical fixes, as plain text edits: the server offers them as code actions, `clan-vars-lint --fix` applies the safe ones. */
  fixes?: Fix[];
}

/** The message with its explanation, for places with room for both (the checker's text output, the graph's details). */
export function fullMessage(p: Pick<Problem, 'message' | 'explanation'>): string {
  return p.explanation ? `${p.message} ${p.explanation}` : p.message;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes keep what the user evidently meant (format migrations, renames clan itself documents); --fix applies only these. */
  safe: boolean;
  /** Shown to the user before anything changes (the editor's refactor preview): why the edit needs a look. */
  preview?: string;
}
