// MySQL and MariaDB plans, three formats, into one shape the rules read:
//   - MariaDB `ANALYZE FORMAT=JSON` (query_block with r_rows, r_loops, r_filtered),
//   - MySQL `EXPLAIN FORMAT=JSON` (query_block, estimates only),
//   - MySQL 8.0.18+ `EXPLAIN ANALYZE` tree text ("-> Table scan on t  (cost=… rows=…) (actual time=… rows=… loops=…)"),
//   - MariaDB's slow log `# explain:` table (log_slow_verbosity=explain: tabular EXPLAIN with r_rows, r_filtered).
// Pure functions of the document; no I/O.
import { ParseError } from '../../core/errors';

export type MyPlanFormat = 'mariadb_analyze_json' | 'mysql_json' | 'mysql_tree' | 'mariadb_slow_log_explain';

/** One table as the plan reads it. */
export interface MyTableAccess {
  table: string;
  /** JSON access_type (ALL, index, range, ref, eq_ref, const, …); tree iterators are mapped onto the same words. */
  accessType: string;
  key: string | null;
  possibleKeys: string[];
  /** attached_condition / index_condition, or the Filter iterator above the table in a tree. */
  condition: string | null;
  /** Rows the optimizer expects to read per scan. */
  rowsEstimated: number | null;
  /** Rows actually read per scan (r_rows / tree rows), null without ANALYZE. */
  rowsActual: number | null;
  loops: number | null;
  /** Percent of read rows expected to pass the condition (filtered) and the measured share (r_filtered). */
  filtered: number | null;
  rFiltered: number | null;
  /** "hash join", "Block Nested Loop", "BNLH (flat)", … when the table is joined through a join buffer. */
  joinBuffer: string | null;
  /** "Range checked for each record": no index was usable when the plan was made. */
  rangeChecked: boolean;
}

export interface MyOperation {
  kind: 'filesort' | 'temporary_table';
  /** How findings name it ("filesort on orders.note desc", "Aggregate using temporary table"). */
  label: string;
  /** Rows that went through it, when the plan says. */
  rows: number | null;
}

/** A step with an estimate and (after ANALYZE) a measurement, for row_misestimate. */
export interface MyRowStep {
  label: string;
  rowsEstimated: number;
  rowsActual: number;
  loops: number;
}

export interface MyPlan {
  format: MyPlanFormat;
  analyzed: boolean;
  tables: MyTableAccess[];
  operations: MyOperation[];
  steps: MyRowStep[];
}

type Json = Record<string, unknown>;

