// Equivalent survivors of the facts folder, generatorValues.ts and generatorConditions.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const V = 'server/src/facts/generatorValues.ts';
const C = 'server/src/facts/generatorConditions.ts';
const OPERATOR = 'tree-sitter gives every unary and binary expression its operator (a MISSING token in broken text): it is never null';
const NAME_VALUE_NODE = "nameValue is given only patternSet's body, a function's or a let's body after parentheses, which tree-sitter always gives (a MISSING node in broken text)";
const INHERIT_NO_PATH = 'an inherit has no attrpath: its parts are [], and the next line returns null for it as this one does';
const LAST_NAMED = 'the last name is never null: every caller ends the path with `persist` or with an inherited name it has checked is not null';
const ASSERT_FALLS = 'falling through to the let case reads the body with letScope of a `with` or `assert` node, which adds nothing: only a set or a let has a binding set of its own';
const LAST_UNREAD = 'last is read only when library is true, which needs a name, and the last part of a name is never undefined';
const UNDEFINED_FALSE = "undefined for false: every use of certainlyList's answer is a truth test";
const UNWRAP_GUARD = 'n is never null (the node given, or resolve of an argument), and for a node that is not an application applyParts gives no arguments, so the body returns it unchanged';
const FILTERED = 'the filter keeps only children that are not null, and unparen of a node is a node';
const CONCAT_ONLY_BINARY = 'only a binary expression has a `++` operator (a unary one has `!` or `-`, a `?` test has `?`)';
const SAME_NODE = 'resolve of a node is never null, and the tree keeps one FlatNode per node (FlatTree.node), so r !== n exactly when r.id !== n.id; the same node read again only recurses to the depth limit, which gives the same empty, incomplete list';
const NEVER_PAST_DEPTH = 'a binding always has an attrpath, and every caller (visit, generatorSet, generatorBody) returns before depth passes MAX_DEPTH: these tests are never true here';
const LITERAL_SHORTCUT = "a literal name's pattern is its name again: patternOf reads a plain string's fragments, an indented string's one line without the spaces it starts with (as stringValue strips them), '*' for an identifier, and null for an escape, a `*` or a line break; each gives ref back or a ref equal to it (the same name, no pattern, the same range), so the shortcut for a literal name only saves the walk";
const NAMED_PARTS = 'scopedName gives a named part back as it is (its first line), so parts that are all named come back the same read through it';
const SAME_COUNT = 'the parts reach this line only when one is computed, so they come from attrPathOfParts, which reads the same children with the same filter: the counts are always equal';
const OWN_PATTERN = "patternOf gives a computed name's own pattern only when it has a `*` (a string with an interpolation; it refuses escapes), and the object made then is the ref's name, pattern and range again";
const PATTERN_AND = "a computed name's pattern is never empty, so `&&` compares with '*': patternOf gives '*' only where the ref's pattern is '*' too, and where it gives the ref's own pattern the object made is the ref again";
const HAS_PATTERN = "a computed name always has a pattern (nameRefOf): the '*' after ?? is never read";
const NO_COMMENT_IN_STRING = "a string's children are fragments, escapes and interpolations (a comment is inside an interpolation); only a string left open at the end of the file holds a comment, and tree-sitter puts it under an ERROR node the walk never enters";
const FUNCTION_PRESENT = 'applyParts of an application always gives its function (a MISSING node in broken text), so f is never null';
const ARITY_ZERO = 'an application has at least one argument, so arity 0 already differs from args.length; and body is null only when arity is 0';
const OPERAND = "n is never null: a condition, a `!`'s argument and a binary's operands are always nodes (MISSING ones in broken text)";
const SETTINGS_IS_VARIABLE = 'the only node whose text is `settings` is a variable (a select always has its expression, a MISSING one in broken text)';
const SELECT_EXPRESSION = 'a select always has its expression (a MISSING node in broken text), so base is never null';
const ONLY_UNARY_BANG = 'only a unary expression has a `!` operator (binary ones have `!=`, a `?` test has `?`), and only a binary one `&&`: for any other node the operator test is false either way';
const SELECT_BASE = "a select always has its expression (a MISSING node in broken text), and one whose base is no variable has no text a let binds (a let's name is one identifier): letBound finds nothing either way";
const SELECT_PARTS = 'a select always has at least one attribute after its dot (tree-sitter: a MISSING one in broken text)';
const FUNCTION_PARAMS = 'parameters() of any node but a function is empty: the test is false either way';
const INHERIT = "an `inherit` has no attrpath field: attrPath gives no parts, so its path's length is not 1 and it is passed over either way";
const FUNCTION_FIELDS = 'only a function has a `universal` or `formals` field: for any other node the test is false either way';
const HAS_PARENT = 'a function and a parenthesized expression always have a parent (the root is source_code)';
const NOT_ENTERED = 'besides a binding only a select or a `?` test has an attrpath, and the generator walk never enters a function under one (visit, generatorSet and generatorBody stop there), so no condition it reads is inside one';
const SELECT_BASE_TEXT = "a select's base that is no variable (a call, a set, a string) has a text that is no identifier: every caller compares it with one (`settings`, `roles`, a function's parameter), which it never equals";
const ATTRPATH_PART = "a binding's attrpath has at least one part (a MISSING identifier in broken text)";

