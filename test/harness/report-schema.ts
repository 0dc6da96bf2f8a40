// Validates reports against the committed JSON Schema (src/core/report.schema.json) with ajv, for every output and
// fixture test.
import { strict as assert } from 'node:assert';
import Ajv from 'ajv';
import schema from '../../src/core/report.schema.json';

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

export function assertValidReport(document: unknown, what: string): void {
  const valid = validate(document);
  assert.ok(valid, `${what} does not match report.schema.json: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}