function num(object: Json, key: string): number | null {
  const value = object[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function str(object: Json, key: string): string | null {
  const value = object[key];
  return typeof value === 'string' ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

// ---- JSON (MariaDB ANALYZE, MySQL EXPLAIN) ----------------------------------------------------------------------

/** The join buffer a MariaDB block-nl-join wraps its table in, with the join condition it evaluates. */
interface BufferedJoin {
  buffer: string;
  condition: string | null;
}

function tableFromJson(object: Json, join: BufferedJoin | null): MyTableAccess {
  return {
    table: str(object, 'table_name') ?? '?',
    accessType: str(object, 'access_type') ?? '?',
    key: str(object, 'key'),
    possibleKeys: strings(object.possible_keys),
    condition: str(object, 'attached_condition') ?? str(object, 'index_condition') ?? join?.condition ?? null,
    rowsEstimated: num(object, 'rows') ?? num(object, 'rows_examined_per_scan'),
    rowsActual: num(object, 'r_rows'),
    loops: num(object, 'r_loops'),
    filtered: num(object, 'filtered'),
    rFiltered: num(object, 'r_filtered'),
    joinBuffer: str(object, 'using_join_buffer') ?? join?.buffer ?? null,
    rangeChecked: object.range_checked_for_each_record !== undefined,
  };
}

function parseJsonPlan(document: Json): MyPlan {
  const block = document.query_block;
  if (block === null || typeof block !== 'object') throw new ParseError('mysql plan: JSON without "query_block"');
  const tables: MyTableAccess[] = [];
  const operations: MyOperation[] = [];
  const visit = (node: unknown, key: string | null, join: BufferedJoin | null): void => {
    if (Array.isArray(node)) {
      node.forEach((item) => visit(item, key, join));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const object = node as Json;
    if (key === 'table' && typeof object.table_name === 'string') tables.push(tableFromJson(object, join));
    if (key === 'filesort' || object.using_filesort === true) {
      const sortKey = str(object, 'sort_key');
      const inner = object.table as Json | undefined;
      const on = sortKey ?? (inner && typeof inner.table_name === 'string' ? inner.table_name : null);
      operations.push({ kind: 'filesort', label: on === null ? 'filesort' : `filesort on ${on}`,
        rows: num(object, 'r_output_rows') });
    }
    if (key === 'temporary_table' || object.using_temporary_table === true) {
      const label = key === null || key === 'temporary_table' ? 'temporary table' : `temporary table for ${key.replace(/_/g, ' ')}`;
      operations.push({ kind: 'temporary_table', label, rows: null });
    }
    // MariaDB: {"block-nl-join": {"table": {…}, "buffer_type": "flat", "join_type": "BNL"}}
    const buffered: BufferedJoin | null = key === 'block-nl-join'
      ? { buffer: `${str(object, 'join_type') ?? 'BNL'} (${str(object, 'buffer_type') ?? '?'} buffer)`,
        condition: str(object, 'attached_condition') }
      : null;
    for (const [childKey, child] of Object.entries(object)) visit(child, childKey, buffered ?? (childKey === 'table' ? join : null));
  };
  visit(block, 'query_block', null);
  const analyzed = tables.some((table) => table.rowsActual !== null);
  const steps: MyRowStep[] = [];
  for (const table of tables) {
    if (table.rowsEstimated === null || table.rowsActual === null) continue;
    // Batched Key Access counts r_loops per buffer refill and r_rows per batch of lookups, while `rows` is per
    // lookup: the two do not compare.
    if (table.joinBuffer !== null && /^BKA/i.test(table.joinBuffer)) continue;
    // Rows produced per scan: what the next join step receives, and where a wrong estimate changes the join order.
    steps.push({
      label: `${table.table} (${table.accessType})`,
      rowsEstimated: table.rowsEstimated * (table.filtered ?? 100) / 100,
      rowsActual: table.rowsActual * (table.rFiltered ?? 100) / 100,
      loops: table.loops ?? 1,
    });
  }
  return { format: analyzed ? 'mariadb_analyze_json' : 'mysql_json', analyzed, tables, operations, steps };
}

// ---- Tree (MySQL EXPLAIN ANALYZE / FORMAT=TREE) ------------------------------------------------------------------

// The estimate group is "(cost=… rows=N)", or "(rows=N)" where costs are not printed (MySQL 8.0.21+ EXPLAIN
// FORMAT=TREE in mysql-test, the hypergraph optimizer).
const TREE_LINE = /^(\s*)-> (.*?)(?:\s+\((?:cost=[\d.e+]+(?:\.\.[\d.e+]+)? )?rows=([\d.e+]+)\))?(?:\s+\(actual time=[\d.e+]+\.\.[\d.e+]+ rows=([\d.e+]+) loops=(\d+)\))?\s*$/;

interface TreeNode {
  depth: number;
  operation: string;
  rowsEstimated: number | null;
  rowsActual: number | null;
  loops: number | null;
  children: TreeNode[];
}

const TREE_ACCESS: Array<[RegExp, string]> = [
  [/^Table scan on (\S+)/, 'ALL'],
  [/^Index scan on (\S+) using (\S+)/, 'index'],
  [/^Covering index scan on (\S+) using (\S+)/, 'index'],
  [/^Index range scan on (\S+) using (\S+)/, 'range'],
  [/^Covering index range scan on (\S+) using (\S+)/, 'range'],
  // A dynamic range scan: no index was usable when the plan was made, one is picked again for every outer row
  // (the tree form of JSON's range_checked_for_each_record).
  [/^(?:Covering index|Index) range scan on (\S+) \(re-planned for each iteration\)/, 'range'],
  [/^Single-row index lookup on (\S+) using (\S+)/, 'eq_ref'],
  [/^Single-row covering index lookup on (\S+) using (\S+)/, 'eq_ref'],
  [/^Index lookup on (\S+) using (\S+)/, 'ref'],
  [/^Covering index lookup on (\S+) using (\S+)/, 'ref'],
  [/^Constant row from (\S+)/, 'const'],
];

function parseTree(text: string): MyPlan {
  const roots: TreeNode[] = [];
  const stack: TreeNode[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const match = TREE_LINE.exec(line);
    // A cost/actual group that did not match the pattern in full (a cut line) ends up in the operation text.
    if (match === null || /\((cost|actual|rows)\b/.test(match[2] ?? '')) {
      throw new ParseError(`mysql plan: tree line ${index + 1} unreadable: ${JSON.stringify(line.slice(0, 120))}`);
    }
    const node: TreeNode = {
      depth: (match[1] ?? '').length,
      operation: match[2] ?? '',
      rowsEstimated: match[3] === undefined ? null : Number(match[3]),
      rowsActual: match[4] === undefined ? null : Number(match[4]),
      loops: match[5] === undefined ? null : Number(match[5]),
      children: [],
    };
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= node.depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent === undefined) roots.push(node);
    else parent.children.push(node);
    stack.push(node);
  }
  if (roots.length === 0) throw new ParseError('mysql plan: empty tree');

  const tables: MyTableAccess[] = [];
  const operations: MyOperation[] = [];
  const steps: MyRowStep[] = [];
  const visit = (node: TreeNode, filter: string | null, joinBuffer: string | null): void => {
    const op = node.operation;
    if (node.rowsEstimated !== null && node.rowsActual !== null && node.loops !== null) {
      steps.push({ label: op, rowsEstimated: node.rowsEstimated, rowsActual: node.rowsActual, loops: node.loops });
    }
    for (const [pattern, accessType] of TREE_ACCESS) {
      const access = pattern.exec(op);
      if (access === null || access[1] === '<temporary>') continue;
      tables.push({
        table: access[1] ?? '?', accessType, key: access[2] ?? null, possibleKeys: [], condition: filter,
        rowsEstimated: node.rowsEstimated, rowsActual: node.rowsActual, loops: node.loops,
        filtered: null, rFiltered: null, joinBuffer, rangeChecked: op.includes('(re-planned for each iteration)'),
      });
      break;
    }
    if (/^Sort( row IDs)?:/.test(op) || /^Sort\b/.test(op)) {
      operations.push({ kind: 'filesort', label: op, rows: node.rowsActual });
    }
    if (/temporary table|^Materialize|^Temporary table/i.test(op) && !/^Table scan on <temporary>/.test(op)) {
      operations.push({ kind: 'temporary_table', label: op, rows: node.rowsActual });
    }
    const filterMatch = /^Filter: (.*)$/.exec(op);
    const hashJoin = /hash join/i.test(op);
    node.children.forEach((child, index) => {
      // In a hash join the second input is the build side, read into the join buffer.
      const buffer = hashJoin && index === node.children.length - 1 ? 'hash join' : (filterMatch ? joinBuffer : null);
      visit(child, filterMatch ? filterMatch[1] ?? null : null, buffer);
    });
  };
  roots.forEach((root) => visit(root, null, null));
  const analyzed = /\(actual time=/.test(text);
  return { format: 'mysql_tree', analyzed, tables, operations, steps };
}

// ---- Tabular EXPLAIN (MariaDB slow log, log_slow_verbosity=explain) -----------------------------------------------

const EXPLAIN_COLUMNS = ['id', 'select_type', 'table', 'type', 'possible_keys', 'key', 'rows'] as const;

/** "Using join buffer (flat, BNL join)" -> "BNL join (flat buffer)"; BKA keeps its name (it looks rows up by key). */
function joinBufferOf(extra: string): string | null {
  const match = /Using join buffer \(([^,)]+), ([^)]+)\)/.exec(extra);
  return match ? `${match[2]} (${match[1]} buffer)` : null;
}

/** The `# explain:` lines of one slow log entry (header line first, tab-separated, "NULL" for SQL NULL). */
export function parseExplainTable(lines: readonly string[]): MyPlan {
  const [header, ...rows] = lines;
  const columns = (header ?? '').split('\t');
  const missing = EXPLAIN_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) throw new ParseError(`mysql plan: explain table header lacks ${missing.join(', ')}: `
    + `${JSON.stringify((header ?? '').slice(0, 120))}`);
  const tables: MyTableAccess[] = [];
  const operations: MyOperation[] = [];
  const steps: MyRowStep[] = [];
  rows.forEach((line, index) => {
    const cells = line.split('\t');
    if (cells.length < columns.length - 1) throw new ParseError(`mysql plan: explain row ${index + 1} has ${cells.length} `
      + `of ${columns.length} columns: ${JSON.stringify(line.slice(0, 120))}`);
    const row: Json = {};
    columns.forEach((column, at) => {
      const cell = cells[at];
      if (cell !== undefined && cell !== 'NULL') row[column] = cell;
    });
    const table = str(row, 'table');
    if (table === null) return; // "No tables used", "Impossible WHERE" rows
    const extra = str(row, 'Extra') ?? '';
    const access: MyTableAccess = {
      table,
      accessType: str(row, 'type') ?? '?',
      key: str(row, 'key'),
      possibleKeys: (str(row, 'possible_keys') ?? '').split(',').filter((key) => key !== ''),
      condition: null, // the table form says only "Using where", not the condition
      rowsEstimated: num(row, 'rows'),
      rowsActual: num(row, 'r_rows'),
      loops: null,
      filtered: num(row, 'filtered'),
      rFiltered: num(row, 'r_filtered'),
      joinBuffer: joinBufferOf(extra),
      rangeChecked: /Range checked for each record/.test(extra),
    };
    tables.push(access);
    if (/Using filesort/.test(extra)) operations.push({ kind: 'filesort', label: `filesort on ${table}`, rows: null });
    if (/Using temporary/.test(extra)) operations.push({ kind: 'temporary_table', label: `temporary table for ${table}`, rows: null });
    // As in the JSON form: BKA rows are per batch of lookups, the estimate per lookup.
    if (access.rowsEstimated !== null && access.rowsActual !== null && !/^BKA/i.test(access.joinBuffer ?? '')) {
      steps.push({
        label: `${table} (${access.accessType})`,
        rowsEstimated: access.rowsEstimated * (access.filtered ?? 100) / 100,
        rowsActual: access.rowsActual * (access.rFiltered ?? 100) / 100,
        loops: 1,
      });
    }
  });
  return { format: 'mariadb_slow_log_explain', analyzed: steps.length > 0, tables, operations, steps };
}

/** JSON string escapes other than \x (RFC 8259). */
const JSON_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

/**
 * MariaDB's EXPLAIN/ANALYZE FORMAT=JSON prints a condition's string constants as the server prints SQL, not as JSON
 * (MDEV-16462): a byte it cannot show as text becomes `\xNN` (`_latin1'\xE9'`, `_binary'\x0A'`) and a tab or other
 * control character is written raw, both invalid in JSON. Inside strings only, this keeps such a `\x` as the text it
 * is (`\\x`) and escapes raw control characters (`\u0009`); valid JSON comes out unchanged.
 */
export function repairServerJson(text: string): string {
  let out = '';
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (!inString) {
      if (char === '"') inString = true;
      out += char;
    } else if (char === '\\') {
      const next = text[index + 1] ?? '';
      // A known escape stays as it is; any other (\x…, a stray backslash) is the backslash itself, as text.
      out += JSON_ESCAPES.has(next) ? `${char}${next}` : '\\\\';
      if (JSON_ESCAPES.has(next)) index += 1;
    } else if (char === '"') {
      inString = false;
      out += char;
    } else if (char.charCodeAt(0) < 0x20) {
      out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    } else {
      out += char;
    }
  }
  return out;
}

/** A server's JSON plan document: JSON.parse, else the text through repairServerJson; a ParseError naming it when neither reads. */
export function parseServerJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error: unknown) {
    try {
      return JSON.parse(repairServerJson(text));
    } catch {
      // The first error is the one to report: the repair only widens what is accepted.
      throw new ParseError(`mysql plan: neither JSON nor an EXPLAIN tree: ${JSON.stringify(text.slice(0, 60))}`, { cause: error });
    }
  }
}

/** Parses any of the three formats (text or parsed JSON). */
export function parseMysqlPlan(document: unknown): MyPlan {
  if (typeof document === 'string') {
    const text = document.trim();
    if (text.startsWith('->')) return parseTree(text);
    return parseMysqlPlan(parseServerJson(text));
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ParseError('mysql plan: expected a JSON object with "query_block" or EXPLAIN tree text');
  }
  return parseJsonPlan(document as Json);
}
