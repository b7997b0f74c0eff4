// The quick fix of unknown-registry-key that adds the missing key to the secret registry, from what
// a clan user sees: the entry text it inserts imitates the registry's last entry (its key, its
// generator name, its environment variable and description adapted to the new key), or is a plain
// `key = { generator = "key"; };` when the registry has no entry to imitate or the entry's
// generator name is not a literal.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { analyzeFolder } from '../../server/src/cli/analyzeFolder';
import type { Fix } from '../../server/src/base/types';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { removeTree, writeTree } from '../helpers/tempClan';

const roots: string[] = [];
after(() => roots.forEach(removeTree));

const REGISTRY = 'lib/secret-registry.nix';
const MATRIX = 'lib/machine-env-matrix.nix';

/** The fix adding `key` to a clan with this registry whose machine lea lists `key`, and the rule failures logged. */
async function stubFix(registry: string, key: string): Promise<{ root: string; fix: Fix | undefined; failures: string[] }> {
  const root = writeTree({ 'flake.nix': '{ }', [REGISTRY]: registry, [MATRIX]: `{\n  lea = [ ${JSON.stringify(key)} ];\n}\n` });
  roots.push(root);
  const log: string[] = [];
  const { problems } = await analyzeFolder(root, DEFAULT_SETTINGS, (l) => log.push(l));
  const ps = problems.filter((p) => p.code === 'unknown-registry-key');
  const failures = log.filter((l) => /^rule \S+ failed/.test(l));
  assert.equal(ps.length, 1, `one finding expected; log: ${failures.join('\n')}`);
  return { root, fix: ps[0].fixes?.find((f) => f.title.startsWith('Add ')), failures };
}

/** The inserted text of the fix adding `key` to this registry. */
async function stubText(registry: string, key: string): Promise<string | undefined> {
  const { fix, failures } = await stubFix(registry, key);
  assert.deepEqual(failures, []);
  return fix?.edits[0].newText;
}

test('an empty registry: a plain entry naming the generator after the key, inserted before the closing brace', async () => {
  const { root, fix, failures } = await stubFix('{\n}\n', 'mistral');
  assert.deepEqual(failures, []);
  assert.deepEqual(fix, {
    title: "Add 'mistral' to the secret registry",
    edits: [{ file: path.join(root, REGISTRY), range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '  mistral = { generator = "mistral"; };\n' }],
    safe: false,
  });
});

test('a key that is not a plain name is quoted, in a plain entry too', async () => {
  assert.equal(await stubText('{\n}\n', 'mistral.ai'), '  "mistral.ai" = { generator = "mistral.ai"; };\n');
});

test('the last entry imitated: key, generator name, environment variable (upper case, runs of separators as one underscore) and description adapted', async () => {
  const registry = `{
  openrouter = { generator = "openrouter-api-key"; };
  open--router = mkPromptedSecret { generator = "open--router-api-key"; envVar = "OPEN_ROUTER_API_KEY"; description = "Open Router"; };
}
`;
  assert.equal(
    await stubText(registry, 'mistral--ai'),
    '  mistral--ai = mkPromptedSecret { generator = "mistral--ai-api-key"; envVar = "MISTRAL_AI_API_KEY"; description = "mistral--ai"; };\n',
  );
  assert.equal(
    await stubText(registry, 'mistral-ai'),
    '  mistral-ai = mkPromptedSecret { generator = "mistral-ai-api-key"; envVar = "MISTRAL_AI_API_KEY"; description = "mistral-ai"; };\n',
  );
});

test('fields written without spaces around = are adapted all the same', async () => {
  const registry = '{\n  open-router = { generator="open-router-api-key"; envVar="OPEN_ROUTER_API_KEY"; description="Open Router"; };\n}\n';
  assert.equal(
    await stubText(registry, 'mistral'),
    '  mistral = { generator="mistral-api-key"; envVar="MISTRAL_API_KEY"; description="mistral"; };\n',
  );
});

test('fields written with several spaces around = keep them', async () => {
  const registry = '{\n  openrouter = {\n    generator  =  "openrouter-api-key";\n    envVar  =  "OPENROUTER_API_KEY";\n    description  =  "OpenRouter";\n  };\n}\n';
  assert.equal(
    await stubText(registry, 'mistral'),
    '  mistral = {\n    generator  =  "mistral-api-key";\n    envVar  =  "MISTRAL_API_KEY";\n    description  =  "mistral";\n  };\n',
  );
});

test('an environment variable that does not start with the imitated key becomes null; a generator name that does not start with it becomes the key', async () => {
  const registry = '{\n  openrouter = { generator = "or-token"; envVar = "OR_TOKEN"; };\n}\n';
  assert.equal(await stubText(registry, 'mistral'), '  mistral = { generator = "mistral"; envVar = null; };\n');
});

test('an environment variable of one character, and an empty description, are adapted too', async () => {
  const registry = '{\n  x = { generator = "x"; envVar = "X"; description = ""; };\n}\n';
  assert.equal(await stubText(registry, 'mistral'), '  mistral = { generator = "mistral"; envVar = "MISTRAL"; description = "mistral"; };\n');
});

test('a quoted key with a space in the imitated entry is replaced as a whole', async () => {
  const registry = '{\n  "open router" = { generator = "open router-api-key"; envVar = "OPEN_ROUTER_API_KEY"; };\n}\n';
  assert.equal(await stubText(registry, 'mistral'), '  mistral = { generator = "mistral-api-key"; envVar = "MISTRAL_API_KEY"; };\n');
});

test('a last entry whose generator name is computed: a plain entry instead, whatever the entries before it', async () => {
  const registry = '{\n  openrouter = { generator = "openrouter-api-key"; };\n  deepseek = mkPromptedSecret { generator = "${prefix}-api-key"; envVar = "DEEPSEEK_API_KEY"; };\n}\n';
  assert.equal(await stubText(registry, 'mistral'), '  mistral = { generator = "mistral"; };\n');
});

test('a last entry with no generator at all: imitated, its other fields adapted', async () => {
  const registry = '{\n  openrouter = { envVar = "OPENROUTER_API_KEY"; };\n}\n';
  assert.equal(await stubText(registry, 'mistral'), '  mistral = { envVar = "MISTRAL_API_KEY"; };\n');
});

test('entries that are no entry to copy (a throw, a name, null) are passed over: the last real entry is imitated', async () => {
  const registry = '{\n  openrouter = mkPromptedSecret { generator = "openrouter-api-key"; };\n  gmail = throw "gone";\n  legacy = builtins.abort "moved";\n  other = shared;\n  none = null;\n}\n';
  assert.equal(await stubText(registry, 'mistral'), '  mistral = mkPromptedSecret { generator = "mistral-api-key"; };\n');
  // none at all: a plain entry
  assert.equal(await stubText('{\n  gmail = throw "gone";\n}\n', 'mistral'), '  mistral = { generator = "mistral"; };\n');
});
