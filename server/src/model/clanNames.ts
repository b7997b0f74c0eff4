// The check on names before they go into a clan command line: the editor's vars commands (client
// vars/commandLine.ts) and the migration script (analysis/migrationSteps.ts) refuse a machine,
// generator, var or secret name that clan or a shell could misread, with a reason that shows the
// name printably. Plain TypeScript: the client and the server both import it.
import { shownName, UNSAFE } from '../base/printable';

// The printable forms of names are shared with other messages (base/printable.ts).
export { hasUnsafeCharacter, printable, shownName } from '../base/printable';

function unsafeProblem(what: string, text: string): string | undefined {
  const c = text.match(UNSAFE)?.[0];
  return c === undefined ? undefined : `the ${what} ${shownName(text)} contains U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (a line break, control or format character)`;
}

/** Why a machine or generator name cannot be passed to clan, or undefined when it can. */
export function nameProblem(what: string, name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return `the ${what} name is empty`;
  const unsafe = unsafeProblem(`${what} name`, name);
  if (unsafe) return unsafe;
  if (name.startsWith('-')) return `the ${what} name ${shownName(name)} starts with '-' and would be read as an option`;
  if (name.includes('/')) return `the ${what} name ${shownName(name)} contains '/'`;
  if (name === '.' || name === '..') return `the ${what} name is '${name}'`;
  return undefined;
}

/** A var id `<generator>/<file>`: the generator part is checked like a name; the file may contain `/` but no empty, `.` or `..` part. */
export function varIdProblem(varId: string): string | undefined {
  const unsafe = unsafeProblem('var id', varId);
  if (unsafe) return unsafe;
  const i = varId.indexOf('/');
  if (i <= 0 || i === varId.length - 1) return `${shownName(varId)} is not of the form <generator>/<file>`;
  const generator = nameProblem('generator', varId.slice(0, i));
  if (generator) return generator;
  const bad = varId.slice(i + 1).split('/').find((part) => part === '' || part === '.' || part === '..');
  return bad === undefined ? undefined : `the file of the var ${shownName(varId)} has a part that is '${bad}'`;
}

/** Why `clan secrets get <name>` cannot take the name: clan's own check (letters, digits, `.`, `_`, `-`), and no option, `.` or `..`. */
export function secretNameProblem(name: string): string | undefined {
  const problem = nameProblem('secret', name);
  if (problem) return problem;
  return /^[A-Za-z0-9._-]+$/.test(name) ? undefined : `the secret name ${shownName(name)} holds characters clan does not allow in secret names (only A-Z a-z 0-9 . _ -)`;
}
