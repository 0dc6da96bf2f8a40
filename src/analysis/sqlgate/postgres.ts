// The PostgreSQL gate in front of EXPLAIN ANALYZE, built on PostgreSQL's own parser (libpg-query, WASM).
// EXPLAIN ANALYZE executes its statement, so only one plain SELECT passes: no second statement, no SELECT INTO, no
// row locks, no data-modifying WITH, and no function that is VOLATILE in pg_proc (so user-defined functions that
// write are caught too) or on the deny list of functions with side effects outside the table data. A view runs its
// definition when read, so every view the statement reads is put through the same gate (pg_get_viewdef).
import { loadPostgresParser, parsePostgres } from '../pg-parser';
import { refuse, walkTree, type GateVerdict } from './verdict';
import { DB_SENTINEL_TAG } from '../../collectors/db/postgres-sql';

/** Functions with effects beyond the statement's own rows (locks, sleeps, sessions, large objects, settings). */
const DENIED_FUNCTION_PATTERNS: readonly RegExp[] = [
  /^dblink/, /^pg_sleep/, /^pg_advisory/, /^lo_/, /^set_config$/, /^pg_terminate_backend$/,
  /^pg_cancel_backend$/, /_reset$/, /^nextval$/, /^setval$/, /^pg_notify$/, /^pg_logical_emit_message$/,
  /^pg_reload_conf$/, /^pg_switch_wal$/, /^pg_rotate_logfile$/, /^pg_create_restore_point$/,
];

const DATA_MODIFYING_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** A function as the statement names it: schema null when unqualified (then any schema on the path could match). */
export interface CalledFunction {
  schema: string | null;
  name: string;
}

/** A relation as the statement names it (a table, a view, or a WITH query's name). */
export interface NamedRelation {
  schema: string | null;
  name: string;
}

export interface PostgresStatementFacts {
  functions: CalledFunction[];
  relations: NamedRelation[];
  /** Operator symbols used (each resolves to a function, pg_operator.oprcode). */
  operators: string[];
}

/** One row of FUNCTION_VOLATILITY_SQL / OPERATOR_VOLATILITY_SQL. */
export interface RoutineVolatility {
  /** Schema-qualified function name, or the operator symbol. */
  schema: string;
  name: string;
  /** 'i' immutable, 's' stable, 'v' volatile. */
  provolatile: string;
  /** The implementing function, for operators. */
  function?: string;
}

/** Every function of these names in any schema, with its volatility. $1 = text[] of names. */
export const FUNCTION_VOLATILITY_SQL = `${DB_SENTINEL_TAG} SELECT n.nspname AS schema, p.proname AS name, p.provolatile::text AS provolatile
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = ANY($1::text[])`;

/** Every operator of these symbols with the volatility of the function behind it. $1 = text[] of symbols. */
export const OPERATOR_VOLATILITY_SQL = `${DB_SENTINEL_TAG} SELECT n.nspname AS schema, o.oprname AS name, p.provolatile::text AS provolatile,
  p.proname AS function
FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
  JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
WHERE o.oprname = ANY($1::text[])`;

/** Every (non-materialized) view of these names in any schema, with its definition. $1 = text[] of names. */
export const VIEW_DEFINITION_SQL = `SELECT n.nspname AS schema, c.relname AS name, pg_catalog.pg_get_viewdef(c.oid) AS definition
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v' AND c.relname = ANY($1::text[])`;

/** One row of VIEW_DEFINITION_SQL. */
export interface ViewDefinition {
  schema: string;
  name: string;
  definition: string;
}

/** Reads pg_proc and pg_class for the gate; the EXPLAIN runner gives it the monitored database's connection. */
export interface PostgresCatalog {
  functionVolatility(names: string[]): Promise<RoutineVolatility[]>;
  operatorVolatility(symbols: string[]): Promise<RoutineVolatility[]>;
  viewDefinitions(names: string[]): Promise<ViewDefinition[]>;
}

/** Views over views: deeper nesting than this is refused rather than followed. */
const MAX_VIEW_DEPTH = 8;

export { loadPostgresParser };

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const sval = (item as { String?: { sval?: unknown } }).String?.sval;
    return typeof sval === 'string' ? [sval] : [];
  });
}

function functionLabel(fn: CalledFunction): string {
  return fn.schema === null ? fn.name : `${fn.schema}.${fn.name}`;
}

/**
 * The part of the gate that needs no database: parses `sql` and either refuses it or lists the functions and
 * operators whose volatility the catalog must confirm. Call loadPostgresParser() first.
 */
