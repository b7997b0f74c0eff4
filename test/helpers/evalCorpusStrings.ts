// Corpus cases for indented strings (compared with nix-instantiate by test/unit/eval-nix.test.ts),
// written from the rules of Nix's lexer for `''...''`: text is `([^$']|\$[^{']|'[^'$])+`; a `$`
// or `'` that cannot start such text is the character itself; `''$` is `$`, `'''` is `''`, `''\c`
// is the escaped character, `''` ends the string; leading indentation is measured on text only
// and then stripped from every token (escapes and interpolations end a line's leading spaces).
const q = "''";
const i = (s: string) => '${' + s + '}';

/** What the string built-ins coerce: strings, paths, sets with outPath or __toString; numbers, lists and the rest not (toString does). */
export const STRING_COERCION_CASES: string[] = [
  'builtins.stringLength 12',
  'builtins.substring 0 1 12',
  'baseNameOf 12',
  'dirOf 12',
  'builtins.stringLength [ "a" ]',
  '[ (dirOf { outPath = ./registry-plain.nix; }) (baseNameOf { outPath = ./registry-plain.nix; }) ]',
];

/** Strings are bytes in Nix: built-ins that count or cut count UTF-8 bytes. */
export const BYTE_STRING_CASES: string[] = [
  'builtins.replaceStrings [ "é" "ü" ] [ "e" "u" ] "résumé über"',
  'builtins.replaceStrings [ "" ] [ "-" ] "ab"',
  '[ (builtins.stringLength "😀") (builtins.substring 0 4 "😀x") ("é" < "z") ]',
  // a length of 0 is the empty string wherever it starts, in ASCII and in multi-byte text
  '[ (builtins.substring 1 0 "hello") (builtins.substring 5 0 "hello") (builtins.substring 9 0 "hello") (builtins.substring 0 0 "") (builtins.substring 2 0 "é😀x") ]',
];

export const INDENTED_STRING_CASES: string[] = [
  // a lone ' right before an interpolation, at every place a text part can start
  `${q}'${i('"v"')}${q}`,
  `${q}${q}'${i('"v"')}${q}`,
  `${q}${q}${q}${i('"v"')}${q}`,
  `${q}a ${q}${q}${i('"b"')} c${q}`,
  `${q}${i('"a"')}'${i('"b"')}${q}`,
  `${q}${q}$'${i('"b"')}${q}`,
  `${q}${q}\\t'${i('"b"')}${q}`,
  `${q}
    '${i('"at line start"')}
      x
  ${q}`,
  `${q}
      ${q}${q}'${i('"deeper"')}
    y
  ${q}`,
  `let v = "V"; in ${q}${q}${q}'${i('v')}${q}${q}${q}${i('v')}${q}`,
  `${q}${q}${q}${q}${q}${q}${i('"six quotes"')}${q}`,
  `${q}'${i('1 + 1')}${q}`,
  `${q}${q}${q}${q}${i('throw "thrown after the quotes"')}${q}`,
  // each escape on its own
  `${q}a${q}'b${q}`,
  `${q}${q}'${q}`,
  `${q}cost: ${q}$5${q}`,
  `${q}${q}$${q}$${q}`,
  `${q}keep ${q}\${literal} text${q}`,
  `${q}${q}\\n${q}\\r${q}\\t${q}\\\\${q}\\q${q}`,
  `${q}line${q}\\
next${q}`,
  // dollars and quotes that are plain text
  `${q}$$${i('"x"')}${q}`,
  `${q}$${i('"x"')}${q}`,
  `${q}$'x'$${q}`,
  `${q}a'$'b${q}`,
  `${q}a'b''\${c}${q}`,
  // escapes and interpolations end the leading whitespace of their line
  `${q}
      ${q}\\ a
    b
  ${q}`,
  `${q}
    ${q}\\ 
    ${q}'
  ${q}`,
  `${q}
      ${i('"i"')}
    ${q}$
  ${q}`,
  `${q}
    a
   ${q}\\tb
  ${q}`,
];
