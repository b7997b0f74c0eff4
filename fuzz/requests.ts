// The requests the fuzzer sends: one builder per server capability, used only when the server
// announces that capability in its initialize result, so features are covered as they land.
// Commands (executeCommand) are never sent: they may run things.
import type { Rng } from './rng';
import { lineStarts, positionAt, rangeProblem, type Pos, type Rng as Range } from './text';

export interface RequestCase {
  method: string;
  params: unknown;
  /** Checks a result against the text the request was made on; returns problems found. */
  check?: (result: unknown, text: string) => string[];
}

type Builder = (uri: string, text: string, rng: Rng, caps: Record<string, unknown>) => RequestCase[];

function randomPos(text: string, rng: Rng): Pos {
  const starts = lineStarts(text);
  if (rng.chance(0.05)) return { line: rng.int(0, starts.length + 3), character: rng.int(0, 500) }; // past the end
  return positionAt(starts, rng.int(0, text.length));
}

function randomRange(text: string, rng: Rng): Range {
  const a = randomPos(text, rng);
  const b = randomPos(text, rng);
  return a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a };
}

/** Ranges of `uri` found anywhere in a result (locations, symbols, hovers, lenses) that lie outside the text. */
function rangesOutside(uri: string, field: string[]): (result: unknown, text: string) => string[] {
  return (result, text) => {
    const problems: string[] = [];
    const starts = lineStarts(text);
    const visit = (v: unknown, depth: number, sameDoc: boolean) => {
      if (!v || typeof v !== 'object' || depth > 20) return;
      if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1, sameDoc));
      const o = v as Record<string, unknown>;
      const here = typeof o.uri === 'string' ? o.uri === uri : typeof o.targetUri === 'string' ? o.targetUri === uri : sameDoc;
      for (const f of field) {
        if (here && o[f] && typeof o[f] === 'object' && 'start' in (o[f] as object)) {
          const p = rangeProblem(text, o[f] as Range, starts);
          if (p) problems.push(`${f}: ${p}`);
        }
      }
      for (const x of Object.values(o)) if (typeof x === 'object') visit(x, depth + 1, here);
    };
    visit(result, 0, true);
    return problems;
  };
}

const RANGES = ['range', 'selectionRange', 'targetRange', 'targetSelectionRange', 'originSelectionRange'];

export const BUILDERS: Record<string, Builder> = {
  hoverProvider: (uri, text, rng) => [
    { method: 'textDocument/hover', params: { textDocument: { uri }, position: randomPos(text, rng) }, check: rangesOutside(uri, RANGES) },
  ],
  completionProvider: (uri, text, rng, caps) => {
    const triggers = ((caps.completionProvider as { triggerCharacters?: string[] }) ?? {}).triggerCharacters ?? [];
    const context = triggers.length && rng.chance(0.5) ? { triggerKind: 2, triggerCharacter: rng.pick(triggers) } : { triggerKind: 1 };
    return [{ method: 'textDocument/completion', params: { textDocument: { uri }, position: randomPos(text, rng), context }, check: rangesOutside(uri, ['range', 'insert', 'replace']) }];
  },
  definitionProvider: (uri, text, rng) => [
    { method: 'textDocument/definition', params: { textDocument: { uri }, position: randomPos(text, rng) }, check: rangesOutside(uri, RANGES) },
  ],
  declarationProvider: (uri, text, rng) => [{ method: 'textDocument/declaration', params: { textDocument: { uri }, position: randomPos(text, rng) } }],
  typeDefinitionProvider: (uri, text, rng) => [{ method: 'textDocument/typeDefinition', params: { textDocument: { uri }, position: randomPos(text, rng) } }],
  implementationProvider: (uri, text, rng) => [{ method: 'textDocument/implementation', params: { textDocument: { uri }, position: randomPos(text, rng) } }],
  referencesProvider: (uri, text, rng) => [
    {
      method: 'textDocument/references',
      params: { textDocument: { uri }, position: randomPos(text, rng), context: { includeDeclaration: rng.chance(0.5) } },
      check: rangesOutside(uri, RANGES),
    },
  ],
  documentHighlightProvider: (uri, text, rng) => [
    { method: 'textDocument/documentHighlight', params: { textDocument: { uri }, position: randomPos(text, rng) }, check: rangesOutside(uri, RANGES) },
  ],
  documentSymbolProvider: (uri) => [{ method: 'textDocument/documentSymbol', params: { textDocument: { uri } }, check: rangesOutside(uri, RANGES) }],
  workspaceSymbolProvider: (_uri, _text, rng) => [{ method: 'workspace/symbol', params: { query: rng.pick(['', 'a', 'key', 'ssh', 'gen', '\u0000', '.*']) } }],
  codeLensProvider: (uri) => [{ method: 'textDocument/codeLens', params: { textDocument: { uri } }, check: rangesOutside(uri, RANGES) }],
  codeActionProvider: (uri, text, rng) => [
    { method: 'textDocument/codeAction', params: { textDocument: { uri }, range: randomRange(text, rng), context: { diagnostics: [], triggerKind: 1 } } },
  ],
  renameProvider: (uri, text, rng, caps) => {
    const position = randomPos(text, rng);
    const prepare = typeof caps.renameProvider === 'object' && (caps.renameProvider as { prepareProvider?: boolean }).prepareProvider;
    const cases: RequestCase[] = [{ method: 'textDocument/rename', params: { textDocument: { uri }, position, newName: rng.pick(['x', 'new-name', 'a b', '"', '']) } }];
    if (prepare) cases.unshift({ method: 'textDocument/prepareRename', params: { textDocument: { uri }, position } });
    return cases;
  },
  foldingRangeProvider: (uri) => [{ method: 'textDocument/foldingRange', params: { textDocument: { uri } } }],
  selectionRangeProvider: (uri, text, rng) => [
    { method: 'textDocument/selectionRange', params: { textDocument: { uri }, positions: [randomPos(text, rng)] }, check: rangesOutside(uri, ['range']) },
  ],
  signatureHelpProvider: (uri, text, rng) => [{ method: 'textDocument/signatureHelp', params: { textDocument: { uri }, position: randomPos(text, rng) } }],
  inlayHintProvider: (uri, text, rng) => [{ method: 'textDocument/inlayHint', params: { textDocument: { uri }, range: randomRange(text, rng) } }],
  documentLinkProvider: (uri) => [{ method: 'textDocument/documentLink', params: { textDocument: { uri } }, check: rangesOutside(uri, ['range']) }],
  semanticTokensProvider: (uri) => [{ method: 'textDocument/semanticTokens/full', params: { textDocument: { uri } } }],
  diagnosticProvider: (uri) => [{ method: 'textDocument/diagnostic', params: { textDocument: { uri } } }],
};

/** The builders for the capabilities the server announced. */
export function announced(caps: Record<string, unknown>): { name: string; build: Builder }[] {
  return Object.entries(BUILDERS)
    .filter(([name]) => caps[name] !== undefined && caps[name] !== false && caps[name] !== null)
    .map(([name, build]) => ({ name, build }));
}
