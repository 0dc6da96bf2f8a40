// The MySQL/MariaDB gate in front of EXPLAIN ANALYZE / ANALYZE FORMAT=JSON, built on node-sql-parser.
// Only one plain SELECT passes: no second statement, no INTO (variables, OUTFILE, DUMPFILE), no FOR UPDATE or
// LOCK IN SHARE MODE, no user-variable assignment, and only functions proved built in: every function called must be
// on the allow-list of that flavor and version (mysql-builtins.ts), unqualified. A stored function (its declared
// characteristics are not enforced, so any of them may write, and a DEFINER one runs with its definer's rights), a
// loadable function (mysql.func) and a schema-qualified call are all refused by name — no catalog lookup decides, so
// a routine the agent cannot see in information_schema.ROUTINES is refused all the same. Built-ins with effects
// outside the statement (locks, sleeps, files, sequences) are refused by name too.
// The runner executes the parser's canonical text (`canonicalSql`), not the original: MySQL runs version comments
// (`/*!50000 FOR UPDATE */`) that any parser reads as comments, and the canonical text has no comments at all.
// A view runs its definition when read, so every view the statement reads is put through the same gate
// (information_schema.VIEWS), views over views followed; a definition the agent may not read is refused.
import type { AST } from 'node-sql-parser/build/mysql';
import { sqlParser, type Dialect } from '../../parsers/sql/mysql';
import { walkTree } from '../../parsers/sql/tree';
import { refuse, type GateVerdict } from './verdict';
import type { Flavor } from '../../core/report';
import { builtinFunctions, SIDE_EFFECT_FUNCTIONS, type BuiltinList } from './mysql-builtins';

/** The server the gate judges for: which functions are built in depends on flavor and version. */
export interface MysqlServer {
  flavor: 'mysql' | 'mariadb';
  /** [major, minor, patch] */
  version: [number, number, number];
}

const STATEMENT_TYPES = new Set(['insert', 'replace', 'update', 'delete', 'create', 'drop', 'alter', 'truncate',
  'call', 'set', 'lock', 'unlock', 'grant', 'load_data', 'rename', 'use', 'exec', 'do']);

export interface MysqlGateResult extends GateVerdict {
  /** The text to execute when allowed: the parser's own rendering of the checked tree, comments removed. */
  canonicalSql?: string;
  /** Functions the statement calls (lower case), every one built in. */
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

interface CalledFunction {
  schema: string | null;
  name: string;
  /** Written as a quoted identifier (`left`): the server then skips its keyword functions and may reach a stored one. */
  quoted: boolean;
}

/** Name types node-sql-parser gives a function name written bare (identifier or keyword). */
const BARE_NAME_TYPES = new Set(['default', 'origin']);

/** A called function's name as written: schema null when unqualified. Null when the tree does not say. */
function calledFunction(node: Record<string, unknown>): CalledFunction | null {
  const name = node.name;
  if (typeof name === 'string') return { schema: null, name: name.toLowerCase(), quoted: false };
  const written = name as { name?: Array<{ type?: unknown; value?: unknown }>; schema?: { value?: unknown } } | null;
  const parts = written?.name;
  if (!Array.isArray(parts) || parts.length !== 1 || typeof parts[0]?.value !== 'string') return null;
  const schema = written?.schema?.value;
  return {
    schema: typeof schema === 'string' ? schema.toLowerCase() : null,
    name: parts[0].value.toLowerCase(),
    quoted: !BARE_NAME_TYPES.has(String(parts[0].type)),
  };
}

/** Why the function may not run, or null when it is an allowed built-in. */
function functionProblem({ schema, name, quoted }: CalledFunction, builtins: BuiltinList): string | null {
  if (schema !== null) return `calls ${schema}.${name}(), which is not built in (a schema-qualified call is a stored function)`;
  if (SIDE_EFFECT_FUNCTIONS.has(name)) return `calls ${name}(), a built-in with side effects `
    + '(locks, sleeps, files, sequences or error text)';
  if (!builtins.names.has(name)) {
    return `calls ${name}(), which is not built in (not on the ${builtins.label} allow-list: stored and loadable functions are refused)`;
  }
  if (quoted) return `calls \`${name}\`(), which is not built in `
    + '(a quoted name skips the keyword built-ins and may reach a stored function)';
  return null;
}

/** The parser-only part of the gate. */
export function inspectMysqlStatement(sql: string, server: MysqlServer): MysqlGateResult {
  const { flavor } = server;
  const builtins = builtinFunctions(flavor, server.version);
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
  if (statement.type === 'update' || statement.type === 'delete' || statement.type === 'insert' || statement.type === 'replace') {
    // Measured on MariaDB 10.11: EXPLAIN of a write needs the write privilege (ER_TABLEACCESS_DENIED_ERROR for a
    // SELECT-only account), and an account cannot drop rights inside a session, so the read-only agent cannot plan it.
    const command = statement.type.toUpperCase();
    return refuse(`${command} is not a SELECT: EXPLAIN of ${command} needs ${command === 'REPLACE' ? 'INSERT and DELETE' : command} ` +
      'privilege, which the read-only agent does not hold; its executed plan comes from the slow query log '
      + 'where the server writes one (MariaDB log_slow_verbosity=explain)');
  }
  if (statement.type !== 'select') return refuse(`${String(statement.type).toUpperCase()} is not a SELECT`);

  const problems: string[] = [];
  const functions = new Set<string>();
  const relations = new Map<string, MysqlRelation>();
  walkTree(statement, (node) => {
    const type = node.type;
    // A table reference names its table as a string wherever it sits: FROM items, joins, a parenthesized join's
    // `expr` list (MariaDB's VIEW_DEFINITION writes joins that way). Column references carry their table otherwise.
    if (typeof node.table === 'string' && type !== 'column_ref') {
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
      const called = calledFunction(node);
      const problem = called === null ? `calls a function the parser cannot name (${JSON.stringify(node.name)})`
        : functionProblem(called, builtins);
      if (problem !== null) problems.push(problem);
      else if (called !== null) functions.add(called.name);
    }
  });
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
 * The whole gate: parser and allow-list, then information_schema.VIEWS for the definitions of the views read, each
 * gated the same way.
 */
export async function gateMysql(sql: string, server: MysqlServer, catalog: MysqlCatalog, depth = 0): Promise<MysqlGateResult> {
  const inspected = inspectMysqlStatement(sql, server);
  if (!inspected.allowed) return inspected;
  const called = inspected.functions ?? [];
  const reason = `single SELECT; ${called.length} functions called, all built in`;
  const relations = inspected.relations ?? [];
  if (relations.length === 0) return { ...inspected, reason };

  const views = mysqlViewsRead(relations, await catalog.viewDefinitions([...new Set(relations.map((relation) => relation.name))]));
  if (views.length > 0 && depth >= MAX_VIEW_DEPTH) return refuse(`views nested deeper than ${MAX_VIEW_DEPTH} levels`);
  for (const view of views) {
    const label = `${view.schema}.${view.name}`;
    // information_schema.VIEWS shows an empty definition to a user without SHOW VIEW on it (or not its definer).
    if (view.definition.trim() === '') return refuse(`reads view ${label}: cannot read the definition of view ${label}`);
    const inner = await gateMysql(view.definition, server, catalog, depth + 1);
    if (!inner.allowed) return refuse(`reads view ${label}, whose definition is refused: ${inner.reason}`);
  }
  return views.length === 0 ? { ...inspected, reason }
    : { ...inspected, reason: `${reason}; ${views.length} views read, their definitions checked the same way` };
}
