// Shared helpers of the column-oriented command parsers (vmstat, iostat, free): numbers are read strictly, so a
// truncated or garbled line is a ParseError naming the tool and the line rather than a NaN in a verdict.
import { ParseError } from '../../core/errors';

const DECIMAL = /^\d+(?:\.\d+)?$/;

/** Reads one non-negative decimal field (LC_ALL=C output: '.' as the decimal point). */
export function readDecimal(tool: string, field: string, column: string, line: string): number {
  if (!DECIMAL.test(field)) {
    throw new ParseError(`${tool}: column ${column} is not a number (${JSON.stringify(field)}) in line ${JSON.stringify(line)}`);
  }
  return Number(field);
}

export function splitFields(line: string): string[] {
  return line.trim().split(/\s+/).filter((field) => field !== '');
}

/** Maps column names to values of one row; the row must have exactly one field per column. */
export function rowByName(tool: string, columns: readonly string[], line: string): Map<string, string> {
  const fields = splitFields(line);
  if (fields.length !== columns.length) {
    throw new ParseError(
      `${tool}: unreadable line ${JSON.stringify(line)} (${fields.length} fields, the header has ${columns.length})`);
  }
  return new Map(columns.map((column, index) => [column, fields[index] as string]));
}
