// JSON with the keys in the order written (sops's MAC follows document order): the same values as
// JSON.parse for every form of JSON, integer-like keys and duplicates where they stand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOrderedJson, type JsonNode } from '../../server/src/secrets/orderedJson';

/** Back to plain values, as JSON.parse would give them (the last of duplicate keys wins there). */
function plain(n: JsonNode): unknown {
  if (n.t === 'value') return n.value;
  if (n.t === 'array') return n.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const [k, v] of n.entries) out[k] = plain(v);
  return out;
}

test('the same values as JSON.parse: every form, any whitespace (CRLF too), escapes, empty containers, a bare literal', () => {
  const texts = [
    '{"data":"ENC[x]","sops":{"age":[{"recipient":"age1","enc":"-----BEGIN\\n"}],"mac":"m"}}',
    '{\r\n\t"a" : [ 1 , -2.5e3 , true , false , null ] ,\r\n\t"b" : { }\r\n}\r\n',
    '{ "q\\"uote": "back\\\\slash\\"", "u": "\\u00e9\\n", "nested": [[], {}, [{}], [ ]] }',
    '{}',
    '[]',
    '"text"',
    '5',
    ' 17 ',
    'null',
    'true',
  ];
  for (const t of texts) assert.deepEqual(plain(parseOrderedJson(t)), JSON.parse(t), t);
});

test('keys in document order, integer-like ones included; duplicates kept', () => {
  const doc = parseOrderedJson('{"data":1,"10":2,"0":3,"data":4}');
  assert.equal(doc.t, 'object');
  assert.deepEqual(doc.t === 'object' ? doc.entries.map(([k, v]) => [k, plain(v)]) : null, [['data', 1], ['10', 2], ['0', 3], ['data', 4]]);
});

test('bad JSON is refused with the engine\'s error', () => {
  for (const bad of ['{', '{"a":}', '[1,]', '', 'nope']) assert.throws(() => parseOrderedJson(bad), SyntaxError, bad);
});
