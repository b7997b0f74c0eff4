// What a Markdown text becomes once rendered (CommonMark with GitHub's tables and autolinks, raw
// HTML allowed, as markdown-it reads it): its links, images, raw HTML, headings and the text shown.
// The hostile-name tests check that no name forms any of these.

interface Token {
  type: string;
  tag: string;
  content: string;
  attrGet(name: string): string | null;
  children: Token[] | null;
}
const MarkdownIt = require('markdown-it') as new (options: object) => { parse(text: string, env: object): Token[] };
const md = new MarkdownIt({ html: true, linkify: true });

export interface MarkdownParts {
  links: string[];
  images: string[];
  html: string[];
  headings: string[];
  /** Every text and code span as shown, entities decoded. */
  shown: string[];
}

export function markdownParts(text: string): MarkdownParts {
  const parts: MarkdownParts = { links: [], images: [], html: [], headings: [], shown: [] };
  let heading = false;
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === 'heading_open') heading = true;
      else if (t.type === 'heading_close') heading = false;
      else if (t.type === 'link_open') parts.links.push(t.attrGet('href') ?? '');
      else if (t.type === 'image') parts.images.push(t.attrGet('src') ?? '');
      else if (t.type === 'html_inline' || t.type === 'html_block') parts.html.push(t.content);
      else if (t.type === 'inline' && heading) parts.headings.push(t.content);
      else if (t.type === 'text' || t.type === 'code_inline' || t.type === 'code_block' || t.type === 'fence') parts.shown.push(t.content);
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(text, {}));
  return parts;
}
