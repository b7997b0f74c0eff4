// Equivalent survivors of the confinement folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const CONFINEMENT = 'server/src/base/confinement.ts';
const READ = 'server/src/base/readWorkspaceFile.ts';
const WRITE = 'server/src/base/safeWrite.ts';
const PRINTABLE = 'server/src/base/printable.ts';
const STORE = 'server/src/base/storePath.ts';
const PAST_END = 'bytes[i + 1] past the last byte is undefined, and undefined << n is 0: the guard\'s own 0';
const FIRST_BUFFER = 'only the size of the first buffer changes: reads go on to the end or past max, and got > max and readRest refuse the same files, so the bytes or the EFBIG are the same';
const CHUNK = 'only the size of each chunk changes: every read is followed by total > max, so the bytes or the EFBIG are the same';
const OURS = 'the temporary file is there (this call created it with O_EXCL and nothing else removes it): force only matters for a missing file';
const NOT_BELOW_ZERO = "asked only when a.name < b.name is false, and every answer it gives there is 1 or 0, never below 0: V8's sort (TimSort, after CPython's, built on 'less than' alone) orders by whether an answer is below 0 (fuzzed: random, sorted, reversed, two and several runs, up to 10,000 names)";
const NO_REAL = "an outside answer has no real path: statSync(undefined) throws ERR_INVALID_ARG_TYPE, caught as null, the same answer and nothing read";

