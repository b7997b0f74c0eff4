import type { ClanPart } from './modulePaths';
import type { EnableDef, OptionDef } from './optionDefs';
import type { NameTemplate } from './serviceNames';
// The facts read from Nix files: generators, registry and matrix entries, module structure.
import type { Position, Range } from '../base/types';
import type { NameRef, ScriptSource } from '../syntax/syntax';
import type { PortableAst } from './eval/ast';


export interface VarFile {
  name: string;
  range: Range;
  /** Ranges that remove the bindings declaring this file (whole lines when the binding is alone on them). */
  removals?: Range[];
  /** `deploy = true|false` as written; null when not a literal; absent when not written (default true). */
  deploy?: boolean | null;
  /**
   * Its settings (`secret`, `deploy`, `neededFor`, ...) are not known: it is named by a computed set
   * (`files = lib.genAttrs ...`, read by evaluation) or its value is not readable (`inherit key;`), so
   * no check may assume their defaults.
   */
  optionsUnknown?: boolean;
  /** Set where every place it is named is its value under conditions (`files.x = lib.mkIf c { ... }`): as Generator.conditions. */
  conditions?: GeneratorCondition[];
}

export interface Prompt {
  name: string;
  range: Range;
  /** As VarFile.conditions. */
  conditions?: GeneratorCondition[];
}

export type GeneratorOrigin = 'module' | 'registry';

export type ModuleClass = 'nixos' | 'darwin';

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
  /** The range that removes the whole binding (`mode = "0400";`), when the binding ends at this option. */
  removal?: Range;
  /** Set under a test of the platform that keeps it from darwin machines (`lib.mkIf pkgs.stdenv.isLinux`), or whose direction cannot be told. */
  platformGuarded?: true;
  /** The value is a list whatever it evaluates to (a list, `++`, `map`, `lib.attrNames`, ...), when set. */
  list?: true;
  /**
   * For list values (`runtimeInputs`, `restartUnits`, ...) whose every element the syntax can list
   * (through `++`, `with`, `let` and let-bound names): the elements, let-bound names resolved.
   * Absent when some part is not known (`[ pkgs.jq ] ++ cfg.extraInputs`).
   */
  elements?: { literal: Literal | undefined; range: Range; kind: string; text: string }[];
}

/** A use such as `config.clan.core.vars.generators.<g>.files.<f>.path`. */
export interface GeneratorAccess {
  generator: NameRef;
  file: NameRef | null;
  /** The attribute read after the file (`path`, `value`, `exists`, ...), or after the generator. */
  attr: NameRef | null;
  range: Range;
  /** In a `let` binding nothing reads (facts/accesses.ts): Nix never evaluates it. */
  unevaluated?: true;
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
  /** Where a new binding can be added to the generator's own attrset: position and indentation (null: same line). */
  insertAt?: { position: Position; indent: string | null };
  /**
   * Known by evaluating a computed generator set (`lib.genAttrs`, `lib.mapAttrs'`, `listToAttrs`,
   * interpolated names): its name, files, prompts, dependencies and share are what the evaluator
   * computed; its other options and script were not read, so no check may conclude from their absence.
   */
  evaluated?: boolean;
  /** Its files or prompts could not be computed: the lists are incomplete, not empty. */
  filesUnknown?: boolean;
  /** Written by our migration fixes (their `# moved from ...` comment): where its value is to come from. */
  movedFrom?: MovedFrom;
  /** A moved sops-nix secret: its name and where sops-nix read its value, as its comment keeps them (see LegacySecret.sops). */
  movedSops?: { name: string; perMachine?: PerMachineName; sopsFile?: string | null; key?: string | null; format?: string | null };
  /** In a clan service, a computed name made of literal text and what clan passes each instance and machine (facts/serviceNames.ts). */
  nameTemplate?: NameTemplate;
  /** Written in a module of one class (a clan service's `nixosModule`, `flake.darwinModules.x`): clan gives it only machines of that class. */
  moduleClass?: ModuleClass;
  /**
   * Every place this file writes the generator's name is under a condition (`lib.mkIf`,
   * `lib.optionalAttrs`, `if`): per place, what it tests. Absent where some place is unconditional.
   */
  conditions?: GeneratorCondition[];
}

/**
 * What the conditions above one place a generator's name is written test (all must hold): settings
 * of a clan service role's `perInstance` (`settings.rsaHostKey.enable`, `!settings.x`,
 * `settings.domains != [ ]`); `tests` null where a condition tests anything else (`cfg.enable`).
 */
