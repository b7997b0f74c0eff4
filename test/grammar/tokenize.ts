// Tokenizes Nix text with the real TextMate engine (vscode-textmate + vscode-oniguruma), wiring
// the grammars up the way VS Code does from package.json `contributes.grammars`: a language's
// grammar by scope name, and injections looked up for every dot-prefix of the root scope name.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = resolve(__dirname, '../..');
const here = join(root, 'test/grammar');

interface GrammarContribution {
  language?: string;
  scopeName: string;
  path: string;
  injectTo?: string[];
  embeddedLanguages?: Record<string, string>;
}

export function grammarContributions(): GrammarContribution[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return pkg.contributes.grammars;
}

/** Test-only grammars: stand-ins for grammars other extensions (or VS Code itself) provide. */
const testGrammars: Record<string, string> = {
  // VS Code's built-in shellscript grammar cannot ship with this repository; a small stand-in
  'source.shell': join(here, 'grammars/shell-stand-in.tmLanguage.json'),
  // another extension's Nix grammar (such as Nix IDE's), reduced to the shape that matters here
  // (set CLAN_VARS_FOREIGN_NIX_GRAMMAR to a real one, e.g. Nix IDE's, to try the injections on it)
  'source.nix': process.env.CLAN_VARS_FOREIGN_NIX_GRAMMAR ?? join(here, 'grammars/foreign-nix.tmLanguage.json'),
};

export interface TokenizeOptions {
  /** root grammar; `source.nix` simulates another Nix extension owning the `nix` language */
  rootScope?: 'source.nix.clan-vars' | 'source.nix';
  /** whether `source.shell` is available (VS Code ships it; without it, embedded shell stays plain) */
  withShell?: boolean;
}

let onigLib: Promise<textmate.IOnigLib> | undefined;

function loadOniguruma(): Promise<textmate.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    };
  })();
  return onigLib;
}

const grammarCache = new Map<string, Promise<textmate.IGrammar>>();

export function loadGrammar(options: TokenizeOptions = {}): Promise<textmate.IGrammar> {
  const rootScope = options.rootScope ?? 'source.nix.clan-vars';
  const withShell = options.withShell ?? true;
  const key = `${rootScope}|${withShell}`;
  let grammar = grammarCache.get(key);
  if (!grammar) {
    grammar = createGrammar(rootScope, withShell);
    grammarCache.set(key, grammar);
  }
  return grammar;
}

async function createGrammar(rootScope: string, withShell: boolean): Promise<textmate.IGrammar> {
  const contributions = grammarContributions();
  const paths = new Map<string, string>();
  for (const c of contributions) paths.set(c.scopeName, join(root, c.path));
  for (const [scope, path] of Object.entries(testGrammars)) {
    if (scope === 'source.shell' && !withShell) continue;
    paths.set(scope, path);
  }
  const registry = new textmate.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (scopeName) => {
      const path = paths.get(scopeName);
      return path ? textmate.parseRawGrammar(readFileSync(path, 'utf8'), path) : null;
    },
    getInjections: (scopeName) => {
      const parts = scopeName.split('.');
      const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('.'));
      return contributions
        .filter((c) => c.injectTo?.some((target) => prefixes.includes(target)))
        .map((c) => c.scopeName);
    },
  });
  const grammar = await registry.loadGrammar(rootScope);
  if (!grammar) throw new Error(`grammar ${rootScope} did not load`);
  return grammar;
}

export interface Token {
  line: number;
  start: number;
  text: string;
  scopes: string[];
}

export async function tokenize(text: string, options: TokenizeOptions = {}): Promise<Token[][]> {
  const grammar = await loadGrammar(options);
  let state = textmate.INITIAL;
  const lines = text.split(/\r?\n/);
  return lines.map((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({
      line,
      start: t.startIndex,
      text: lineText.slice(t.startIndex, Math.min(t.endIndex, lineText.length)),
      scopes: t.scopes,
    }));
  });
}

/**
 * Renders tokens as a readable snapshot: each source line, then one caret line per token that is
 * not just whitespace, with its scopes (without the root scope, which every token has).
 */
export function renderSnapshot(text: string, tokens: Token[][]): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  lines.forEach((lineText, i) => {
    out.push(`> ${lineText}`);
    for (const t of tokens[i]) {
      if (t.text.trim() === '') continue;
      out.push(`  ${' '.repeat(t.start)}${'^'.repeat(t.text.length)} ${t.scopes.slice(1).join(' ')}`);
    }
  });
  return out.join('\n') + '\n';
}
