// The MySQL/MariaDB gate in front of EXPLAIN ANALYZE / ANALYZE FORMAT=JSON, built on node-sql-parser.
// Only one plain SELECT passes: no second statement, no INTO (variables, OUTFILE, DUMPFILE), no FOR UPDATE or
// LOCK IN SHARE MODE, no user-variable assignment, no stored function (its declared characteristics are not
// enforced by the server, so any of them may write), no built-in with side effects (sleeps, locks, sequences).
// The runner executes the parser's canonical text (`canonicalSql`), not the original: MySQL runs version comments
// (`/*!50000 FOR UPDATE */`) that any parser reads as comments, and the canonical text has no comments at all.
import type { AST } from 'node-sql-parser/build/mysql';
import { sqlParser, type Dialect } from '../sql-parsers';
import { refuse, walkTree, type GateVerdict } from './verdict';
import type { Flavor } from '../../core/report';

/** Built-ins that sleep, take locks, wait on replication, read files, or move sequences. */
const DENIED_FUNCTIONS = new Set([
  'sleep', 'benchmark', 'get_lock', 'release_lock', 'release_all_locks', 'is_used_lock', 'is_free_lock',
  'load_file', 'master_pos_wait', 'source_pos_wait', 'master_gtid_wait', 'wait_for_executed_gtid_set',
  'wait_until_sql_thread_after_gtids', 'nextval', 'setval', 'lastval', 'last_insert_id', 'sys_exec', 'sys_eval',
]);

const STATEMENT_TYPES = new Set(['insert', 'replace', 'update', 'delete', 'create', 'drop', 'alter', 'truncate',
  'call', 'set', 'lock', 'unlock', 'grant', 'load_data', 'rename', 'use', 'exec', 'do']);

export interface MysqlGateResult extends GateVerdict {
  /** The text to execute when allowed: the parser's own rendering of the checked tree, comments removed. */
  canonicalSql?: string;
  /** Functions the statement calls, for the stored-routine lookup. */
  functions?: string[];
}

export interface MysqlCatalog {
  /** Names (lower case) of stored functions among `names`, in any schema. */
  storedFunctions(names: string[]): Promise<string[]>;
}

const DIALECT_NAME: Record<Dialect, string> = { mysql: 'MySQL', mariadb: 'MariaDB' };

/**
 * MariaDB text goes through the MariaDB grammar first, then the MySQL one (node-sql-parser's MariaDB grammar
 * rejects some plain MySQL-compatible text, e.g. an unquoted `status` column). Safe either way: what runs is the
 * rendering of the tree that was checked.
 */
function dialectsFor(flavor: Flavor): Dialect[] {
  return flavor === 'mariadb' ? ['mariadb', 'mysql'] : ['mysql'];
}

function functionName(node: Record<string, unknown>): string | null {
  const name = node.name;
  if (typeof name === 'string') return name.toLowerCase();
  const parts = (name as { name?: Array<{ value?: unknown }> } | null)?.name;
  if (!Array.isArray(parts)) return null;
  const last = parts[parts.length - 1]?.value;
  return typeof last === 'string' ? last.toLowerCase() : null;
}

/** The parser-only part of the gate. */
export function inspectMysqlStatement(sql: string, flavor: Flavor): MysqlGateResult {
  let parsed: AST | AST[] | null = null;
  let dialect: Dialect = 'mysql';
  const failures: string[] = [];
  for (const candidate of dialectsFor(flavor)) {
    try {
      parsed = sqlParser(candidate).astify(sql, { database: DIALECT_NAME[candidate] });
      dialect = candidate;
      break;
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
      failures.push(`${DIALECT_NAME[candidate]}: ${message.slice(0, 120)}`);
    }
  }
  if (parsed === null) return refuse(`not parsable as one statement (${failures.join('; ')})`);
  const database = DIALECT_NAME[dialect];
  const statements = Array.isArray(parsed) ? parsed : [parsed];
  if (statements.length !== 1) return refuse(`${statements.length} statements in one text; only one SELECT may run`);
  const statement = statements[0] as unknown as Record<string, unknown>;
  if (statement.type !== 'select') return refuse(`${String(statement.type).toUpperCase()} is not a SELECT`);

  const problems: string[] = [];
  const functions = new Set<string>();
  walkTree(statement, (node) => {
    const type = node.type;
    if (typeof type === 'string' && STATEMENT_TYPES.has(type) && 'table' in node) {
      problems.push(`${type.toUpperCase()} inside the SELECT`);
    }
    const into = node.into as { position?: unknown; keyword?: unknown } | undefined;
    if (into !== undefined && into !== null && typeof into === 'object' && into.position !== null && into.position !== undefined) {
      problems.push(`SELECT INTO ${String(into.keyword ?? '')} writes`.replace('  ', ' '));
    }
    if (typeof node.locking_read === 'string' || (node.locking_read !== null && typeof node.locking_read === 'object')) {
      problems.push(`${JSON.stringify(node.locking_read)} locks rows`);
    }
    if (type === 'assign') problems.push('assigns a user variable');
    if (type === 'function' || type === 'aggr_func') {
      const name = functionName(node);
      if (name !== null) functions.add(name);
    }
  });
  for (const name of functions) if (DENIED_FUNCTIONS.has(name)) problems.push(`calls ${name}(), which has side effects`);
  if (problems.length > 0) return refuse([...new Set(problems)].join('; '));
  let canonicalSql: string;
  try {
    canonicalSql = sqlParser(dialect).sqlify(statements[0] as AST, { database });
  } catch (error: unknown) {
    return refuse(`the parser cannot render the statement back: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { allowed: true, reason: 'single SELECT', canonicalSql, functions: [...functions] };
}

/** The whole gate: parser, then information_schema.ROUTINES for stored functions. */
export async function gateMysql(sql: string, flavor: Flavor, catalog: MysqlCatalog): Promise<MysqlGateResult> {
  const inspected = inspectMysqlStatement(sql, flavor);
  if (!inspected.allowed) return inspected;
  const called = inspected.functions ?? [];
  const stored = called.length > 0 ? await catalog.storedFunctions(called) : [];
  if (stored.length > 0) return refuse(`calls stored function ${stored.join(', ')}(), which may write`);
  return { ...inspected, reason: `single SELECT; ${called.length} functions checked, none stored or with side effects` };
}