export interface GeneratorCondition {
  /** The place (the start of the name as written). */
  at: Position;
  /** The line of the (first) condition, zero-based. */
  line: number;
  tests: SettingTest[] | null;
  /**
   * Beside `tests`, each condition written as `a || b` of such tests (`settings.l != [ ] ||
   * settings.allowEmpty`): the tests of each side, of which one must hold.
   */
  anyOf?: SettingTest[][][];
  /**
   * Where `tests` is null: what every condition tests of the machine's options (`lib.mkIf cfg.enable`
   * with `cfg = config.services.x`: `services.x.enable` true), in a module of the machine's own.
   */
  options?: OptionTest[];
}

/** An option of the machine (its dotted path below `config`) must be this. */
export interface OptionTest {
  option: string;
  is: boolean;
}

/**
 * `settings.<path>` must be this: true, false, an empty list, a list with elements. With `role`, of
 * the machines of that role of the instance (`lib.any (m: m.settings.<path> or true)
 * (builtins.attrValues (roles.<role>.machines or { }))`, clan-core's sshd client): some of them has
 * it, or with `none`, none of them has.
 */
export interface SettingTest {
  setting: string;
  is: SettingValue;
  role?: string;
  none?: boolean;
}

/** A setting's value as far as conditions read it: a Boolean, or whether a list is empty. */
export type SettingValue = boolean | 'empty' | 'nonEmpty';

/** The systems the migration fixes move generators from; the comment they write names them. */
export type MovedFrom = 'sops-nix' | 'clan facts';

/** An `importApply` call inside an `imports` list. */
export interface ImportApplyUse {
  range: Range;
  /** Absolute path of the imported file, when it is a literal relative path. */
  target: string | null;
  /** Names of the attributes passed as arguments (`{ keys = ...; }` -> ["keys"]). */
  argumentNames: string[];
  /** The argument after the path: an attribute set (its names in argumentNames), another expression (`cfg`), or none. */
  argument: 'attrs' | 'other' | null;
  /** What rewriting it into `let g = import <path> <args>; in { clan.core.vars.generators = g; }` needs. */
  rewrite?: {
    removal: Range;
    pathText: string;
    argsText: string | null;
    /** The start of the module attrset that holds `imports`. */
    letAt: Position;
    bodyInsert: { position: Position; indent: string | null };
  };
}

export interface RegistryEntry {
  key: string;
  keyRange: Range;
  generator: NameRef | null;
  envVar: string | null;
  fileAttr: string | null;
  secret: boolean | null;
  /** Set when the entry was evaluated: its `files` and `prompts` names and its `script` (null if not a known string). */
  files?: string[];
  prompts?: string[];
  script?: string | null;
  /** Classification metadata (`domain = "ai"; kind = "api-key";`), when literal. */
  domain?: string | null;
  kind?: string | null;
}

