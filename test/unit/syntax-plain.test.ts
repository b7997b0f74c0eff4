// attrPath and stringValue read a plain attrpath (`clan.core.vars.generators."gen-0"`) and a plain
// string (no escapes, no interpolations) from their text instead of their child nodes
// (server/src/syntax/syntax.ts). Both readings must agree on every attrpath and string of the real
// clans in ../shared/corpus and of a file of edge cases, and the plain one must refuse what it
// cannot read (keywords, comments, spaces, escapes, interpolations, non-ASCII names).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { NixParser } from '../../server/src/syntax/nixParser';
import { attrPathOfParts, plainAttrPath, plainStringValue, stringValueOfParts } from '../../server/src/syntax/syntax';
import { REPO_ROOT } from '../helpers/tempClan';

const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

const EDGES = `{
  a.b.c = 1;  a."b.c".d = 2;  a."in".x = 3;  a.in.x = 4;  a.or = 5;  a . b = 6;  a./* c */b = 7;
  a.
    b = 8;
  "ünï"."é".x = 9;  a."x\${y}".z = 10;  a.\${y}.z = 11;  a."q\\"r".s = 12;  a."$".b = 13;  a."".b = 14;
  a'b-c_d.e = 15;  g.if = 16;  f."a\\\\b" = 17;
  x = "plain";  y = "with\\nescape";  z = "multi
line";
  w = ''
    indented
      more
  '';
  v = ''a'''b'';  u = ''x''$y'';  t = "$notinterp";  s = "a$$b";  r = '''';  q = "";  p = "tab\there";
  o = "ü unicode ß";  m = a.b."c d".e;  k = "\${x}";  j = ''  \${x}  '';  i = "\\\${x}";  h = ''a'b'';
  n = ''
\ttabbed
  '';
  e = "unterminated;
}`;

/** What each reading gives for every attrpath and string in `text`; how many the plain one read. */
function compare(parser: NixParser, text: string, where: string, plain: { attrpaths: number; strings: number; refused: string[] }): void {
  const tree = parser.parse(text);
  try {
    for (const n of NixParser.flatten(tree).rootNode.descendantsOfType(['attrpath', 'string_expression', 'indented_string_expression'])) {
      const attrpath = n.type === 'attrpath';
      const fast = attrpath ? plainAttrPath(n.text, n.startPosition) : plainStringValue(n.text, n.type);
      if (fast === null) {
        plain.refused.push(n.text);
        continue;
      }
      plain[attrpath ? 'attrpaths' : 'strings']++;
      assert.deepEqual(fast, attrpath ? attrPathOfParts(n) : stringValueOfParts(n), `${where}: ${n.text}`);
    }
  } finally {
    tree.delete();
  }
}

test('the plain reading of attrpaths and strings agrees with their child nodes on edge cases, and refuses what it cannot read', async () => {
  const parser = await NixParser.load();
  const plain = { attrpaths: 0, strings: 0, refused: [] as string[] };
  compare(parser, EDGES, 'edge cases', plain);
  for (const refused of ['a.in.x', 'a.or', 'a . b', 'a./* c */b', '"ünï"."é".x', 'a."x${y}".z', 'a.${y}.z', 'a."q\\"r".s', 'a."$".b', 'g.if', '"with\\nescape"', "''a'''b''", '"$notinterp"', '"${x}"']) {
    assert.ok(plain.refused.includes(refused), `refused: ${refused} (refused: ${plain.refused.join(' | ')})`);
  }
  assert.ok(plain.attrpaths >= 10 && plain.strings >= 6, JSON.stringify(plain));
});

test('the plain reading of attrpaths and strings agrees with their child nodes on every real clan', { skip: fs.existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, async () => {
  const parser = await NixParser.load();
  const plain = { attrpaths: 0, strings: 0, refused: [] as string[] };
  let files = 0;
  for (const file of fs.readdirSync(CORPUS, { recursive: true }) as string[]) {
    if (!file.endsWith('.nix') || !fs.statSync(path.join(CORPUS, file)).isFile()) continue;
    files++;
    compare(parser, fs.readFileSync(path.join(CORPUS, file), 'utf8'), file, plain);
  }
  assert.ok(files > 1000, `${files} files`);
  // most are plain: what the speed-up is for
  console.log(`${files} files: ${plain.attrpaths} attrpaths and ${plain.strings} strings read plain, ${plain.refused.length} read from their nodes`);
  assert.ok(plain.attrpaths > 40_000 && plain.strings > 10_000, JSON.stringify({ ...plain, refused: plain.refused.length }));
});
