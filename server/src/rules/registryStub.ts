// A new registry entry in the registry's own style: the last entry's text with the key, the
// generator name and the environment variable adapted (`openrouter` -> `openrouter-api-key`
// becomes `mistral` -> `mistral-api-key`).
import { bindingInsertion } from '../facts/editRanges';
import type { Fix } from '../base/types';
import type { RegistryFacts } from '../facts/types';
import { attrName } from '../syntax/syntax';

export function registryStubFix(file: string, facts: RegistryFacts, key: string): Fix | null {
  const style = facts.style;
  if (!style) return null;
  let text = `${attrName(key)} = { generator = ${JSON.stringify(key)}; };`;
  const old = style.templateKey;
  if (style.template && old) {
    const entry = facts.entries.find((e) => e.key === old);
    const envOld = old.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    const envNew = key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    text = style.template
      .replace(/^("[^"]*"|[^\s=]+)/, attrName(key))
      .replace(/(\bgenerator\s*=\s*)"([^"]*)"/, (_, lhs: string, g: string) => `${lhs}"${g.startsWith(old) ? key + g.slice(old.length) : key}"`)
      .replace(/(\benvVar\s*=\s*)"([^"]*)"/, (_, lhs: string, v: string) => (v.startsWith(envOld) ? `${lhs}"${envNew}${v.slice(envOld.length)}"` : `${lhs}null`))
      .replace(/(\bdescription\s*=\s*)"([^"]*)"/, (_, lhs: string) => `${lhs}${JSON.stringify(key)}`);
    if (entry?.generator?.name === null) text = `${attrName(key)} = { generator = ${JSON.stringify(key)}; };`;
  }
  const at = { position: style.insertAt, indent: style.indent || null };
  return { title: `Add '${key}' to the secret registry`, edits: [{ file, range: { start: at.position, end: at.position }, newText: bindingInsertion(at, text) }], safe: false };
}
