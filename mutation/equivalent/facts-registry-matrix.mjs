// Equivalent survivors of the facts folder, registry.ts and matrix.ts (see ../equivalent.mjs).
// "Broken text" claims about the tree were checked on 30,000 randomly edited registries and
// matrices: no binding without its attrpath or expression, no let without its body, no inherit (x)
// without its x, no binary expression without its operator, no attrpath field in an ERROR node.
import { eq } from './eq.mjs';

const R = 'server/src/facts/registry.ts';
const M = 'server/src/facts/matrix.ts';

// both files
const NOT_A_BINDING = "a binding set's other children are comments and, in a text with syntax errors, ERROR nodes: neither has an attrpath field or inherited names, so each gives no entry (no machine), and what the cache keeps for it is keyed by a comment's text, which no binding's text equals";
const ALWAYS_OPERATOR = 'a binary expression always has its operator (the token that makes it one), even in broken text';

// registry.ts
const OUTSIDE_PREFIX = "the text outside the sets is only compared with the last version's, made the same way: the same text in front of both changes no comparison";
const UNSORTED = 'the sets in the order topLevel found them (not sorted by place): `at` still moves only over the text between the sets or over a set, so every character outside the sets stays in the string and only some sets\' text is added; the cache is dropped more often, never kept more, and a binding read again gives equal entries';
const NOTHING_UNDER_EMPTY = "nothing is ever kept under the file name '' (a cache is set only with a file name), so deleting it changes nothing";
const SYMBOL_NAME = "the name is only the Symbol's description: the value is found by the Symbol itself";
const ONE_NAME = 'an attrpath of one name has no comment inside it (a comment after the name belongs to the binding): with or without the comments it counts 1 exactly when it has one name, and a longer path counts 2 or more either way';
const ALWAYS_ATTRPATH = 'a binding always has its attrpath, even in broken text, so the empty list is never used';
const UNDEFINED_GEN = 'without a generator field fields.get gives undefined, and unparen(undefined) is undefined: the generator stays null either way';
const ONLY_BINARY_MERGE = 'no other node has `//` as its operator field (unary expressions have `-` or `!`, has-attr ones `?`; most have none)';

// matrix.ts
const ALWAYS_VALUE = 'a binding always has its expression and a let its body, even in broken text (tree-sitter inserts a MISSING token, still a node): the value is never null';
const SEVERAL_SETS = "with several sets (a `//` of them) the cache keyed by the text outside the first holds the other sets' text too, so a binding is reused only when all around it is unchanged; sets merged by `//` cannot read each other's bindings, so its keys are its machine's alone as in one set: the same keys, with more objects kept";
const NULL_CONTEXT = 'a cache is kept only with a context (a string): a null context never equals the last one, so nothing is reused either way';
const READ_AGAIN = "an unchanged binding read again instead of reused: the reading is the same (its text, place and context are), and keepEqualKeys and the last extraction's keys give back equal key objects; only the work and which objects are shared differ";
const OWN = "whether a key written inside a machine's binding is taken as its own ({ key, range, [machine] }) or reached through `outside` (addKeyRef) gives the same key in the same order: such a place is reached by that binding alone (a binding another one reads is a helper, never a machine), and a repeat of the place is dropped either way";
const OWN_COUNT = 'entry.own is only set for an entry of one candidate (readEntry): asking the count again changes nothing, and not using own at all reaches every key through `outside`, which gives equal keys';
const BEFORE = "with this `before` a key outside the binding still tests outside (for each place before or after it, one of the two comparisons stays true, case by case); a key inside that now tests outside is reached through `outside`, which gives an equal key (see the own keys above)";
const DISTINCT_STARTS = "the entries kept for one version are that version's bindings of one set, each at a place of its own: no start is met twice, so the test is always true";
const PAST_END = 'own[own.length] is undefined, and an undefined key is skipped';
const USED_REPLACED = 'entry.used is replaced by the names found (a few lines down) before anything reads it';
const LIST_CACHE = "how much the plain-lists cache keeps changes no answer: a list it no longer has is read again, to equal refs; only memory and work differ";
const STRING_PLACE = "an extra first element is a string: its `.at` is a method, never a position equal to a list's, so it is never found as a place; the place copied from is the last one pushed, a real one (only memory differs)";
const NAMED_STRING = 'a string element of `named` has no `value` and no `name`: withSetBindings skips it, and the search of fromSet by name never matches it';
const NO_ATTRPATH = 'inherits, comments and ERROR nodes have no attrpath field child (inherit has `attrs`, inherit (x) `expression`), so bindingAt gives null for them';
const ONLY_AGAIN = 'bindingAt tests the name against `only` again before it answers: going on through the binding only finds its expression, then answers null';
const SINGLE_PART = 'an attrpath of one name has no `.` and no comment inside it: it counts one part either way, and a longer path counts two or more either way';
const IDENTIFIER_TEXT = "nameRefOf of an identifier gives its text, the cursor's nodeText";
const REF_MACHINES = "a ref's machines are never read: the keys are made anew from a ref's key and range";
const CURSOR_DELETE = 'FlatCursor.delete() does nothing (syntax/flatTree.ts)';

