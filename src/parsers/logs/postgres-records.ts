// PostgreSQL server log records: jsonlog (15+), csvlog and stderr text, as typed records. Pure: functions of text.
// The reader (src/sources/server-log.ts) hands over only complete records (completeLength), so a line cut mid-write
// waits for the next cycle.
//   jsonlog: one JSON object per line (timestamp, user, dbname, error_severity, message, detail, query_id 14+).
//   csvlog:  one CSV row per record, fields quoted with "" doubling, newlines inside quotes (columns by position:
//            message is column 14, detail 15, query_id 26 from 14 on).
//   stderr:  log_line_prefix + "SEVERITY:  text", continuation lines start with a tab; DETAIL lines of the same
//            message follow with their own prefix. Needs a log_line_prefix this module can read (compileLinePrefix).
import { errorMessage, ParseError } from '../../core/errors';

export type LogFormat = 'jsonlog' | 'csvlog' | 'stderr';

export interface LogRecord {
  /** As the server printed it (e.g. "2026-11-30 11:42:33.123 UTC"), null when the prefix has none. */
  timestamp: string | null;
  database: string | null;
  user: string | null;
  /** pg_stat_statements' query id of the backend when it logged (14+ with compute_query_id), else null. */
  queryId: string | null;
  severity: string;
  message: string;
  detail: string | null;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/** Bytes of `buffer` that hold complete records: up to the last record-ending newline (csvlog: outside quotes). */
export function completeLength(buffer: Buffer, format: LogFormat): number {
  if (format !== 'csvlog') return buffer.lastIndexOf(NEWLINE) + 1;
  let quoted = false;
  let end = 0;
  for (let index = 0; index < buffer.length; index += 1) {
    const byte = buffer[index];
    if (byte === QUOTE) quoted = !quoted; // "" inside a field toggles twice: still inside
    else if (byte === NEWLINE && !quoted) end = index + 1;
  }
  return end;
}

// ---- jsonlog ---------------------------------------------------------------------------------------------------

function field(object: Record<string, unknown>, key: string): string | null {
  const value = object[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

/** Records, and what could not be read (each naming its line or record): a log is read on past a bad line. */
export interface LogRecords {
  records: LogRecord[];
  malformed: string[];
}

export function parseJsonlog(text: string): LogRecords {
  const records: LogRecord[] = [];
  const malformed: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let object: unknown;
    try {
      object = JSON.parse(line);
    } catch (error: unknown) {
      malformed.push(`jsonlog line ${index + 1}: not JSON (${errorMessage(error)}): ${JSON.stringify(line.slice(0, 80))}`);
      return;
    }
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      malformed.push(`jsonlog line ${index + 1}: not a JSON object`);
      return;
    }
    const map = object as Record<string, unknown>;
    // query_id is a bare 64-bit integer: read from the text, JSON.parse would round it.
    const queryId = /"query_id":(-?\d+)/.exec(line)?.[1] ?? null;
    records.push({
      timestamp: field(map, 'timestamp'),
      database: field(map, 'dbname'),
      user: field(map, 'user'),
      queryId: queryId === null || queryId === '0' ? null : queryId,
      severity: field(map, 'error_severity') ?? '',
      message: field(map, 'message') ?? '',
      detail: field(map, 'detail'),
    });
  });
  return { records, malformed };
}

// ---- csvlog ----------------------------------------------------------------------------------------------------

/** Rows of CSV text (RFC 4180 as PostgreSQL writes it). An unterminated quoted field is a ParseError. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          value += '"';
          index += 1;
        } else {
          quoted = false;
        }
      } else {
        value += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(value);
      value = '';
    } else if (char === '\n') {
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
    } else if (char !== '\r') {
      value += char;
    }
    index += 1;
  }
  if (quoted) throw new ParseError('csvlog: a quoted field is not terminated');
  if (value !== '' || row.length > 0) {
    row.push(value);
    rows.push(row);
  }
  return rows;
}

// Column positions of PostgreSQL's csvlog (doc: "Using CSV-Format Log Output"); 13 has 24 columns, 14+ 26.
const CSV = { time: 0, user: 1, database: 2, severity: 11, message: 13, detail: 14, queryId: 25 } as const;

export function parseCsvlog(text: string): LogRecords {
  const records: LogRecord[] = [];
  const malformed: string[] = [];
  parseCsvRows(text).forEach((row, index) => {
    if (row.length < 23) {
      malformed.push(`csvlog record ${index + 1}: ${row.length} columns, expected 23 or more (PostgreSQL csvlog)`);
      return;
    }
    const cell = (position: number): string | null => {
      const value = row[position];
      return value === undefined || value === '' ? null : value;
    };
    const queryId = cell(CSV.queryId);
    records.push({
      timestamp: cell(CSV.time), user: cell(CSV.user), database: cell(CSV.database),
      queryId: queryId === null || queryId === '0' ? null : queryId,
      severity: cell(CSV.severity) ?? '', message: cell(CSV.message) ?? '', detail: cell(CSV.detail),
    });
  });
  return { records, malformed };
}

// ---- stderr ----------------------------------------------------------------------------------------------------

/** A compiled log_line_prefix: a regular expression with named groups ts, db, user, qid. */
export interface LinePrefix {
  source: string;
  pattern: RegExp;
}

const SEVERITIES = 'DEBUG[1-5]?|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION';