export default [
  // nameValue, unknownOption
  eq(V, 'ConditionalExpression', "!node", "false", NAME_VALUE_NODE, 'nameValue'),
  eq(V, 'ConditionalExpression', "b.type !== 'binding'", "false", INHERIT_NO_PATH, 'nameValue'),
  eq(V, 'StringLiteral', "'*'", "\"\"", LAST_NAMED, 'unknownOption'),
  // certainlyList, unwrap
  eq(V, 'OptionalChaining', "n.childForFieldName('operator')?.text", "n.childForFieldName('operator').text", OPERATOR, 'certainlyList'),
  eq(V, 'ConditionalExpression', "case 'assert_expression': return certainlyList(n.childForFieldName('body'), scope, depth + 1);", "case 'assert_expression':", ASSERT_FALLS, 'certainlyList'),
  eq(V, 'StringLiteral', "''", "\"Stryker was here!\"", LAST_UNREAD, 'certainlyList'),
  eq(V, 'ConditionalExpression', "default: return false;", "default:", UNDEFINED_FALSE, 'certainlyList'),
  eq(V, 'ConditionalExpression', "n && n.type === 'apply_expression'", "true", UNWRAP_GUARD, 'unwrap'),
  eq(V, 'LogicalOperator', "n && n.type === 'apply_expression'", "n || n.type === 'apply_expression'", UNWRAP_GUARD, 'unwrap'),
  eq(V, 'ConditionalExpression', "n.type === 'apply_expression'", "true", UNWRAP_GUARD, 'unwrap'),
  // listParts
  eq(V, 'OptionalChaining', "unparen(c)?.type", "unparen(c).type", FILTERED, 'listParts'),
  eq(V, 'ConditionalExpression', "n.type === 'binary_expression'", "true", CONCAT_ONLY_BINARY, 'listParts'),
  eq(V, 'OptionalChaining', "n.childForFieldName('operator')?.text", "n.childForFieldName('operator').text", OPERATOR, 'listParts'),
  eq(V, 'ConditionalExpression', "r && r !== n && r.id !== n.id", "true", SAME_NODE, 'listParts'),
  eq(V, 'LogicalOperator', "r && r !== n && r.id !== n.id", "r && r !== n || r.id !== n.id", SAME_NODE, 'listParts'),
  eq(V, 'ConditionalExpression', "r && r !== n", "true", SAME_NODE, 'listParts'),
  eq(V, 'LogicalOperator', "r && r !== n", "r || r !== n", SAME_NODE, 'listParts'),
  eq(V, 'ConditionalExpression', "r !== n", "true", SAME_NODE, 'listParts'),
  eq(V, 'ConditionalExpression', "r.id !== n.id", "true", SAME_NODE, 'listParts'),
  // partsOf, scopedName
  eq(V, 'ConditionalExpression', "!ap || depth > MAX_DEPTH || parts.every((p) => p.name !== null)", "false", NAMED_PARTS, 'partsOf'),
  eq(V, 'LogicalOperator', "!ap || depth > MAX_DEPTH || parts.every((p) => p.name !== null)", "(!ap || depth > MAX_DEPTH) && parts.every(p => p.name !== null)", NAMED_PARTS, 'partsOf'),
  eq(V, 'ConditionalExpression', "!ap || depth > MAX_DEPTH", "false", NEVER_PAST_DEPTH, 'partsOf'),
  eq(V, 'LogicalOperator', "!ap || depth > MAX_DEPTH", "!ap && depth > MAX_DEPTH", NEVER_PAST_DEPTH, 'partsOf'),
  eq(V, 'ConditionalExpression', "depth > MAX_DEPTH", "false", NEVER_PAST_DEPTH, 'partsOf'),
  eq(V, 'ArrowFunction', "(p) => p.name !== null", "() => undefined", NAMED_PARTS, 'partsOf'),
  eq(V, 'ConditionalExpression', "p.name !== null", "false", NAMED_PARTS, 'partsOf'),
  eq(V, 'ConditionalExpression', "nodes.length === parts.length", "true", SAME_COUNT, 'partsOf'),
  eq(V, 'ConditionalExpression', "ref.name !== null", "false", LITERAL_SHORTCUT, 'scopedName'),
  eq(V, 'ConditionalExpression', "pattern === (ref.pattern ?? '*')", "false", OWN_PATTERN, 'scopedName'),
  eq(V, 'LogicalOperator', "ref.pattern ?? '*'", "ref.pattern && '*'", PATTERN_AND, 'scopedName'),
  eq(V, 'StringLiteral', "'*'", "\"\"", HAS_PATTERN, 'scopedName'),
  // patternOf, appliedPattern
  eq(V, 'ConditionalExpression', "!child || child.type === 'comment'", "false", NO_COMMENT_IN_STRING, 'patternOf'),
  eq(V, 'LogicalOperator', "!child || child.type === 'comment'", "!child && child.type === 'comment'", NO_COMMENT_IN_STRING, 'patternOf'),
  eq(V, 'ConditionalExpression', "child.type === 'comment'", "false", NO_COMMENT_IN_STRING, 'patternOf'),
  eq(V, 'StringLiteral', "'comment'", "\"\"", NO_COMMENT_IN_STRING, 'patternOf'),
  eq(V, 'OptionalChaining', "f?.type", "f.type", FUNCTION_PRESENT, 'appliedPattern'),
  eq(V, 'ConditionalExpression', "!body || arity === 0", "false", ARITY_ZERO, 'appliedPattern'),
  eq(V, 'LogicalOperator', "!body || arity === 0", "!body && arity === 0", ARITY_ZERO, 'appliedPattern'),
  eq(V, 'ConditionalExpression', "arity === 0", "false", ARITY_ZERO, 'appliedPattern'),
  // generatorConditions.ts: optionPath, letBound
  eq(C, 'ConditionalExpression', "base?.type !== 'variable_expression'", 'false', SELECT_BASE, 'optionPath'),
  eq(C, 'OptionalChaining', 'base?.type', 'base.type', SELECT_BASE, 'optionPath'),
  eq(C, 'LogicalOperator', "base?.type !== 'variable_expression' || !parts.length", "base?.type !== 'variable_expression' && !parts.length", SELECT_PARTS, 'optionPath'),
  eq(C, 'ConditionalExpression', "base?.type !== 'variable_expression' || !parts.length", 'false', `${SELECT_BASE}; ${SELECT_PARTS}`, 'optionPath'),
  eq(C, 'ConditionalExpression', '!parts.length', 'false', SELECT_PARTS, 'optionPath'),
  eq(C, 'ConditionalExpression', "p.type === 'function_expression'", 'true', FUNCTION_PARAMS, 'letBound'),
  eq(C, 'ConditionalExpression', "b.type !== 'binding'", 'false', INHERIT, 'letBound'),
  // settingLeaf, isEmptyList
  eq(C, 'OptionalChaining', "n.childForFieldName('operator')?.text", "n.childForFieldName('operator').text", OPERATOR, 'settingLeaf'),
  eq(C, 'OptionalChaining', "n?.type", "n.type", OPERAND, 'isEmptyList'),
  // selection
  eq(C, 'ConditionalExpression', "base?.type !== 'variable_expression'", "false", SELECT_BASE_TEXT, 'selection'),
  eq(C, 'OptionalChaining', "base?.type", "base.type", SELECT_EXPRESSION, 'selection'),
  // isPerInstanceParam
  eq(C, 'ConditionalExpression', "p.type === 'function_expression'", "true", FUNCTION_FIELDS, 'isPerInstanceParam'),
  eq(C, 'OptionalChaining', "up?.type", "up.type", HAS_PARENT, 'isPerInstanceParam'),
  eq(C, 'ConditionalExpression', "up?.type !== 'binding'", "false", NOT_ENTERED, 'isPerInstanceParam'),
  eq(C, 'OptionalChaining', "path[path.length - 1]?.name", "path[path.length - 1].name", ATTRPATH_PART, 'isPerInstanceParam'),
  eq(C, 'OptionalChaining', "attrPath(b.childForFieldName('attrpath'))[0]?.name", "attrPath(b.childForFieldName('attrpath'))[0].name", ATTRPATH_PART, 'isPerInstanceParam'),
];
