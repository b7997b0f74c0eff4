// Plain data shared by the analysis core, the server and the checker. No LSP or editor types here.

/** Zero-based line and UTF-16 column, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
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
  message: string;
  related?: RelatedInfo[];
}

/**
 * A name written in the source: a generator name, a dependency, a key. `name` is null when the
 * name is computed (`"x-${machine}"`); `pattern` then holds a glob with `*` for each interpolation.
 */
export interface NameRef {
  name: string | null;
  pattern: string | null;
  range: Range;
}

export interface VarFile {
  name: string;
  range: Range;
  /** `deploy = true|false` as written; null when not a literal; absent when not written (default true). */
  deploy?: boolean | null;
}

export interface Prompt {
  name: string;
  range: Range;
}

export type GeneratorOrigin = 'module' | 'registry';

export type Literal = string | number | boolean | null;

/** One option set inside a generator, e.g. `files.key.mode = "0400"` has path ["files", "key", "mode"]. */
export interface OptionValue {
  /** Relative to the generator; computed names appear as `*`. */
  path: string[];
  /** The last attribute name as written. */
  keyRange: Range;
  valueRange: Range;
  /** tree-sitter node type of the value after parentheses and mkIf/mkDefault wrappers. */
  kind: string;
  /** Set when the value is a literal (string without interpolation, number, true, false, null). */
  literal: Literal | undefined;
  /** The value's source text, cut at 200 characters. */
  text: string;
  /** For list values (`runtimeInputs`, `restartUnits`, ...): the elements. */
  elements?: { literal: Literal | undefined; range: Range; kind: string; text: string }[];
}

/** A generator's `script` as written: the raw source of the value, including quotes. */
export interface ScriptSource {
  raw: string;
  range: Range;
  /** `indented_string_expression`, `string_expression`, `path_expression`, ... */
  kind: string;
}

/** A use such as `config.clan.core.vars.generators.<g>.files.<f>.path`. */
export interface GeneratorAccess {
  generator: NameRef;
  file: NameRef | null;
  /** The attribute read after the file (`path`, `value`, `exists`, ...), or after the generator. */
  attr: NameRef | null;
  range: Range;
}

/** One declaration of a generator in one file (a machine may declare a generator in several). */
export interface Generator {
  name: NameRef;
  /** Further places this file writes the same name (`generators.x.files...` then `generators.x.script`). */
  aliases?: NameRef[];
  file: string;
  origin: GeneratorOrigin;
  share: boolean | null;
  dependencies: NameRef[];
  files: VarFile[];
  prompts: Prompt[];
  /** Every option binding inside the generator (containers `files.<f>` and `prompts.<p>` excluded). */
  options: OptionValue[];
  script?: ScriptSource;
}

/** An `importApply` call inside an `imports` list. */
export interface ImportApplyUse {
  range: Range;
  /** Absolute path of the imported file, when it is a literal relative path. */
  target: string | null;
  /** Names of the attributes passed as arguments (`{ keys = ...; }` -> ["keys"]). */
  argumentNames: string[];
}

export interface RegistryEntry {
  key: string;
  keyRange: Range;
  generator: NameRef | null;
  envVar: string | null;
  fileAttr: string | null;
  secret: boolean | null;
  /** Classification metadata (`domain = "ai"; kind = "api-key";`), when literal. */
  domain?: string | null;
  kind?: string | null;
}

export interface RegistryFacts {
  entries: RegistryEntry[];
  /** False when the file's shape was not understood; registry checks then stay silent. */
  understood: boolean;
}

/** One literal key in the matrix and the machines whose key lists contain it. */
export interface MatrixKeyRef {
  key: string;
  range: Range;
  machines: string[];
}

export interface MatrixFacts {
  machines: string[];
  keys: MatrixKeyRef[];
  understood: boolean;
}

/** A generator set the extractor cannot enumerate, e.g. `import ./lib/vars-generators.nix { ... }`. */
export interface OpaqueGeneratorSource {
  range: Range;
  /** Absolute path of the file an `import <path>` reads, if that is what the expression is. */
  importTarget: string | null;
}

/** What one file contributes to the workspace model: compact, kept after its tree is deleted. */
export interface FileFacts {
  file: string;
  generators: Generator[];
  /** `clan.core.vars.generators = <expr>` whose names cannot be known statically. */
  opaqueGeneratorSources: OpaqueGeneratorSource[];
  importApplies: ImportApplyUse[];
  /** Reads of `...vars.generators.<g>...` in this file. */
  accesses: GeneratorAccess[];
  registry?: RegistryFacts;
  matrix?: MatrixFacts;
  /** Set when the file was not analysed (too big, binary, unreadable): the reason. */
  skipped?: string;
}