export interface RegistryFacts {
  entries: RegistryEntry[];
  /** How to add an entry in the registry's own style: where, and the text of an existing entry to imitate. */
  style?: { insertAt: Position; indent: string; template: string | null; templateKey: string | null };
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
  /** The file has the shape of a clan-vars-helper generator file: its generators, counted where a module names its folder (discoverDirs). */
  setGenerators?: Generator[];
  /** Folders this file tells clan-vars-helper to read generators from (`my.secrets.discover.dir`). */
  discoverDirs?: DiscoverDir[];
  registry?: RegistryFacts;
  matrix?: MatrixFacts;
  /** Machine names declared in `inventory.machines` / `clan.machines` (literal names only). */
  inventoryMachines?: string[];
  /** The lines (zero-based) of machines declared there under a computed name (`${config.hostname} = { ... }`). */
  computedMachineLines?: number[];
  /**
   * The file read as a part of a clan's configuration, by where it would be (`inventory`, `` for a
   * clan module), those that say anything of its structure: used only where another file imports it
   * so, and read only for such a file (FileRoles.clanPart; `readAsPart` says they were).
   */
  clanReadings?: Record<string, ModuleFacts>;
  /** Extracted with FileRoles.clanPart: clanReadings holds every reading of the file that says anything. */
  readAsPart?: true;
  /** Definitions of the machine options that decide clan-core's own generators (state-version, machine-id). */
  optionDefs?: OptionDef[];
  /** Definitions of options named `*.enable` in the module's config (what `lib.mkIf cfg.enable` above a generator reads). */
  enableDefs?: EnableDef[];
  /**
   * A `flake.nix`'s: whether its text names clan (a clan-core input, `clan = ...`), so that the
   * folder's `machines/<m>/` folders are clan's machines (model/machines.ts). Absent on other files,
   * and on a flake.nix's facts cached before it was kept: then the file on disk is read.
   */
  namesClan?: boolean;
  /** The clan-level `vars.settings.secretStore`, when this file sets it to a literal (line zero-based). */
  secretStore?: { value: string; line: number };
  /** Set when the file was not analysed (too big, binary, unreadable, out of parse time, or internalError): the reason. */
  skipped?: string;
  /**
   * Set when the file's analysis threw: the error's message. A bug of Clan Vars, not of the file:
   * reported as an `internal-error` finding on the file (rules/internalError.ts), not as a skip.
   */
  internalError?: string;
  /** The parser found syntax errors: `--fix` leaves such files alone. */
  hasSyntaxErrors?: boolean;
  /** Where the first of them is (the start of the first error or missing node). */
  firstSyntaxError?: Position;
  /** `# clan-vars: ignore <code>...` comments: they silence those codes on their own line and the next. */
  ignoreComments?: IgnoreComment[];
  /** Calls of registry accessors (`getPath`, `mkPasswordCmd`, `getVmPath`) with a literal key. */
  secretKeyUses?: SecretKeyUse[];
  /** `import <file> { ... }` calls, with what they pass as `pkgs`. */
  imports?: ImportCall[];
  /** The module structure this file declares (imports, flake modules, machines, service instances); absent when it has none. */
  modules?: ModuleFacts;
  /** Secrets of the systems vars replaced (clan facts services, plain sops-nix) and the reads of their paths. */
  legacySecrets?: LegacySecrets;
}

export interface LegacySecrets {
  declarations: LegacySecret[];
  reads: LegacyRead[];
  /** `sops.defaultSopsFile` when it is a literal path (absolute). */
  defaultSopsFile?: string;
  /** Other uses of the removed facts system: `config.clan.core.facts.secretStore` read, `clan.core.facts.secretStore = ...` set. */
  factsUses?: FactsUse[];
}

/** A read or a setting of a facts option other than a service's file. */
export interface FactsUse {
  range: Range;
  /** The option path as written (`config.clan.core.facts.secretStore`), `${...}` for a computed part. */
  path: string;
  /** A setting (`clan.core.facts.x = ...`), not a read. */
  setting?: boolean;
  /** The vars counterpart that replaces the read, when it takes the same values. */
  newText?: string;
}

/** `clan.core.facts.services.<name>` or `sops.secrets.<name>`. */
export interface LegacySecret {
  kind: 'facts-service' | 'sops-secret';
  name: string;
  /** The name where it is written. */
  range: Range;
  /** Its name is computed (`"${n}"`, `${n}`: 'name') or the whole set is (`lib.mapAttrs' ...`: 'set'): `name` is the text as written, and there is no fix. */
  computed?: 'name' | 'set';
  /** The edits that replace the declaration by its vars generator, when its values can be read (in its place, or after the configuration binding it is nested in). */
  replacement?: { edits: { range: Range; newText: string }[] };
  /** A facts service's files, by name (literal names only). */
  files?: { name: string; secret: boolean }[];
  /** Where sops-nix reads a secret's value: `sopsFile` (absolute), `key`, `format`, when literal; undefined when written but not literal. */
  sops?: { sopsFile?: string | null; key?: string | null; format?: string | null };
  /**
   * A sops-nix secret named through the machine's name (`"${config.networking.hostName}-password-hash"`):
   * the literal text around it; `name` is `<machine>-password-hash`. One secret per machine.
   */
  perMachine?: PerMachineName;
  /**
   * Such a secret may be a secret fact's own (clan's facts kept each as sops secret `<machine>-<fact>`):
   * the edits that set its options on the fact's vars file instead, `FACT_GENERATOR_SLOT` and
   * `FACT_FILE_SLOT` (facts/legacyGenerators.ts) standing for the generator and the file until the
   * fact's generator is known.
   */
  factReplacement?: { edits: { range: Range; newText: string }[] };
}

/** `"<before>${<the machine's name>}<after>"`. */
export interface PerMachineName {
  before: string;
  after: string;
}