// Each escape of log_line_prefix (doc: runtime-config-logging, log_line_prefix) as the text it prints.
const ESCAPES: Record<string, string> = {
  a: '.*?', u: '(?<user>[^ ]*?)', d: '(?<db>[^ ]*?)', r: '\\S*?', h: '\\S*?', b: '.*?', p: '\\d+', P: '\\d*',
  t: '(?<ts>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?: [A-Za-z0-9+:-]+)?)',
  m: '(?<ts>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?: [A-Za-z0-9+:-]+)?)',
  n: '(?<ts>\\d+\\.\\d{3})', i: '.*?', e: '[0-9A-Z]{5}', c: '[0-9a-f]+\\.[0-9a-f]+', l: '\\d+',
  s: '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?: [A-Za-z0-9+:-]+)?', v: '[\\d/]*', x: '\\d+', Q: '(?<qid>-?\\d+)',
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles log_line_prefix. What stderr reading needs: a timestamp escape (%m, %t or %n) at the very start, so that
 * a record's first line can be told from the text of a statement (which may contain anything); %d and %u to match
 * the database and user, %Q (14+) for the query id where the plan does not print it. Anything else is a ParseError
 * naming it.
 */
export function compileLinePrefix(prefix: string): LinePrefix {
  if (!/^%[mtn]/.test(prefix)) {
    throw new ParseError(`log_line_prefix ${JSON.stringify(prefix)} does not start with %m, %t or %n: `
      + "stderr records cannot be told apart; use jsonlog or csvlog, or a prefix like '%m [%p] %q%u@%d '");
  }
  let pattern = '';
  let optionalFrom: number | null = null;
  const seen = new Set<string>();
  for (let index = 0; index < prefix.length; index += 1) {
    const char = prefix[index] as string;
    if (char !== '%') {
      pattern += escapeRegex(char);
      continue;
    }
    index += 1;
    let letter = prefix[index] ?? '';
    // Padding like %-10u or %10p: skip the width; the regex allows the spaces around.
    while (/[-0-9]/.test(letter)) {
      index += 1;
      letter = prefix[index] ?? '';
    }
    if (letter === '%') pattern += '%';
    else if (letter === 'q') optionalFrom ??= pattern.length;
    else {
      let piece = ESCAPES[letter];
      if (piece === undefined) throw new ParseError(`log_line_prefix ${JSON.stringify(prefix)}: escape %${letter} is not known`);
      // A named group may appear once: a repeated escape matches the same text without a name.
      for (const name of ['ts', 'db', 'user', 'qid']) {
        if (piece.includes(`?<${name}>`)) {
          if (seen.has(name)) piece = piece.replace(`?<${name}>`, '?:');
          seen.add(name);
        }
      }
      pattern += ` *${piece} *`;
    }
  }
  // %q: non-session processes stop the prefix there.
  if (optionalFrom !== null) pattern = `${pattern.slice(0, optionalFrom)}(?:${pattern.slice(optionalFrom)})?`;
  return { source: prefix, pattern: new RegExp(`^${pattern}(?<severity>${SEVERITIES}):  (?<text>.*)$`) };
}

/** stderr text: a record starts at a line that matches the prefix; tab-led lines continue it; DETAIL joins it. */
export function parseStderr(text: string, prefix: LinePrefix): LogRecord[] {
  const records: LogRecord[] = [];
  let current: LogRecord | null = null;
  let currentPart: 'message' | 'detail' | 'other' = 'other';
  for (const line of text.split('\n')) {
    if (line.startsWith('\t')) {
      if (current !== null && currentPart !== 'other') current[currentPart] = `${current[currentPart] ?? ''}\n${line.slice(1)}`;
      continue;
    }
    const match = prefix.pattern.exec(line);
    if (match === null) continue; // not ours (e.g. a library writing to stderr): skipped, never a record
    const groups = match.groups ?? {};
    const severity = groups.severity ?? '';
    if (severity === 'DETAIL' && current !== null) {
      current.detail = groups.text ?? '';
      currentPart = 'detail';
      continue;
    }
    if (['HINT', 'CONTEXT', 'STATEMENT', 'QUERY', 'LOCATION'].includes(severity)) {
      currentPart = 'other';
      continue;
    }
    const queryId = groups.qid ?? null;
    current = {
      timestamp: groups.ts ?? null, database: groups.db || null, user: groups.user || null,
      queryId: queryId === null || queryId === '0' ? null : queryId, severity, message: groups.text ?? '', detail: null,
    };
    currentPart = 'message';
    records.push(current);
  }
  return records;
}

/** The format of a log file, from its name as PostgreSQL names them (.json, .csv) or else from its first bytes. */
export function detectFormat(path: string, head: string): LogFormat {
  if (path.endsWith('.json')) return 'jsonlog';
  if (path.endsWith('.csv')) return 'csvlog';
  if (head.startsWith('{')) return 'jsonlog';
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [^,]*,("|,)/.test(head)) return 'csvlog';
  return 'stderr';
}

/** A stderr log needs the compiled log_line_prefix; without one it is a ParseError saying so. */
export function parseLogRecords(text: string, format: LogFormat, prefix: LinePrefix | null): LogRecords {
  if (format === 'jsonlog') return parseJsonlog(text);
  if (format === 'csvlog') return parseCsvlog(text);
  if (prefix === null) throw new ParseError('stderr log: log_line_prefix is unknown (the agent may not read it)');
  return { records: parseStderr(text, prefix), malformed: [] };
}
