// The MySQL/MariaDB gate in front of EXPLAIN ANALYZE / ANALYZE FORMAT=JSON, built on node-sql-parser.
// Only one plain SELECT passes: no second statement, no INTO (variables, OUTFILE, DUMPFILE), no FOR UPDATE or
// LOCK IN SHARE MODE, no user-variable assignment, no stored function (its declared characteristics are not
// enforced by the server, so any of them may write), no built-in with side effects (sleeps, locks, sequences).
// The runner executes the parser's canonical text (`canonicalSql`), not the original: MySQL runs version comments
// (`/*!50000 FOR UPDATE */`) that any parser reads as comments, and the canonical text has no comments at all.
// A view runs its definition when read, so every view the statement reads is put through the same gate
// (information_schema.VIEWS), views over views followed.
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
  /** Tables (or views, or WITH names) the statement reads, for the view lookup. */
  relations?: MysqlRelation[];
}

/** A table as the statement names it: db null when unqualified. Names in lower case. */
export interface MysqlRelation {
  db: string | null;
  name: string;
}

/** One view from information_schema.VIEWS; `definition` is empty when the user may not read it. */
export interface MysqlViewDefinition {
  schema: string;
  name: string;
  definition: string;
}

export interface MysqlCatalog {
  /** Names (lower case) of stored functions among `names`, in any schema. */
  storedFunctions(names: string[]): Promise<string[]>;
  /** Views named (case-insensitively) like any of `names` (lower case), in any schema. */
  viewDefinitions(names: string[]): Promise<MysqlViewDefinition[]>;
}

/** Views over views: deeper nesting than this is refused rather than followed. */
const MAX_VIEW_DEPTH = 8;

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
  const relations = new Map<string, MysqlRelation>();
  walkTree(statement, (node, key) => {
    const type = node.type;
    // FROM items (joins included) name a table as a string; subqueries there are walked on their own.
    if (key === 'from' && typeof node.table === 'string') {
      const relation: MysqlRelation = { db: typeof node.db === 'string' ? node.db.toLowerCase() : null, name: node.table.toLowerCase() };
      relations.set(relationLabel(relation), relation);
    }
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
  return { allowed: true, reason: 'single SELECT', canonicalSql, functions: [...functions], relations: [...relations.values()] };
}

function relationLabel(relation: MysqlRelation): string {
  return relation.db === null ? relation.name : `${relation.db}.${relation.name}`;
}

/**
 * The views among `relations`: an unqualified name matches a view of that name in any schema (the connection's
 * default database is not assumed). A WITH query named like a view is taken for the view: a needless refusal, never
 * a miss. Names compare case-insensitively whatever lower_case_table_names says, for the same reason.
 */
export function mysqlViewsRead(relations: readonly MysqlRelation[], views: readonly MysqlViewDefinition[]): MysqlViewDefinition[] {
  return views.filter((view) => relations.some((relation) => relation.name === view.name.toLowerCase()
    && (relation.db === null || relation.db === view.schema.toLowerCase())));
}

/**
 * The whole gate: parser, then information_schema.ROUTINES for stored functions, then information_schema.VIEWS for
 * the definitions of the views read, each gated the same way.
 */
export async function gateMysql(sql: string, flavor: Flavor, catalog: MysqlCatalog, depth = 0): Promise<MysqlGateResult> {
  const inspected = inspectMysqlStatement(sql, flavor);
  if (!inspected.allowed) return inspected;
  const called = inspected.functions ?? [];
  const stored = called.length > 0 ? await catalog.storedFunctions(called) : [];
  if (stored.length > 0) return refuse(`calls stored function ${stored.join(', ')}(), which may write`);
  const reason = `single SELECT; ${called.length} functions checked, none stored or with side effects`;
  const relations = inspected.relations ?? [];
  if (relations.length === 0) return { ...inspected, reason };

  const views = mysqlViewsRead(relations, await catalog.viewDefinitions([...new Set(relations.map((relation) => relation.name))]));
  if (views.length > 0 && depth >= MAX_VIEW_DEPTH) return refuse(`views nested deeper than ${MAX_VIEW_DEPTH} levels`);
  for (const view of views) {
    const label = `${view.schema}.${view.name}`;
    // information_schema.VIEWS shows an empty definition to a user without SHOW VIEW on it (or not its definer).
    if (view.definition.trim() === '') return refuse(`reads view ${label}: cannot read the definition of view ${label}`);
    const inner = await gateMysql(view.definition, flavor, catalog, depth + 1);
    if (!inner.allowed) return refuse(`reads view ${label}, whose definition is refused: ${inner.reason}`);
  }
  return views.length === 0 ? { ...inspected, reason }
    : { ...inspected, reason: `${reason}; ${views.length} views read, their definitions checked the same way` };
}