/** `config.sops.secrets.<name>.path`, `config.clan.core.facts.services.<s>.{secret,public}.<f>.{path,value}`, with the vars path replacing it. */
export interface LegacyRead {
  kind: LegacySecret['kind'];
  name: string;
  range: Range;
  newText: string;
  /** A read of a per-machine sops-nix secret that is a secret fact's (LegacySecret.factReplacement): the read of that vars file, with the slots. */
  factNewText?: string;
  /** A facts service's read: the fact it reads (`secret.<name>` or `public.<name>`). */
  fact?: { name: string; secret: boolean };
}

export interface IgnoreComment {
  /** Zero-based line of the comment. */
  line: number;
  codes: string[];
}

export interface SecretKeyUse {
  accessor: string;
  key: string;
  range: Range;
}

export interface ImportCall {
  /** Absolute path of the imported file. */
  target: string;
  /** `pkgs` passed with a value other than `null` (`inherit pkgs;`, `pkgs = pkgs;`). */
  passesPkgs: boolean;
  /** The range of the `pkgs` argument (the `inherit pkgs;` or `pkgs = ...;` binding). */
  pkgsRange: Range | null;
  range: Range;
  /** The importing file declares `pkgs ? null` in its own arguments (meant to be callable without packages). */
  importerPure: boolean;
}

/** A module named in `imports` (or as a machine's module): a file or folder of the workspace, a flake module, or something not known statically. */
export interface ModuleRef {
  range: Range;
  /** Absolute path of a file or folder (a folder means its default.nix). */
  path?: string;
  /** A path of this flake written from its `self` (`"${self}/modules/x.nix"`): relative to the flake's folder, the clan's root. */
  selfPath?: string;
  /** A module this flake defines: `self.nixosModules.x`, `config.flake.modules.nixos.x`. */
  flakeModule?: { cls: string; name: string };
  /** A module of a flake input (`inputs.x.nixosModules.y`, `self.inputs.x + "/m.nix"`, `x.nixosModules.y` with `x` a module argument): the input's name and what is selected in it (`nixosModules.y`; "" for its source folder). `unknown` then holds the text, for messages. */
  input?: { name: string; attr: string };
  /** Anything else (another flake's module, a computed path), as written. */
  unknown?: string;
  /**
   * `unknown` applies a function selected from an argument of the file's module (`nflib.scanPaths ./. { }`,
   * `nflib` a formal of the file's function, not bound inside it): the argument and the expression's
   * text, which the model evaluates with the argument's value from the clan's specialArgs (model/argImports.ts).
   */
  applied?: { arg: string; source: string };
  /**
   * `unknown` is `<arg>.<cls>.<name>` (or `<name>` in `with <arg>.<cls>;`) for an argument of the
   * file's module: the flake's module `<cls>.<name>` where the clan's specialArgs give the flake's
   * modules as `<arg>`, or input `<cls>`'s `<name>` (`nixosModules.x`) where they give its inputs.
   */
  argModule?: { arg: string; cls: string; name: string };
}

/**
 * A value given to the model's evaluations: `specialArgs.<name> = <expr>` of the clan's configuration,
 * or `flake.<name> = <expr>` of a flake-parts module. `source`: the expression's text (null: written in
 * a way not kept, `inherit x;` of anything but a `let` of the file, a set given whole, a text too long,
 * or a part `flake.<name>.<y>` defined apart; `inherit x;` of a `let`: `let <its bindings> in x`);
 * `given`: the names the model binds in it (`lib`: nixpkgs' lib, `config`: the flake's, `inputs`: the
 * flake's inputs as far as `inputs.nixpkgs.lib` goes, `self`: the flake, whose source is the clan's
 * folder), each a formal of the file's function not bound again where the expression is.
 */
export interface ArgValueDef {
  name: string;
  range: Range;
  source: string | null;
  given: GivenArg[];
}

/** What the model gives an ArgValueDef's expression. */
export type GivenArg = 'lib' | 'config' | 'inputs' | 'self';

/** `flake.nixosModules.<name> = ...`, `flake.modules.<cls>.<name> = ...`: a module other files import by name. */
export interface FlakeModuleDef {
  cls: string;
  name: string;
  range: Range;
  /** The file it points at; null when the module is written inline (then `range` holds it). */
  target: string | null;
  /** What an inline definition imports. */
  imports: ModuleRef[];
  /** Index of the definition in the same file this one is (`genAttrs [ "a" "b" ] f` writes b's module as a's). */
  alias?: number;
}