export default [
  // registry.ts
  // 28:13
  eq(R, 'StringLiteral', "''", "\"Stryker was here!\"", OUTSIDE_PREFIX, 'outsideSets'),
  // 30:21
  eq(R, 'MethodExpression', "[...sets].sort((a, b) => a.startIndex - b.startIndex)", "[...sets]", UNSORTED, 'outsideSets'),
  // 30:36
  eq(R, 'ArrowFunction', "(a, b) => a.startIndex - b.startIndex", "() => undefined", UNSORTED, 'outsideSets'),
  // 30:46
  eq(R, 'ArithmeticOperator', "a.startIndex - b.startIndex", "a.startIndex + b.startIndex", UNSORTED, 'outsideSets'),
  // 57:11
  eq(R, 'ConditionalExpression', "type !== 'binding' && type !== 'inherit' && type !== 'inherit_from'", "false", NOT_A_BINDING, 'extractRegistry'),
  // 73:12
  eq(R, 'ConditionalExpression', "file", "true", NOTHING_UNDER_EMPTY, 'extractRegistry'),
  // 82:71
  eq(R, 'StringLiteral', "'entriesByKey'", "\"\"", SYMBOL_NAME, '(module)'),
  // 96:22
  eq(R, 'MethodExpression', "ap.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')", "ap.namedChildren", ONE_NAME, 'bindingEntries'),
  // 96:64
  eq(R, 'ConditionalExpression', "!!c && c.type !== 'comment'", "true", ONE_NAME, 'bindingEntries'),
  // 96:64
  eq(R, 'LogicalOperator', "!!c && c.type !== 'comment'", "!!c || c.type !== 'comment'", ONE_NAME, 'bindingEntries'),
  // 96:71
  eq(R, 'ConditionalExpression', "c.type !== 'comment'", "true", ONE_NAME, 'bindingEntries'),
  // 96:82
  eq(R, 'StringLiteral', "'comment'", "\"\"", ONE_NAME, 'bindingEntries'),
  // 96:95
  eq(R, 'ArrayDeclaration', "[]", "[\"Stryker was here\"]", ALWAYS_ATTRPATH, 'bindingEntries'),
  // 110:7
  eq(R, 'ConditionalExpression', "gen", "true", UNDEFINED_GEN, 'entry'),
  // 141:14
  eq(R, 'ConditionalExpression', "n.type === 'binary_expression'", "true", ONLY_BINARY_MERGE, 'entryFields'),
  // 141:48
  eq(R, 'OptionalChaining', "n.childForFieldName('operator')?.text", "n.childForFieldName('operator').text", ALWAYS_OPERATOR, 'entryFields'),

  // matrix.ts
  // 53:9
  eq(M, 'OptionalChaining', "v?.type", "v.type", ALWAYS_VALUE, 'extractMatrix'),
  // 57:9
  // 57:45
  // 63:15
  eq(M, 'ConditionalExpression', "sets.length === 1", "true", SEVERAL_SETS, 'extractMatrix'),
  // 66:17
  eq(M, 'ConditionalExpression', "context !== null", "true", NULL_CONTEXT, 'extractMatrix'),
  // 77:11
  eq(M, 'ConditionalExpression', "type !== 'binding' && type !== 'inherit' && type !== 'inherit_from'", "false", NOT_A_BINDING, 'extractMatrix'),
  // 81:19
  eq(M, 'ConditionalExpression', "hit && samePosition(hit.start, start)", "false", READ_AGAIN, 'extractMatrix'),
  // 82:11
  eq(M, 'ConditionalExpression', "!entry", "true", READ_AGAIN, 'extractMatrix'),
  // 83:90
  // 83:90
  eq(M, 'ConditionalExpression', "context !== null", "false", OWN, 'extractMatrix'),
  // 83:90
  eq(M, 'EqualityOperator', "context !== null", "context === null", OWN, 'extractMatrix'),
  // 110:17
  eq(M, 'ConditionalExpression', "entry.candidates.length === 1", "false", OWN_COUNT, 'extractMatrix'),
  // 110:17
  eq(M, 'ConditionalExpression', "entry.candidates.length === 1", "true", OWN_COUNT, 'extractMatrix'),
  // 110:17
  eq(M, 'EqualityOperator', "entry.candidates.length === 1", "entry.candidates.length !== 1", OWN_COUNT, 'extractMatrix'),
  // 140:41
  eq(M, 'ConditionalExpression', "!byStart.get(e.start)", "true", DISTINCT_STARTS, 'entriesByStart'),
  // 154:19
  eq(M, 'EqualityOperator', "i < own.length", "i <= own.length", PAST_END, 'keepEqualKeys'),
  // 188:90
  // 198:7
  eq(M, 'ConditionalExpression', "own && entry.candidates.length === 1", "false", OWN, 'readEntry'),
  // 198:45
  eq(M, 'BlockStatement', "{ const end = { line: c.endPosition.row, character: c.endPosition.column }; const { machine, refs } = entry.candidates[0]; const seen = new Places<true>(); entry.own = refs.map((r) => { if (before(r.range.start, start) || before(end, r.range.start)) return undefined; if (seen.get(r.range.start)) return null; seen.set(r.range.start, true); return { key: r.key, range: r.range, machines: [machine] }; }); }", "{}", OWN, 'readEntry'),
  // 202:33
  eq(M, 'BlockStatement', "{ if (before(r.range.start, start) || before(end, r.range.start)) return undefined; if (seen.get(r.range.start)) return null; seen.set(r.range.start, true); return { key: r.key, range: r.range, machines: [machine] }; }", "{}", OWN, 'readEntry'),
  // 203:11
  eq(M, 'ConditionalExpression', "before(r.range.start, start) || before(end, r.range.start)", "true", OWN, 'readEntry'),
  // 212:46
  eq(M, 'ConditionalExpression', "a.line < b.line || (a.line === b.line && a.character < b.character)", "true", BEFORE, 'before'),
  // 212:46
  eq(M, 'EqualityOperator', "a.line < b.line", "a.line <= b.line", BEFORE, 'before'),
  // 212:46
  eq(M, 'EqualityOperator', "a.line < b.line", "a.line >= b.line", BEFORE, 'before'),
  // 212:66
  eq(M, 'LogicalOperator', "a.line === b.line && a.character < b.character", "a.line === b.line || a.character < b.character", BEFORE, 'before'),
  // 212:66
  eq(M, 'ConditionalExpression', "a.line === b.line", "true", BEFORE, 'before'),
  // 212:87
  eq(M, 'ConditionalExpression', "a.character < b.character", "true", BEFORE, 'before'),
  // 212:87
  eq(M, 'EqualityOperator', "a.character < b.character", "a.character <= b.character", BEFORE, 'before'),
  // 212:87
  eq(M, 'EqualityOperator', "a.character < b.character", "a.character >= b.character", BEFORE, 'before'),
  // 239:9
  eq(M, 'ConditionalExpression', "plainLists.size >= MAX_PLAIN_LISTS", "false", LIST_CACHE, 'rememberList'),
  // 239:9
  eq(M, 'EqualityOperator', "plainLists.size >= MAX_PLAIN_LISTS", "plainLists.size > MAX_PLAIN_LISTS", LIST_CACHE, 'rememberList'),
  // 241:46
  eq(M, 'ArrayDeclaration', "[]", "[\"Stryker was here\"]", STRING_PLACE, 'rememberList'),
  // 244:7
  eq(M, 'ConditionalExpression', "places.length >= MAX_PLACES_PER_LIST", "false", LIST_CACHE, 'rememberList'),
  // 244:7
  eq(M, 'EqualityOperator', "places.length >= MAX_PLACES_PER_LIST", "places.length > MAX_PLACES_PER_LIST", LIST_CACHE, 'rememberList'),
  // 271:37
  eq(M, 'ArrayDeclaration', "[]", "[\"Stryker was here\"]", NAMED_STRING, 'setBindings'),
  // 271:51
  // 275:14
  eq(M, 'ConditionalExpression', "type === 'binding'", "true", NO_ATTRPATH, 'setBindings'),
  // 287:19
  eq(M, 'ConditionalExpression', "c.nodeType === 'binding'", "true", NO_ATTRPATH, 'envMatrix'),
  // 301:11
  eq(M, 'ConditionalExpression', "only !== undefined && name !== only", "false", ONLY_AGAIN, 'bindingAt'),
  // 314:9
  eq(M, 'ConditionalExpression', "!c.nodeIsNamed || c.nodeType === 'comment'", "false", SINGLE_PART, 'singleName'),
  // 314:9
  eq(M, 'LogicalOperator', "!c.nodeIsNamed || c.nodeType === 'comment'", "!c.nodeIsNamed && c.nodeType === 'comment'", SINGLE_PART, 'singleName'),
  // 314:27
  eq(M, 'ConditionalExpression', "c.nodeType === 'comment'", "false", SINGLE_PART, 'singleName'),
  // 314:42
  eq(M, 'StringLiteral', "'comment'", "\"\"", SINGLE_PART, 'singleName'),
  // 316:12
  eq(M, 'ConditionalExpression', "c.nodeType === 'identifier'", "false", IDENTIFIER_TEXT, 'singleName'),
  // 316:27
  eq(M, 'StringLiteral', "'identifier'", "\"\"", IDENTIFIER_TEXT, 'singleName'),
  // 324:48
  eq(M, 'ConditionalExpression', "value", "true", ALWAYS_VALUE, 'withSetBindings'),
  // 358:217
  eq(M, 'ArrayDeclaration', "[]", "[\"Stryker was here\"]", REF_MACHINES, 'collect'),
  // 365:88
  // 368:17
  eq(M, 'BlockStatement', "{ cursor.delete(); }", "{}", CURSOR_DELETE, 'collect'),
  // 376:11
  eq(M, 'OptionalChaining', "n.childForFieldName('operator')?.text", "n.childForFieldName('operator').text", ALWAYS_OPERATOR, 'collect'),
];