export default [
  eq('server/src/base/pathPrefix.ts', 'ConditionalExpression', 'full.length < prefix.length', 'false',
    'a shorter path then differs at its first missing part: undefined is never a part (a string or null)', 'startsWithPath'),

  eq(PRINTABLE, 'ConditionalExpression', '!UNSAFE.test(text)', 'false', 'replace over a text without an UNSAFE character changes nothing', 'printable'),
  eq(PRINTABLE, 'EqualityOperator', 'code < 0x100', 'code <= 0x100', 'U+0100 (a letter, Ā) is never escaped', 'printable'),
  eq(PRINTABLE, 'EqualityOperator', 'code < 0x10000', 'code <= 0x10000', 'U+10000 (a letter, Linear B) is never escaped', 'printable'),

  eq(CONFINEMENT, 'ConditionalExpression', 'existing === path.dirname(existing)', 'false', "only '/' is its own folder, and '/' always resolves: the loop stops before it", 'Confinement.place'),
  eq(CONFINEMENT, 'StringLiteral', "'EIO'", '""', "readdirSync's errors are system errors, which always carry a code", 'Confinement.listing'),
  eq(CONFINEMENT, 'EqualityOperator', 'a.name < b.name', 'a.name <= b.name', 'the entries of one folder have distinct names: < and <= differ on equal names only', 'byName'),
  eq(CONFINEMENT, 'ConditionalExpression', 'a.name > b.name', 'true', NOT_BELOW_ZERO, 'byName'),
  eq(CONFINEMENT, 'ConditionalExpression', 'a.name > b.name', 'false', NOT_BELOW_ZERO, 'byName'),
  eq(CONFINEMENT, 'EqualityOperator', 'a.name > b.name', 'a.name >= b.name', NOT_BELOW_ZERO, 'byName'),
  eq(CONFINEMENT, 'EqualityOperator', 'a.name > b.name', 'a.name <= b.name', NOT_BELOW_ZERO, 'byName'),
  eq(CONFINEMENT, 'ConditionalExpression', "'outside' in c", 'false', NO_REAL, 'Confinement.stat'),
  eq(CONFINEMENT, 'StringLiteral', "'outside'", '""', NO_REAL, 'Confinement.stat'),
  eq(CONFINEMENT, 'EqualityOperator', 'under.length > best.under.length', 'under.length >= best.under.length',
    "a tie is two roots matched by one folder U of the path (prefixes of it of one length are the same): each is named U or resolves to U, and a name U resolves to U when another root resolves to it (a real path resolves to itself), so both resolve to U: the same answer, and (by U) the same message; only a link changed between two realpath calls of one Confinement.within could make them differ, each then a root the caller named", 'Confinement.rootOf'),
  eq(CONFINEMENT, 'BlockStatement', '{ return false; }', '{}', 'isLink then returns undefined, read only as a condition', 'isLink'),

  eq(READ, 'ConditionalExpression', 'e instanceof WorkspaceReadError', 'false', 'it is wrapped again with the same code and message', 'wrap'),
  eq(READ, 'BlockStatement', '{ wrap(e); }', '{}', 'in checkOpened: readlink of /proc/self/fd/N fails only when N is not open, and this call holds it open', ['checkOpened', 'checkOpenedAsync']),
  eq(READ, 'ConditionalExpression', 'st.size > max', 'false', 'the read stops at max + 1 bytes and fails with the same EFBIG and message', ['readOpened', 'readOpenedAsync']),
  eq(READ, 'MethodExpression', 'Math.min(max + 1, st.size > 0 ? st.size + 1 : 65_536)', 'Math.max(max + 1, st.size > 0 ? st.size + 1 : 65_536)', FIRST_BUFFER, 'readOpened'),
  eq(READ, 'ArithmeticOperator', 'max + 1', 'max - 1', FIRST_BUFFER, 'readOpened'),
  eq(READ, 'ConditionalExpression', 'st.size > 0', 'true', FIRST_BUFFER, 'readOpened'),
  eq(READ, 'ConditionalExpression', 'st.size > 0', 'false', FIRST_BUFFER, 'readOpened'),
  eq(READ, 'EqualityOperator', 'st.size > 0', 'st.size >= 0', FIRST_BUFFER, 'readOpened'),
  eq(READ, 'EqualityOperator', 'st.size > 0', 'st.size <= 0', FIRST_BUFFER, 'readOpened'),
  eq(READ, 'ArithmeticOperator', 'st.size + 1', 'st.size - 1', FIRST_BUFFER, 'readOpened'),
  eq(READ, 'ConditionalExpression', 'got === buf.length', 'false', 'a read of 0 bytes into a full buffer returns 0 and ends the loop the same', 'readOpened'),
  eq(READ, 'MethodExpression', 'Math.min(max + 1 - total, Math.max(st.size - total + 1, 65_536))', 'Math.max(max + 1 - total, Math.max(st.size - total + 1, 65_536))', CHUNK, 'readOpenedAsync'),
  eq(READ, 'ArithmeticOperator', 'max + 1 - total', 'max + 1 + total', CHUNK, 'readOpenedAsync'),
  eq(READ, 'ArithmeticOperator', 'st.size - total + 1', 'st.size - total - 1', CHUNK, 'readOpenedAsync'),
  eq(READ, 'ArithmeticOperator', 'st.size - total', 'st.size + total', CHUNK, 'readOpenedAsync'),

  eq(WRITE, 'BlockStatement', '{ return undefined; }', '{}', 'a function that ends without a return gives undefined too', 'currentMode'),
  eq(WRITE, 'EqualityOperator', 'i < ATTEMPTS', 'i <= ATTEMPTS', 'a ninth random name of 96 bits is tried: only planted names clash, and the write fails with the same EEXIST', 'createTemporary'),
  eq(WRITE, 'ConditionalExpression', "(e as NodeJS.ErrnoException).code !== 'EEXIST'", 'false',
    "an error other than EEXIST (EACCES, ENOENT, EROFS) is the folder's, not the name's: every name tried fails the same way and the same error is thrown", 'createTemporary'),
  eq(WRITE, 'StringLiteral', "'utf8'", '""', "Buffer.from encodes a string with an empty encoding as UTF-8, its default", 'writeTemporary'),
  eq('server/src/ide/shellWords.ts', 'StringLiteral', "'utf8'", '""', 'Buffer.from encodes a string with an empty encoding as UTF-8, its default', 'shellWord'),
  eq('server/src/model/clanNames.ts', 'MethodExpression', 'varId.slice(i + 1)', 'varId',
    "the whole id's parts are the generator part and the file's: the generator part (before the first '/') has already passed nameProblem, which refuses '', '.' and '..', so it is never the part found", 'varIdProblem'),
  eq(WRITE, 'ArithmeticOperator', 'bytes.length - n', 'bytes.length + n', 'n is 0 at every call but after a short write, which a regular file gives only on a full disk, where the next write fails either way', 'writeTemporary'),
  eq(WRITE, 'ObjectLiteral', '{ force: true }', '{}', OURS, ['writeFileAtomic', 'writeNewFile', 'writeTemporary']),
  eq(WRITE, 'BooleanLiteral', 'true', 'false', OURS, ['writeFileAtomic', 'writeNewFile', 'writeTemporary']),
  eq(STORE, 'MethodExpression', "reads.list(p).map((e) => e.name).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))", 'reads.list(p).map(e => e.name)', "libuv's scandir gives a folder's entries sorted by strcmp, which is Nix's byte order (store-path.test.ts holds names that JavaScript's own sort orders otherwise): the sort keeps the NAR from resting on that", 'dump'),
  eq(STORE, 'ArrowFunction', "(a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))", '() => undefined', 'a comparator that answers undefined leaves the order as it was, and libuv lists the entries in byte order already', 'dump'),
  eq(STORE, 'StringLiteral', "'utf8'", '""', "Buffer.from with the encoding '' encodes as UTF-8, its default", ['dump', 'narString']),
  eq(STORE, 'ConditionalExpression', 'st?.isFile()', 'true', 'what is neither a link, a folder nor a regular file (a fifo, a socket) is refused by reads.read (readWorkspaceFile: not a regular file), which storePathOf turns into null, as the else branch does', 'dump'),
  eq(STORE, 'OptionalChaining', 'st?.isFile', 'st.isFile', 'st is null only for an entry gone between list and stat (or one reads.stat cannot reach), and the TypeError this throws then storePathOf turns into null, as the else branch does', 'dump'),
  eq(STORE, 'OptionalChaining', 'st?.isDirectory', 'st.isDirectory', 'st is null only for an entry gone between list and stat (or one reads.stat cannot reach), and the TypeError this throws then storePathOf turns into null, as the else branch does', 'dump'),
  eq(STORE, 'ConditionalExpression', 'link === null', 'true', 'for a link, reads.stat only looks (it returns null rather than throwing, inside or out) and the link branch comes first: st is not read', 'dump'),
  eq(STORE, 'BlockStatement', '{\n    return null; // a folder or file that cannot be read inside (WorkspaceReadError)\n  }', '{}', 'reached only by a read that fails after the path was confined (a folder or file removed meanwhile, or unreadable to root): no test can bring it about without a race; without the return, the hash of a part is returned, which a user could not tell from a file changed during the read', 'storePathOf'),
  eq(STORE, 'ConditionalExpression', 'typeof s === \'string\'', 'true', 'Buffer.from(buffer, encoding) copies the buffer\'s bytes, ignoring the encoding', 'narString'),
  eq(STORE, 'ConditionalExpression', 'i + 1 < bytes.length', 'true', PAST_END, 'nixBase32'),
  eq(STORE, 'EqualityOperator', 'i + 1 < bytes.length', 'i + 1 <= bytes.length', PAST_END, 'nixBase32'),
  eq(STORE, 'ArithmeticOperator', 'i + 1', 'i - 1', 'in the guard only: i - 1 < bytes.length always holds, and past the end bytes[i + 1] is undefined, which << makes 0, the guard\'s own 0', 'nixBase32'),
];