/**
 * `flake.nixosModules = <a computed set>` (`lib.mapAttrs' f (builtins.readDir ./modules)`): which
 * modules it holds depends on the file tree, so the model evaluates it (model/computedModules.ts).
 * `source`: the file's text (the set's scope: an AST kept as JSON repeats each node per field), else
 * why it is not kept; `path`: where the set is in the file's value.
 */
/** A value of a file the model evaluates: its attribute path in the file's value, and the file's text (or why not). */
export interface EvaluablePart {
  path: string[];
  source: string | { unread: string };
}

export interface ComputedFlakeModules {
  cls: string;
  path: string[];
  range: Range;
  source: string | { unread: string };
}

/** `clan.machines.<m> = { imports = [ ... ]; }` (or `machines.<m>` in the clan function's argument). */
export interface MachineModule {
  machine: string;
  refs: ModuleRef[];
  /** Generators are declared inline in the machine's module (this file then belongs to the machine). */
  inline: boolean;
  /** Where its module is written in this file, when it is written here (`machines.<m> = { ... };`). */
  ranges?: Range[];
}

/** `inventory.instances.<name>`: which clan service, and which machines take which role. */
export interface InstanceFacts {
  name: string;
  /** `module.name`. */
  module: string | null;
  /** `module.input` ("self" for the clan's own services; otherwise a flake input such as clan-core). */
  input: string | null;
  roles: InstanceRole[];
  /**
   * An instance of the inventory's services before clan services (`inventory.services.<module>.<instance>`,
   * clanModules' roles): named `<module>.<instance>`; its modules are not read, so its machines are open.
   */
  legacy?: true;
}

/** A role of an instance: its machines and tags, and the settings written as literal strings (what a service's computed names read). */
export interface InstanceRole {
  name: string;
  machines: string[];
  tags: string[];
  tagsUnknown: boolean;
  /** `roles.<r>.settings.<key> = "..."`. */
  settings?: Record<string, string>;
  /** `roles.<r>.machines.<m>.settings.<key> = "..."`, per machine. */
  machineSettings?: Record<string, Record<string, string>>;
  /** Settings written in a way the syntax cannot read (`settings = import ./x.nix`): no default may stand in for them. */
  settingsUnknown?: boolean;
  /** The names of a setting written as a set (`settings.networks = { home = { }; }`): the role's, and per machine. */
  settingKeys?: Record<string, string[]>;
  machineSettingKeys?: Record<string, Record<string, string[]>>;
  /** Settings written as sets whose names are not all known (`networks = import ./n.nix`, `networks.${x} = ...`). */
  settingKeysUnknown?: string[];
  /**
   * `settings.<set>.<entry>.<attr> = "..."`, keyed `<set>\0<entry>\0<attr>`: the string, or null where
   * it is written otherwise (`<set>\0<entry>\0` null: the entry is, so none of its attributes is known).
   * The role's, and per machine.
   */
  entryAttrs?: Record<string, string | null>;
  machineEntryAttrs?: Record<string, Record<string, string | null>>;
  /**
   * `settings.<path> = <literal>` (path dotted): Booleans and lists as conditions read them; null
   * where the value at that path is written otherwise. The role's, and per machine.
   */
  settingValues?: Record<string, SettingValue | null>;
  machineSettingValues?: Record<string, Record<string, SettingValue | null>>;
  /** `roles.<r>.extraModules` (and the importer service's `settings.extraModules`): modules the role's machines get. */
  extraModules?: ModuleRef[];
  /** Where modules written inline among them are (they are part of this file). */
  extraInline?: Range[];
  /**
   * `extraModules` computed (`map (m: ./modules + "/${m}") (builtins.attrNames (builtins.readDir
   * ./modules))`) at a path of the file's own value: the model evaluates it (model/computedInstances.ts).
   */
  extraModulesEvaluable?: EvaluablePart;
}

/**
 * One definition of `inventory.tags` (`tag` null: the whole value) or of one tag. Its value is the
 * code's AST (each node once: eval/ast.ts portableAst), computed in the model where the machines and
 * their classes are known; null when it is too large to keep.
 */
export interface InventoryTagDef {
  tag: string | null;
  range: Range;
  ast: PortableAst | null;
}

/** `clan.modules.<name> = ./service`: a clan service defined in this clan. */
/** `my.secrets.discover.dir = <folder>` (clan-vars-helper): the folder, or null when it is computed. */
export interface DiscoverDir {
  dir: string | null;
  range: Range;
}