export function inspectPostgresStatement(sql: string): { verdict: GateVerdict } | { facts: PostgresStatementFacts } {
  let tree: { stmts?: Array<{ stmt?: Record<string, unknown> }> };
  try {
    tree = parsePostgres(sql) as typeof tree;
  } catch (error: unknown) {
    return { verdict: refuse(`not parsable by the PostgreSQL parser: ${error instanceof Error ? error.message : String(error)}`) };
  }
  const statements = tree.stmts ?? [];
  if (statements.length !== 1) return { verdict: refuse(`${statements.length} statements in one text; only one SELECT may run`) };
  const statement = statements[0]?.stmt ?? {};
  const kind = Object.keys(statement)[0] ?? '(empty)';
  if (kind !== 'SelectStmt') return { verdict: refuse(`${kind} is not a SELECT`) };

  const problems: string[] = [];
  const functions = new Map<string, CalledFunction>();
  const relations = new Map<string, NamedRelation>();
  const operators = new Set<string>();
  walkTree(statement, (node, key) => {
    if (key !== null && DATA_MODIFYING_NODES.has(key)) problems.push(`data-modifying ${key} inside the SELECT`);
    // Node types are capitalized (InsertStmt); lower-case keys such as `selectStmt` are fields of their parent.
    else if (key !== null && /^[A-Z]\w*Stmt$/.test(key) && key !== 'SelectStmt') problems.push(`${key} inside the SELECT`);
    if (key === 'SelectStmt') {
      if (node.intoClause !== undefined) problems.push('SELECT INTO creates a table');
      if (Array.isArray(node.lockingClause) && node.lockingClause.length > 0) {
        problems.push('FOR UPDATE/SHARE locks rows');
      }
    }
    if (key === 'FuncCall') {
      const parts = stringList(node.funcname);
      const name = parts[parts.length - 1];
      if (name !== undefined) {
        const fn: CalledFunction = { schema: parts.length > 1 ? parts[parts.length - 2] ?? null : null, name };
        functions.set(functionLabel(fn), fn);
      }
    }
    if (key === 'A_Expr') for (const symbol of stringList(node.name)) operators.add(symbol);
    if (key === 'RangeVar' && typeof node.relname === 'string') {
      const relation: NamedRelation = { schema: typeof node.schemaname === 'string' ? node.schemaname : null, name: node.relname };
      relations.set(functionLabel(relation), relation);
    }
  });
  for (const fn of functions.values()) {
    if (DENIED_FUNCTION_PATTERNS.some((pattern) => pattern.test(fn.name))) {
      problems.push(`calls ${functionLabel(fn)}(), which has side effects`);
    }
  }
  if (problems.length > 0) return { verdict: refuse(problems.join('; ')) };
  return { facts: { functions: [...functions.values()], relations: [...relations.values()], operators: [...operators] } };
}

/** Applies pg_proc's answers: every called function must exist and none of its overloads may be VOLATILE. */
export function judgeVolatility(facts: PostgresStatementFacts, functionRows: RoutineVolatility[],
  operatorRows: RoutineVolatility[]): GateVerdict {
  const problems: string[] = [];
  for (const fn of facts.functions) {
    const candidates = functionRows.filter((row) => row.name === fn.name && (fn.schema === null || row.schema === fn.schema));
    if (candidates.length === 0) problems.push(`function ${functionLabel(fn)}() not found in pg_proc`);
    else if (candidates.some((row) => row.provolatile === 'v')) problems.push(`calls VOLATILE function ${functionLabel(fn)}()`);
  }
  for (const symbol of facts.operators) {
    const volatile = operatorRows.find((row) => row.name === symbol && row.provolatile === 'v');
    if (volatile !== undefined) {
      problems.push(`operator ${symbol} runs VOLATILE function ${volatile.schema}.${volatile.function ?? '?'}()`);
    }
  }
  if (problems.length > 0) return refuse(problems.join('; '));
  const checked = facts.functions.length + facts.operators.length;
  return { allowed: true, reason: `single SELECT; ${checked} functions/operators checked in pg_catalog, none VOLATILE` };
}

/**
 * The views among `relations` (an unqualified name matches a view of that name in any schema, as it might be on
 * the search path). A WITH query named like a view is taken for the view: a needless refusal, never a miss.
 */
export function viewsRead(relations: readonly NamedRelation[], views: readonly ViewDefinition[]): ViewDefinition[] {
  return views.filter((view) => relations.some((relation) =>
    relation.name === view.name && (relation.schema === null || relation.schema === view.schema)));
}

/** The whole PostgreSQL gate: parser first, then pg_proc and the definitions of the views read, through `catalog`. */
export async function gatePostgres(sql: string, catalog: PostgresCatalog, depth = 0): Promise<GateVerdict> {
  await loadPostgresParser();
  const inspected = inspectPostgresStatement(sql);
  if ('verdict' in inspected) return inspected.verdict;
  const { facts } = inspected;
  const functionRows = facts.functions.length > 0
    ? await catalog.functionVolatility([...new Set(facts.functions.map((fn) => fn.name))]) : [];
  const operatorRows = facts.operators.length > 0 ? await catalog.operatorVolatility(facts.operators) : [];
  const verdict = judgeVolatility(facts, functionRows, operatorRows);
  if (!verdict.allowed || facts.relations.length === 0) return verdict;

  const views = viewsRead(facts.relations, await catalog.viewDefinitions([...new Set(facts.relations.map((r) => r.name))]));
  if (views.length > 0 && depth >= MAX_VIEW_DEPTH) return refuse(`views nested deeper than ${MAX_VIEW_DEPTH} levels`);
  for (const view of views) {
    const inner = await gatePostgres(view.definition, catalog, depth + 1);
    if (!inner.allowed) return refuse(`reads view ${view.schema}.${view.name}, whose definition is refused: ${inner.reason}`);
  }
  return views.length === 0 ? verdict
    : { allowed: true, reason: `${verdict.reason}; ${views.length} views read, their definitions checked the same way` };
}
