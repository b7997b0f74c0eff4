// A file whose analysis threw (FileFacts.internalError): a bug of Clan Vars, not of the file. It is
// not a rule's finding (nothing was found in the file: it was not read), but the engine reports it
// on the file like one, so that the editor shows it where the user looks and the checker's
// output, in every format, says which file is missing from the results; the checker exits 2.
import type { Problem } from '../base/types';

export const INTERNAL_ERROR = 'internal-error';

export function internalErrorProblem(file: string, message: string): Problem {
  const start = { line: 0, character: 0 };
  return {
    file,
    range: { start, end: start },
    severity: 'error',
    code: INTERNAL_ERROR,
    message: `Clan Vars could not analyse this file: ${message}. This is a bug in Clan Vars, not in the file: please report it with this message.`,
    explanation: "Until it is fixed, the file's generators, reads of vars and settings are missing from every check.",
  };
}
