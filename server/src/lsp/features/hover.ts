// Hover: documentation of generator options, summaries of generators, files, registry keys and
// the `$out` / `$in` / `$prompts` paths of scripts.
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { generationOffer, generatorView, livePlacements } from '../../model/generatorView/generatorView';
import { hoverFor, optionHover } from '../../ide/hoverText';
import type { ClanModel } from '../../model/clanModel';
import { GENERATE_COMMAND, type GenerateArgs } from './codeLens';
import { symbolAt } from '../../ide/symbolAt';
import { generatorPath, textContext } from '../../ide/textContext';
import { requestHandler, type Feature, type ServerContext } from './context';
import { locate, markup, offsetIn, toLspRange } from './locate';
import { LineIndex } from '../../base/lineIndex';
import { markdownText } from '../../base/printable';

/** Under the hover of a symbol while a scan is under way. */
export const SCANNING_NOTE = '_The workspace is still being read: what the files not read yet say is missing here._';

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register(ctx: ServerContext) {
    ctx.connection.onHover(requestHandler(ctx, 'hover', (p: HoverParams) => hover(ctx, p), 'indexed'));
  },
};

function hover(ctx: ServerContext, p: HoverParams): Hover | null {
  const at = locate(ctx, p.textDocument.uri);
  if (!at?.facts) return null;
  const sym = symbolAt(at.facts, p.position);
  if (sym) {
    let text = hoverFor(at.clan, sym);
    // during a scan, what other files say is known in part: said so, and nothing is offered to run on it
    if (text && ctx.scans.underWay) text += `\n\n${SCANNING_NOTE}`;
    else if (text && sym.kind === 'generator' && sym.literal && ctx.clientCapabilities.markdown && ctx.clientCapabilities.commands.includes(GENERATE_COMMAND)) {
      text = withGenerateLinks(text, at.clan, sym.name);
    }
    return text ? { contents: markup(ctx, text), range: toLspRange(sym.range) } : null;
  }
  // Option keys the model does not record (containers such as `files`, `prompts`, `display`,
  // and `secretStore`): read the attribute path from the open document's text.
  if (!at.doc) return null;
  const offset = offsetIn(at.doc, p.position);
  const text = at.doc.text;
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_\-']/.test(text[end])) end++;
  const ctxt = textContext(text, end);
  if (ctxt.frame.state !== 'key' || !ctxt.word || !/^\s*[.={]/.test(text.slice(end, end + 40))) return null;
  const keyPath = [...ctxt.path, ...ctxt.frame.stmt];
  const gp = generatorPath(keyPath);
  const doc = gp ? optionHover(gp.rest) : keyPath.slice(-3, -1).join('.') === 'vars.settings' ? optionHover([keyPath[keyPath.length - 1]]) : null;
  if (!doc) return null;
  const lines = new LineIndex(text);
  const start = at.doc ? lines.positionAt(ctxt.wordStart) : p.position;
  return { contents: markup(ctx, doc), range: { start, end: lines.positionAt(end) } };
}

/**
 * Generate / Regenerate as links under the title, for an editor that runs `clanVars.generate`
 * (announced only in a trusted workspace); the same target machine as the code lens.
 */
function withGenerateLinks(text: string, clan: ClanModel, name: string): string {
  const v = generatorView(clan, name);
  if (!v.declarations.length) return text;
  if (livePlacements(v).length === 0) return text;
  const offer = generationOffer(v);
  // the machine's name inside the link's text: escaped, so it cannot close the link and open another
  const on = offer.machine ? ` on ${markdownText(offer.machine)}` : '';
  const link = (title: string, regenerate: boolean) => {
    const args: GenerateArgs[] = [{ generator: name, machine: offer.machine, regenerate }];
    return `[${title}${on}](command:${GENERATE_COMMAND}?${encodeURIComponent(JSON.stringify(args))})`;
  };
  const links = [offer.generate ? link('Generate', false) : null, offer.regenerate ? link('Regenerate', true) : null].filter(Boolean).join(' · ');
  // right under the title line: the first thing after the name
  const title = text.indexOf('\n');
  return title === -1 ? `${text}\n\n${links}` : `${text.slice(0, title)}\n\n${links}${text.slice(title)}`;
}
