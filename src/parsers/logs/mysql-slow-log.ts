// The MariaDB / MySQL slow query log (log_output=FILE) as entries. Pure: a function of the text. An entry is a block
// of `# ` header lines (User@Host, Thread_id/Schema, Query_time/Lock_time/Rows_sent/Rows_examined, MariaDB's
// log_slow_verbosity=query_plan flags "Full_scan: Yes …", and =explain's "# explain: …" table), then optional
// `use db;` and `SET timestamp=N;` lines, then the statement up to the next header. The server writes an entry in one
// go, but a reader can still catch the last one half-written: only entries followed by another entry's header, or
// ending in ";\n", count as complete, and `consumed` says where the complete part ends (the reader keeps the rest for
// its next cycle).
import { ParseError } from '../../core/errors';

export interface SlowLogEntry {
  /** Seconds since the epoch from `SET timestamp=N;` (the statement's start), null when absent. */
  timestamp: number | null;
  user: string | null;
  host: string | null;
  /** The default schema (`Schema:` or the last `use db;`). */
  schema: string | null;
  queryTimeMs: number;
  lockTimeMs: number | null;
  rowsSent: number | null;
  rowsExamined: number | null;
  /** MariaDB log_slow_verbosity=query_plan: Full_scan, Full_join, Tmp_table, Tmp_table_on_disk, Filesort,
   * Filesort_on_disk, Priority_queue (Yes/No) and Merge_passes. */
  flags: Record<string, boolean | number>;
  /** MariaDB log_slow_verbosity=explain: the tabular EXPLAIN (with r_rows/r_filtered) lines, header first. */
  explain: string[];
  /** The statement as the client sent it (prepared statements with their values in place), without the final ';'. */
  sql: string;
}

export interface SlowLogChunk {
  entries: SlowLogEntry[];
  /** Characters of `text` that hold complete entries (and the server's banner lines); the rest waits. */
  consumed: number;
}

const HEADER_START = /^# (Time|User@Host): /;
/** Lines the server writes when it (re)opens the log: "mariadbd, Version: …", "Tcp port: …", "Time  Id Command  Argument". */
const BANNER = /^(\S+, Version: .*|Tcp port: .*|Time\s+Id\s+Command\s+Argument)$/;

function seconds(value: string, what: string, line: string): number {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new ParseError(`slow log: ${what} is not a number (${JSON.stringify(value)}) `
    + `in line ${JSON.stringify(line)}`);
  return number;
}

function parseEntry(lines: string[], inheritedSchema: string | null): SlowLogEntry {
  const entry: SlowLogEntry = {
    timestamp: null, user: null, host: null, schema: inheritedSchema, queryTimeMs: Number.NaN, lockTimeMs: null,
    rowsSent: null, rowsExamined: null, flags: {}, explain: [], sql: '',
  };
  const sql: string[] = [];
  for (const line of lines) {
    if (sql.length === 0 && line.startsWith('#')) {
      const explain = /^# explain: (.*)$/.exec(line);
      if (explain) {
        entry.explain.push(explain[1] ?? '');
        continue;
      }
      const userHost = /^# User@Host: (\S+?)\[[^\]]*\] @ (\S*) ?\[([^\]]*)\]/.exec(line);
      if (userHost) {
        entry.user = userHost[1] ?? null;
        entry.host = userHost[3] || userHost[2] || null;
        continue;
      }
      // "Key: value" pairs: "# Query_time: 0.025610  Lock_time: 0.000027  Rows_sent: 10  Rows_examined: 200000"
      for (const [, key, value] of line.slice(1).matchAll(/(\w+): (\S+)/g)) {
        if (key === undefined || value === undefined) continue;
        if (key === 'Query_time') entry.queryTimeMs = seconds(value, key, line) * 1000;
        else if (key === 'Lock_time') entry.lockTimeMs = seconds(value, key, line) * 1000;
        else if (key === 'Rows_sent') entry.rowsSent = seconds(value, key, line);
        else if (key === 'Rows_examined') entry.rowsExamined = seconds(value, key, line);
        else if (key === 'Schema') entry.schema = value;
        else if (value === 'Yes' || value === 'No') entry.flags[key] = value === 'Yes';
        else if (key === 'Merge_passes') entry.flags[key] = seconds(value, key, line);
      }
      continue;
    }
    const use = /^use `?([^`;]+)`?;$/.exec(line);
    if (sql.length === 0 && use) {
      entry.schema = use[1] ?? entry.schema;
      continue;
    }
    const timestamp = /^SET timestamp=(\d+);$/.exec(line);
    if (sql.length === 0 && timestamp) {
      entry.timestamp = Number(timestamp[1]);
      continue;
    }
    sql.push(line);
  }
  if (!Number.isFinite(entry.queryTimeMs)) {
    throw new ParseError(`slow log: entry without "# Query_time:" (starting ${JSON.stringify((lines[0] ?? '').slice(0, 80))})`);
  }
  entry.sql = sql.join('\n').trim().replace(/;$/, '');
  return entry;
}

/** Splits `text` (read from some offset of the log, starting at an entry or banner) into complete entries. */
export function parseSlowLog(text: string, previousSchema: string | null = null): SlowLogChunk {
  const lines = text.split('\n');
  // The last element is what follows the last "\n": an unfinished line (or "" when the text ends with one).
  const complete = lines.slice(0, -1);
  const entries: SlowLogEntry[] = [];
  let schema = previousSchema;
  let consumed = 0;
  let offset = 0;
  let current: { lines: string[]; start: number } | null = null;
  const close = (end: number): void => {
    if (current === null) return;
    const entry = parseEntry(current.lines, schema);
    if (entry.sql !== '') {
      entries.push(entry);
      schema = entry.schema;
    }
    consumed = end;
    current = null;
  };
  for (const line of complete) {
    const start = offset;
    offset += line.length + 1;
    const inStatement = current !== null && current.lines.some((item) => !item.startsWith('#'));
    if (HEADER_START.test(line) && (current === null || inStatement)) {
      close(start);
      current = { lines: [], start };
    }
    if (current === null) {
      if (BANNER.test(line) || line === '') consumed = offset;
      else throw new ParseError(`slow log: unexpected line before the first entry: ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    current.lines.push(line);
  }
  // The last entry is complete when its statement ended with ";" at the end of a line.
  const last = current as { lines: string[]; start: number } | null;
  if (last !== null && /;\s*$/.test(last.lines[last.lines.length - 1] ?? '')
    && last.lines.some((item) => !item.startsWith('#') && !/^(use |SET timestamp=)/.test(item))) {
    close(offset);
  }
  return { entries, consumed };
}

/**
 * One key for a statement however it is written: the digest text (`SELECT ID , \`amount\` FROM \`orders\` WHERE
 * \`customer_id\` = ?`), a prepared statement's text, and the literal statement of the slow log all give
 * "select id,amount from orders where customer_id=?". Comments, quotes around names, literals, case, and blanks
 * around punctuation are dropped; IN lists become one placeholder (the digest folds them as well).
 */
export function statementFingerprint(text: string): string {
  return text
    .replace(/\/\*(?!!)[\s\S]*?\*\//g, ' ')
    .replace(/(^|\s)(--\s|#)[^\n]*/g, ' ')
    .replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"/g, '?')
    .replace(/`/g, '')
    .replace(/\b(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)\b/gi, '?')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ ?([,()=<>+\-*/;.]) ?/g, '$1')
    .replace(/\bin\(\?(?:,\?)*\)/g, 'in(?)')
    .replace(/;$/, '')
    .trim();
}
