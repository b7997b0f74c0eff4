// Explicit scope assertions for the constructs that matter most, independent of the snapshots.
// A probe is a substring of the text; we look at the token under its first character.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tokenize, type TokenizeOptions } from './tokenize';

const SHELL = 'meta.embedded.block.shellscript.nix.clan-vars';
const CLAN_VAR = 'variable.language.clan-vars.shell';
const INTERPOLATION = 'meta.interpolation.nix';
const ESCAPE = 'constant.character.escape.nix';

/** Scopes of the token under the first character of `probe` (its `nth` occurrence) in `text`. */
async function scopesAt(text: string, probe: string, nth = 0, options?: TokenizeOptions): Promise<string[]> {
  const lines = await tokenize(text, options);
  const source = text.split('\n');
  let seen = 0;
  for (let line = 0; line < source.length; line++) {
    let from = 0;
    for (;;) {
      const at = source[line].indexOf(probe, from);
      if (at < 0) break;
      if (seen++ === nth) {
        const token = lines[line].find((t) => t.start <= at && at < t.start + Math.max(t.text.length, 1));
        assert.ok(token, `no token at ${line}:${at}`);
        return token.scopes;
      }
      from = at + 1;
    }
  }
  throw new Error(`probe ${JSON.stringify(probe)} #${nth} not found`);
}

const generator = [
  '{ pkgs, ... }:',
  '{',
  '  clan.core.vars.generators.demo = {',
  '    script = \'\'',
  '      cp "$in/dep/key" $out/key',
  '      cat $prompts/secret | ${pkgs.gnused}/bin/sed s/a/b/ > "$out/value"',
  '      echo $outdir $input ${"quoted ${"nested"}"} \'\'\'',
  '    \'\';',
  '    files.key = { };',
  '  };',
  '}',
].join('\n');

const hosts: [string, TokenizeOptions][] = [
  ['own grammar with shell', {}],
  ['own grammar, no shell grammar installed', { withShell: false }],
  ['another extension owning source.nix', { rootScope: 'source.nix' }],
];

for (const [name, options] of hosts) {
  describe(`script injection: ${name}`, () => {
    test('$out, $in and $prompts get the clan variable scope', async () => {
      for (const probe of ['$in/', '$out/key', '$prompts', '$out/value']) {
        const scopes = await scopesAt(generator, probe, 0, options);
        assert.ok(scopes.includes(CLAN_VAR), `${probe}: ${scopes.join(' ')}`);
        assert.ok(scopes.includes(SHELL), `${probe} is inside the shell region`);
      }
      const after = await scopesAt(generator, 'out/key', 0, options);
      assert.ok(after.includes(CLAN_VAR), 'the name after $ is part of the variable');
    });

    test('longer names that merely start with out/in are not clan variables', async () => {
      for (const probe of ['$outdir', '$input']) {
        assert.ok(!(await scopesAt(generator, probe, 0, options)).includes(CLAN_VAR), probe);
      }
    });

    test('${...} inside the script is a Nix interpolation with Nix scopes', async () => {
      const open = await scopesAt(generator, '${pkgs', 0, options);
      assert.ok(open.includes('punctuation.section.interpolation.begin.nix'), open.join(' '));
      const member = await scopesAt(generator, 'gnused', 0, options);
      assert.ok(member.includes(INTERPOLATION) && member.includes('variable.other.member.nix'), member.join(' '));
      const nested = await scopesAt(generator, 'nested', 0, options);
      assert.ok(nested.includes('string.quoted.double.nix') && nested.includes(INTERPOLATION), nested.join(' '));
    });

    test("the region starts after script = '' and ends at the closing ''", async () => {
      const open = await scopesAt(generator, "''", 0, options);
      assert.ok(open.includes('punctuation.definition.string.begin.nix'), open.join(' '));
      assert.ok(!open.includes(SHELL), 'the delimiter itself is Nix');
      const escaped = await scopesAt(generator, "'''", 0, options);
      assert.ok(escaped.includes(ESCAPE) && escaped.includes(SHELL), `''' is an escape: ${escaped.join(' ')}`);
      const close = await scopesAt(generator, "'';", 0, options);
      assert.ok(close.includes('punctuation.definition.string.end.nix'), close.join(' '));
      const next = await scopesAt(generator, 'files.key', 0, options);
      assert.ok(!next.some((s) => s.includes('shellscript')), `Nix again after the script: ${next.join(' ')}`);
    });
  });
}

describe('indented string escapes', () => {
  const text = "{\n  a = ''\n    x ''${notNix} y ''' z ''\\n ${real}\n  '';\n}";

  test("''${ is an escape, not an interpolation", async () => {
    const scopes = await scopesAt(text, "''${");
    assert.ok(scopes.includes(ESCAPE), scopes.join(' '));
    const name = await scopesAt(text, 'notNix');
    assert.ok(!name.includes(INTERPOLATION), `notNix is plain text: ${name.join(' ')}`);
  });

  test("''' and ''\\n are escapes and do not end the string", async () => {
    for (const probe of ["''' z", "''\\n"]) {
      const scopes = await scopesAt(text, probe);
      assert.ok(scopes.includes(ESCAPE), `${probe}: ${scopes.join(' ')}`);
    }
    const real = await scopesAt(text, 'real');
    assert.ok(real.includes(INTERPOLATION) && real.includes('string.quoted.other.indented.nix'), real.join(' '));
  });

  test("in a script, ''${HOME} reaches bash as a parameter expansion", async () => {
    const script = "{\n  script = ''\n    echo ''${HOME}\n  '';\n}";
    assert.ok((await scopesAt(script, "''${")).includes(ESCAPE));
    const home = await scopesAt(script, 'HOME');
    assert.ok(home.includes('variable.other.bracket.shell') && !home.includes(INTERPOLATION), home.join(' '));
  });
});

describe('where the shell injection does not apply', () => {
  test('other attributes and names that only end in "script" stay plain strings', async () => {
    const text = "{\n  preStart = ''echo $out'';\n  my-script = ''echo $out'';\n  script = \"echo $out\";\n}";
    for (let nth = 0; nth < 3; nth++) {
      const scopes = await scopesAt(text, '$out', nth);
      assert.ok(!scopes.includes(CLAN_VAR) && !scopes.includes(SHELL), `#${nth}: ${scopes.join(' ')}`);
    }
  });

  test('$out inside shell single quotes is literal for bash', async () => {
    const text = "{\n  script = ''\n    echo '$out' $out\n  '';\n}";
    assert.ok(!(await scopesAt(text, '$out', 0)).includes(CLAN_VAR));
    assert.ok((await scopesAt(text, '$out', 1)).includes(CLAN_VAR));
  });
});
