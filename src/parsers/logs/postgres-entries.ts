// What the server log says about executions: auto_explain's `duration: … ms  plan:` entries (FORMAT json) and
// log_min_duration_statement's `duration: … ms  statement|execute …:` lines with their `Parameters: $1 = …` detail.
// Pure: functions of LogRecords (src/parsers/logs/postgres-records.ts). The plan is read by the plan parser of EXPLAIN
// (parsePostgresPlan): auto_explain prints the same document.
import { ParseError } from '../../core/errors';
import { parsePostgresPlan } from '../plans/postgres';
import type { LogRecord } from './postgres-records';

/** One execution's plan from auto_explain. */
export interface ExplainEntry {
  kind: 'plan';
  durationMs: number;
  /** The EXPLAIN document ({"Query Text", "Plan", …}) as auto_explain printed it. */
  plan: Record<string, unknown>;
  queryText: string;
  /** "Query Identifier" (log_verbose, 14+ with compute_query_id), else the record's query_id, else null. */
  queryId: string | null;
  /** "Query Parameters" (16+), e.g. "$1 = '101', $2 = 'paid'"; null when not logged. */
  parameters: string | null;
  database: string | null;
  user: string | null;
  timestamp: string | null;
}

/** One statement over log_min_duration_statement, with its parameter values when it came through the extended protocol. */
export interface StatementEntry {
  kind: 'statement';
  durationMs: number;
  text: string;
  /** Parameter literals by number ($1 → index 1), as the server quoted them; empty for the simple protocol. */
  parameters: Map<number, string>;
  queryId: string | null;
  database: string | null;
  user: string | null;
  timestamp: string | null;
}

export type LogEntry = ExplainEntry | StatementEntry;

const PLAN_HEAD = /^duration: (\d+(?:\.\d+)?) ms {2}plan:\n/;
const STATEMENT_HEAD = /^duration: (\d+(?:\.\d+)?) ms {2}(?:statement|execute [^:]*): /;

/**
 * "$1 = '101', $2 = NULL, $3 = 'it''s'" → {1: "'101'", 2: "NULL", 3: "'it''s'"}. The server quotes every value
 * (errdetail_params); a value cut at log_parameter_max_length ends in "…'" and is kept as printed.
 */
export function parseParameters(text: string): Map<number, string> {
  const values = new Map<number, string>();
  let index = 0;
  const fail = (what: string): never => {
    throw new ParseError(`parameters: ${what} at character ${index + 1} of ${JSON.stringify(text.slice(0, 80))}`);
  };
  while (index < text.length) {
    const head = /^\$(\d+) = /.exec(text.slice(index));
    if (head === null) fail('expected "$n = "');
    const number = Number((head as RegExpExecArray)[1]);
    index += (head as RegExpExecArray)[0].length;
    if (text.startsWith('NULL', index)) {
      values.set(number, 'NULL');
      index += 4;
    } else if (text[index] === "'") {
      let end = index + 1;
      for (;;) {
        const quote = text.indexOf("'", end);
        if (quote < 0) fail('unterminated quoted value');
        if (text[quote + 1] === "'") {
          end = quote + 2;
          continue;
        }
        end = quote + 1;
        break;
      }
      values.set(number, text.slice(index, end));
      index = end;
    } else {
      fail('expected a quoted value or NULL');
    }
    if (text.startsWith(', ', index)) index += 2;
    else if (index < text.length) fail('expected ", "');
  }
  return values;
}

function identifier(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value !== 0) return BigInt(Math.trunc(value)).toString();
  if (typeof value === 'string' && /^-?\d+$/.test(value) && value !== '0') return value;
  return null;
}

/** Reads a plan document's query id without losing digits: JSON.parse rounds 64-bit integers, the text does not. */
function queryIdentifierFromText(json: string): string | null {
  const match = /"Query Identifier": (-?\d+)/.exec(json);
  return match === null ? null : identifier(match[1]);
}

/**
 * The entry a record holds, or null for records that are neither a plan nor a timed statement. A plan that
 * auto_explain printed in another format than json, or that the plan parser rejects, is a ParseError naming it.
 */
export function logEntry(record: LogRecord): LogEntry | null {
  if (record.severity !== 'LOG' || !record.message.startsWith('duration: ')) return null;
  const common = { database: record.database, user: record.user, timestamp: record.timestamp };
  const plan = PLAN_HEAD.exec(record.message);
  if (plan !== null) {
    const json = record.message.slice(plan[0].length);
    if (!json.trimStart().startsWith('{')) {
      throw new ParseError('auto_explain plan is not in json format: set auto_explain.log_format = json');
    }
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(json) as Record<string, unknown>;
    } catch (error: unknown) {
      throw new ParseError(`auto_explain plan of ${record.timestamp ?? 'an entry'}: not JSON`, { cause: error });
    }
    parsePostgresPlan(document); // validates: a plan the rules cannot read is refused here, with the parser's reason
    const queryText = typeof document['Query Text'] === 'string' ? document['Query Text'] : '';
    const parameters = typeof document['Query Parameters'] === 'string' ? document['Query Parameters'] : null;
    return {
      kind: 'plan', durationMs: Number(plan[1]), plan: document, queryText, parameters,
      queryId: queryIdentifierFromText(json) ?? record.queryId, ...common,
    };
  }
  const statement = STATEMENT_HEAD.exec(record.message);
  if (statement === null) return null; // log_duration alone, or a parse/bind step: no text worth keeping
  const detail = record.detail ?? '';
  // "parameters: …" up to 15, "Parameters: …" from 16 on.
  const parameters = /^parameters: /i.test(detail) ? parseParameters(detail.slice('parameters: '.length)) : new Map<number, string>();
  return {
    kind: 'statement', durationMs: Number(statement[1]), text: record.message.slice(statement[0].length), parameters,
    queryId: record.queryId, ...common,
  };
}
