// Equivalent survivors of rules/engine.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';
const E = 'server/src/rules/engine.ts';
export default [
  // what is kept between calls: only work or memory, never what is shown
  eq(E, 'ConditionalExpression', '!roots.includes(root)', 'false', "the collected problems of a clan that went away stay in memory: when it comes back its rules' input versions are new, so every rule runs again and every file with findings then or before is collected again", 'RuleEngine.allProblemsSteps'),
  eq(E, 'ConditionalExpression', 'roots.length === 1', 'false', "one clan's lists copied into a new map: the same lists (their identity is what the publisher compares), the map's identity is compared by no caller", 'RuleEngine.allProblemsSteps'),
  eq(E, 'ConditionalExpression', '!kept', 'false', 'a clan has no collected problems only when its results are new too (first call, clear(), or a clan that came back with new input versions): every rule ran whole and marked its files', 'RuleEngine.problemsSteps'),
  eq(E, 'ConditionalExpression', 'this.index.clanRootOf(file) === root', 'true', "another clan's failed file collected here too: the internal error is added only in its own clan (the check below), so here it has no finding and is left out", 'RuleEngine.problemsSteps'),
  eq(E, 'ConditionalExpression', 'found.length', 'true', "the facts of a file without findings kept too: when they change the file is collected again and still has none (the same absent list)", 'RuleEngine.problemsSteps'),
  // the input version keys: compared only for equality
  eq(E, 'StringLiteral', "''", '"Stryker was here!"', 'others without input versions: a result found without versions is never re-run in part (every such check needs versions)', 'RuleEngine.rerun'),
  eq(E, 'StringLiteral', "','", '""', "versions only grow: two texts of one rule's versions joined without a separator are equal only when every version is (a longer number can't be made up by a shorter one after it)", 'RuleEngine.rerun'),
  eq(E, 'LogicalOperator', "u === 'evaluation' && rule.evaluationReach", "u === 'evaluation' || rule.evaluationReach", "the rules with evaluationReach use only generators and evaluation (others is '' either way), and the other rules using evaluation declare no reach (others is compared only for reach and cycles rules)", 'RuleEngine.rerun'),
  eq(E, 'ConditionalExpression', "u === 'evaluation'", 'true', "the rules with evaluationReach use only generators and evaluation: others is '' either way", 'RuleEngine.rerun'),
  eq(E, 'ConditionalExpression', '!affected.has(since)', 'true', 'a cache: the files an edit affects are computed again for each rule of the same reach, the same set', 'RuleEngine.rerun'),
  // the readers flag of partOf and evaluationPart: withFiles narrows filesWith only, and no rule with reach name or dependencies (all evaluationReach rules have reach name) calls it
  eq(E, 'ConditionalExpression', "reach === 'readers'", 'true', 'withFiles narrows only filesWith, which no rule with reach name or dependencies calls (importApplyGenerators, secretValueAccess, unknownSecretKey declare no reach; the evaluationReach rules have reach name)', ['RuleEngine.rerun']),
  eq(E, 'EqualityOperator', "reach === 'readers'", "reach !== 'readers'", "withFiles narrows only filesWith, which no name or dependencies rule calls; unknown-var-read without it walks every file's reads, and runOver drops the findings outside the part's files (a read's finding depends on the machine model, not on the part's generators)", ['RuleEngine.rerun']),
  eq(E, 'ConditionalExpression', "reach === 'readers'", 'false', "unknown-var-read without withFiles walks every file's reads: runOver drops the findings outside the part's files, and a read's finding depends on the machine model, not on the part's generators; the evaluationReach rules all have reach name (readers false either way)", ['RuleEngine.rerun']),
  eq(E, 'StringLiteral', "'readers'", '""', "unknown-var-read without withFiles walks every file's reads: runOver drops the findings outside the part's files, and a read's finding depends on the machine model, not on the part's generators; the evaluationReach rules all have reach name", ['RuleEngine.rerun']),
  // affectedFiles: shortcuts whose fallback finds the same set, or the same null
  eq(E, 'ConditionalExpression', 'seen.has(name)', 'false', 'a name followed twice adds no file: the files declaring it are in the set already (skipped before their names are queued)', 'closeOverNames'),
  eq(E, 'ConditionalExpression', 'files.has(d.file)', 'false', 'adding a file of the set again leaves it as it is, and its names were followed when it was added', 'closeOverNames'),
  eq(E, 'ConditionalExpression', 'files.size > limit', 'false', 'closing over names goes on past the limit, and affectedFiles then returns null for the same size (its last check)', ['closeOverNames', 'RuleEngine.affectedFiles']),
  eq(E, 'BooleanLiteral', 'false', 'true', 'closing over names stops at the limit either way; affectedFiles then returns null for the size (its last check, and the dependents step stops at its first file)', 'closeOverNames'),
  eq(E, 'ConditionalExpression', '!closeOverNames(next)', 'false', 'closeOverNames fails only with more files than the limit: the last check returns null for them', 'RuleEngine.affectedFiles'),
  eq(E, 'ConditionalExpression', 'files.has(file)', 'false', "adding a dependent's file already in the set leaves the set as it is; its names were followed when it was added, and closeOverNames skips names seen", 'RuleEngine.affectedFiles'),
  eq(E, 'ConditionalExpression', 'cached.others === others', 'true', "dependency-cycle, the one rule with reach cycles, uses generators only: its others is '' always", 'RuleEngine.rerun'),
  // registryPart: guards that the ones after them decide the same way
  eq(E, 'ConditionalExpression', 'ran.index !== index', 'false', "ClanModels replaces the generator index only when the changes since its version cannot be told (generatorIndexOf; or models.clear(), which comes with engine.clear()), and its version is at least the one the rule ran at: the changes since the rule ran cannot be told either, and !changes returns null", 'RuleEngine.registryPart'),
  eq(E, 'ConditionalExpression', 'ran.modules !== modules', 'false', "ClanModels keys the machine structure by the modules version, and updateMachineModel builds a model on another structure whole (no delta): after a modules change no machine model has a delta from the one the rule ran with, and delta.from !== ran.machines returns null", 'RuleEngine.registryPart'),
  // forwardPart: the changed files' names are in changes.names already (before and after each change, null for a computed one, which returns null above)
  eq(E, 'ConditionalExpression', 'g.name.name !== null', 'true', 'a null name queued finds no generator (byName has none) ; and a changed file with a computed name already made forwardPart return null', 'RuleEngine.forwardPart'),
  eq(E, 'ConditionalExpression', 'g.name.name !== null', 'false', "changes.names holds every name the changed files declared before and after each change (WorkspaceIndex.bumpChanged): the changed files' current names are queued from it already", 'RuleEngine.forwardPart'),
  eq(E, 'EqualityOperator', 'g.name.name !== null', 'g.name.name === null', "changes.names holds every name the changed files declare (WorkspaceIndex.bumpChanged), and a null name finds no generator", 'RuleEngine.forwardPart'),
  eq(E, 'ConditionalExpression', 'd.name !== null && !seen.has(d.name)', 'true', 'a name seen is skipped when it is taken from the queue, and a null name finds no generator', 'RuleEngine.forwardPart'),
  eq(E, 'LogicalOperator', 'd.name !== null && !seen.has(d.name)', 'd.name !== null || !seen.has(d.name)', 'a name seen is skipped when it is taken from the queue, and a null name finds no generator', 'RuleEngine.forwardPart'),
  eq(E, 'ConditionalExpression', 'd.name !== null', 'true', 'a null name queued finds no generator (byName has none)', 'RuleEngine.forwardPart'),
  // addReaders: the names it is given are generator names (strings)
  eq(E, 'ConditionalExpression', 'a.generator.name !== null', 'true', 'the names addReaders is given are literal names (seen names, MachineModel.delta names): names.has(null) is false either way', 'addReaders'),
  // one order for a file's findings: Array.prototype.sort (V8's TimSort) only asks whether the comparison is negative
  eq(E, 'EqualityOperator', 'a.message < b.message', 'a.message <= b.message', 'only two findings with the same start, code and message are answered -1 instead of 0 (both ways): they show as the same line in the Problems panel and the checker, whichever comes first', 'byPosition'),
  eq(E, 'ConditionalExpression', 'a.message > b.message', 'true', "byPosition's last answer: 1 instead of 0 for equal messages; V8's sort only asks whether an answer is negative", 'byPosition'),
  eq(E, 'ConditionalExpression', 'a.message > b.message', 'false', "byPosition's last answer: 0 instead of 1; V8's sort only asks whether an answer is negative", 'byPosition'),
  eq(E, 'EqualityOperator', 'a.message > b.message', 'a.message >= b.message', "byPosition's last answer: 1 instead of 0 for equal messages; V8's sort only asks whether an answer is negative", 'byPosition'),
  eq(E, 'EqualityOperator', 'a.message > b.message', 'a.message <= b.message', "byPosition's last answer: 0 or 1 swapped, never negative; V8's sort only asks whether an answer is negative", 'byPosition'),
  // printable(undefined) is undefined: the text is absent either way
  eq(E, 'ConditionalExpression', 'p.explanation', 'true', 'printable(undefined) returns undefined: a finding without explanation keeps none (JSON, SARIF and the LSP leave an undefined field out)', 'printableTexts'),
  eq(E, 'ConditionalExpression', 'f.preview', 'true', 'printable(undefined) returns undefined: a fix without preview keeps none (JSON, SARIF and the LSP leave an undefined field out)', 'printableTexts'),
  // the debug log
  eq(E, 'ConditionalExpression', 'process.env.CLAN_VARS_DEBUG_RULES', 'true', 'a log line: the debug timing logged always (the log is not what the editor or the checker shows)', 'RuleEngine.check'),
  eq(E, 'ArithmeticOperator', 'performance.now() - started', 'performance.now() + started', "a log line's time: no test may assert a timing", 'RuleEngine.check'),
  // the rule results as queries (issue 55): the pass over a clan
  eq(E, 'ConditionalExpression', 'after !== before', 'true', "a shortcut: a result not computed again is the same object, every file's list in it too, and the comparison below marks no file", 'RuleEngine.problemsSteps'),
  eq(E, 'ArrayDeclaration', '[]', '["Stryker was here"]', 'the placeholder names no file: the old result (none) and the new one both give undefined for it, so it is not marked', 'RuleEngine.problemsSteps'),
  eq(E, 'BlockStatement', '{\n      this.pass = null;\n    }', '{}', "the pass is read only by the rule queries, which are computed only inside a pass that sets it first: one left behind keeps the last model alive until the next pass (memory no test observes without a forced collection)", 'RuleEngine.problemsSteps'),
];
