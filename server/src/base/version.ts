// The version the language server and the checker report; test/cli/lint.test.ts keeps it equal to package.json's.
export const VERSION = '0.1.0';