export interface ServiceDef {
  name: string;
  range: Range;
  /** The file; null when written inline (this file). */
  target: string | null;
}

export interface ModuleFacts {
  /** What this file's modules import. */
  imports: ModuleRef[];
  flakeModules: FlakeModuleDef[];
  /** Sets of flake modules computed from values (the file tree): evaluated by the model. */
  computedFlakeModules?: ComputedFlakeModules[];
  /** Aspects of flake-aspects whose modules are more than their classes' definitions (modulePaths.ts aspectOpen): name (null: every aspect), where, why. */
  openAspects?: { name: string | null; range: Range; why: string }[];
  /**
   * The file's text, where its own `imports` (at the top of its value) are computed (`imports =
   * lib.filter (x: x != null) (map ... (builtins.readDir ./.))`): the model evaluates them.
   */
  computedImports?: string | { unread: string };
  machineModules: MachineModule[];
  /** `inventory.machines.<m>.machineClass` and `.tags`, where written as literals. */
  inventoryMachines?: { machine: string; cls: 'nixos' | 'darwin' | null; tags: string[] }[];
  /** `specialArgs.<name> = ...` of the clan's configuration (`clan.specialArgs`, the clan function's argument); name `*`: the set given whole. */
  specialArgs?: ArgValueDef[];
  /** `flake.<name> = ...` of a flake-parts module (what `config.flake.<name>` is); name `*`: `flake` given whole. */
  flakeValues?: ArgValueDef[];
  /** Modules every machine imports through a function over the machines (`mapAttrs (name: _: { imports = [ ./machines/${name}/x.nix ]; })`); `path` holds MACHINE_NAME for the name. */
  machineTemplates?: { range: Range; path: string }[];
  instances: InstanceFacts[];
  /** `inventory.tags` (a set of machine lists, or a function `{ config, ... }: { ... }` of the lists by class), and `inventory.tags.<t>`. */
  inventoryTags?: InventoryTagDef[];
  services: ServiceDef[];
  /**
   * `clan.modules = config.flake.modules."clan.service"` (or `self.modules.<class>`): the clan's
   * services are the flake's modules of that class, wherever they are defined (the dendritic layout,
   * one file a module, read by import-tree).
   */
  serviceSets?: { cls: string; range: Range }[];
  /**
   * The clan's own services given as a computed set (`modules = import "${self}/services" { inherit
   * inputs; };`) at `path` of the file's value, with the file's text: the model evaluates their names
   * and files.
   */
  computedServiceSets?: { path: string[]; range: Range; source: string | { unread: string } }[];
  /** The file is a clan service (`_class = "clan.service"`, `roles.<r>.perInstance`). */
  isClanService?: boolean;
  /** A clan service's roles (`roles.<r> = { ... }`), where each is written: its modules belong to that role's machines only. */
  serviceRoles?: { name: string; range: Range }[];
  /** A clan service's roles' settings' defaults that conditions read (`mkEnableOption`: false), by role and dotted path. */
  settingDefaults?: Record<string, Record<string, SettingValue>>;
  /**
   * What the file imports where a clan service module imports other modules of its service (`imports`
   * at its top, or in `roles.<r>`): those parts of the service, where the file is one of its modules
   * (the imports in a `nixosModule` are the machines' modules). Also in `imports`.
   */
  serviceImports?: ModuleRef[];
  /** Parts of the clan's structure written in a way the syntax cannot read (`inventory = import ./x.nix { ... }`, `instances = lib.listToAttrs ...`). */
  opaqueParts?: (ClanPart & { range: Range; text: string; evaluable?: EvaluablePart })[];
  /** Files of the workspace given as parts of the clan's configuration, with where their value goes (`['inventory']`; `[]`: a clan module). */
  clanRefs?: { prefix: string[]; target: string; range: Range; fromSelf?: boolean }[];
}

/**
 * The parts of a clan the index versions and a rule reads; a rule's result is reused while none of
 * them changed. `modules`: the module structure (imports, flake modules, machines, service
 * instances) that decides which machine has which generator. `evaluation`: what evaluating the
 * registry pipeline per machine found (throws, undefined variables), apart from the registry and
 * matrix it evaluated.
 */
export type RuleInput = 'generators' | 'registry' | 'matrix' | 'imports' | 'accesses' | 'vars' | 'modules' | 'evaluation';
