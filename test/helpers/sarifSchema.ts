// The official SARIF 2.1.0 JSON schema (the copy the SARIF multitool's npm package ships), compiled
// with ajv: strict, formats (uri, date-time) checked, every error reported.
import * as fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const schema = JSON.parse(fs.readFileSync(require.resolve(`@microsoft/sarif-multitool-${process.platform}/sarif-2.1.0.json`), 'utf8'));
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema's title, to check that the file read is the schema meant. */
export const SARIF_SCHEMA_TITLE: string = schema.title;

/** What the schema says is wrong with `log`, one line each: none for a valid log. */
export function sarifSchemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
