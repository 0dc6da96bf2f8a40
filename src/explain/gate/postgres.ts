// The PostgreSQL gate in front of EXPLAIN (plain, generic and ANALYZE alike: planning folds IMMUTABLE and evaluates
// STABLE functions, so planning runs code too). An allow-list, judged against the server's own catalogs:
//   - the text is one plain SELECT (no second statement, no SELECT INTO, no row locks, no data-modifying WITH), and
//     every node of its parse tree is of a kind this gate knows how to judge (anything else is refused);
//   - every function name it calls (also by attribute notation t.fn and TABLESAMPLE methods), every operator symbol
//     (also the implicit comparisons of IN, CASE, USING, DISTINCT …) and every type it names resolves ONLY to built-in
//     objects (OID below FirstNormalObjectId, 16384) or to objects of an extension the config allows by name, in
//     every schema: the name is looked up in all schemas, so a `public.lower(varchar)` that would win overload
//     resolution, or any search_path, cannot slip in;
//   - no built-in with effects beyond the statement (locks, sleeps, signals, slots, replication, files, settings,
//     statistics resets, sequences, dynamic SQL) and no VOLATILE function that is not known to be harmless;
//   - every relation read (and every partition or inheritance child) is a plain table, a materialized view or a view
//     whose definition passes this same gate; none has row-level security, a column of a non-built-in type (domains
//     included), or an index, constraint, statistics object or rule that depends on non-built-in code (the planner
//     folds index expressions and predicates, and CHECK constraints for constraint exclusion); no foreign tables;
//   - no user-made cast between built-in types exists (an ordinary user cannot create one; a cast involving a
//     non-built-in type cannot apply, since every reachable type is built in).
// INSERT, UPDATE and DELETE pass too, for a plain EXPLAIN only (never ANALYZE: the runner plans them, nothing runs):
// the same rules for everything they read, and their target must be a plain or partitioned table whose triggers and
// column defaults (generated columns too) use only built-in code and that has no rules. Measured on PostgreSQL 17:
// planning folds an IMMUTABLE user function in a default and runs a DO INSTEAD rule's action and an RLS policy's
// expression, before the privilege check; triggers do not fire, but are refused all the same (allow, don't deny).
import { loadPostgresParser, parsePostgres } from '../../parsers/sql/postgres';
import { walkTree } from '../../parsers/sql/tree';
import { refuse, type GateVerdict } from './verdict';
import { DB_SENTINEL_TAG } from '../../sources/statement-tag';

/** FirstNormalObjectId: every object initdb creates has a lower OID, every object created later a higher one. */
export const FIRST_NORMAL_OBJECT_ID = 16384;

/**
 * Built-in functions with effects beyond the statement's own result: locks, sleeps, signals, sessions, large objects,
 * settings, sequences, statistics resets, replication slots and origins, WAL and backups, server files, dynamic SQL
 * (query_to_xml and kin, ts_stat, ts_rewrite run SQL text), and dblink in case an operator allows it as an extension.
 */
const DENIED_FUNCTION_PATTERNS: readonly RegExp[] = [
  /^dblink/, /^pg_sleep/, /advisory/, /^lo_/, /^lo(read|write)$/, /^set_config$/, /^setseed$/,
  /^pg_(terminate|cancel)_backend$/, /^pg_signal/, /_reset/, /^(nextval|setval|currval|lastval)$/, /^pg_notify$/,
  /^pg_logical/, /^pg_reload_conf$/, /^pg_(switch|rotate|create|drop|copy|replication|wal_replay|xlog_replay)/,
  /^pg_promote$/, /^pg_(start|stop)_backup$/, /^pg_backup/, /^pg_(read|read_binary)_file/, /^pg_ls_/, /^pg_stat_file$/,
  /^pg_file_/, /^pg_log_/, /^pg_import_system_collations$/, /^pg_current_xact_id/, /^txid_current/, /_to_xml/,
  /^ts_stat$/, /^ts_rewrite$/, /^pg_export_snapshot$/, /^pg_prewarm/, /^pg_sync_replication_slots$/, /^pg_restore_/,
  /^pg_set_/, /^pg_clear_/, /^pg_(freeze|truncate)/,
];

/** VOLATILE built-ins whose only effect is their result (any other VOLATILE function is refused). */
const HARMLESS_VOLATILE = new Set(['random', 'random_normal', 'gen_random_uuid', 'clock_timestamp', 'timeofday']);

/** Implicit comparisons (IN, CASE x WHEN, JOIN … USING, NATURAL JOIN, NULLIF, BETWEEN, CYCLE) resolve these by name. */
const IMPLICIT_OPERATORS = ['=', '<>', '<', '>', '<=', '>='];

/** A_Expr kinds whose `name` is a keyword, not the operator symbol: the operators they stand for. */
const KEYWORD_OPERATORS: Record<string, string[]> = {
  BETWEEN: ['>=', '<='], 'NOT BETWEEN': ['<', '>'], 'BETWEEN SYMMETRIC': ['>=', '<='], 'NOT BETWEEN SYMMETRIC': ['<', '>'],
};

const DATA_MODIFYING_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Top-level statements planned (plain EXPLAIN only) besides SELECT, and the privilege each needs on its target. */
const WRITE_COMMANDS: Record<string, WriteCommand> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE' };

export type WriteCommand = 'INSERT' | 'UPDATE' | 'DELETE';

/** Nodes only INSERT/UPDATE/DELETE have: DEFAULT in VALUES or SET, (a, b) = (…), ON CONFLICT's index columns. */
const WRITE_NODES = new Set(['SetToDefault', 'MultiAssignRef', 'IndexElem']);

/**
 * Parse-tree node kinds the gate judges. A node of any other kind (XML functions, JSON_TABLE, a new kind of a later
 * parser version …) refuses the statement: where the tree cannot tell what would run, nothing runs.
 */
const JUDGED_NODES = new Set([
  'SelectStmt', 'ResTarget', 'ColumnRef', 'A_Star', 'A_Const', 'A_Expr', 'BoolExpr', 'NullTest', 'BooleanTest',
  'FuncCall', 'TypeCast', 'TypeName', 'RangeVar', 'Alias', 'JoinExpr', 'RangeSubselect', 'RangeFunction',
  'RangeTableSample', 'SubLink', 'CaseExpr', 'CaseWhen', 'CoalesceExpr', 'MinMaxExpr', 'SortBy', 'WindowDef',
  'CommonTableExpr', 'WithClause', 'CTESearchClause', 'CTECycleClause', 'ParamRef', 'A_Indirection', 'A_Indices',
  'A_ArrayExpr', 'RowExpr', 'SQLValueFunction', 'String', 'Integer', 'Float', 'Boolean', 'BitString', 'List',
  'GroupingSet', 'GroupingFunc', 'CollateClause', 'NamedArgExpr', 'ColumnDef', 'Null',
]);

/** A name as the statement writes it: schema null when unqualified (then every schema's objects count). */
export interface QualifiedName {
  schema: string | null;
  name: string;
}

export interface PostgresStatementFacts {
  /** Functions called by name (FuncCall, TABLESAMPLE methods). */
  functions: QualifiedName[];
  /** Field names after the first of a column reference or indirection: t.fn calls fn(t) when t has no column fn. */
  attributes: string[];
  /** Operator symbols, explicit and implicit. */
  operators: QualifiedName[];
  /** Types named (casts, column definition lists). */
  types: QualifiedName[];
  /** Relations named (tables, views, or WITH queries' names). */
  relations: QualifiedName[];
  /** INSERT, UPDATE or DELETE: the command and its target table (also among `relations`). */
  write?: WriteTarget;
}

export interface WriteTarget {
  command: WriteCommand;
  target: QualifiedName;
}

/** A verdict of the PostgreSQL gate; `write` when the statement is an INSERT, UPDATE or DELETE (plain EXPLAIN only). */
export interface PostgresGateVerdict extends GateVerdict {
  write?: WriteTarget;
}

/** One row of ROUTINES_SQL: a function of a looked-up name, in any schema. */
export interface RoutineRow {
  oid: number;
  schema: string;
  name: string;
  /** 'i' immutable, 's' stable, 'v' volatile. */
  volatility: string;
  args: number;
  /** The extension it belongs to, or null. */
  extension: string | null;
}

/** One row of OPERATORS_SQL. */
export interface OperatorRow {
  oid: number;
  schema: string;
  name: string;
  extension: string | null;
  /** The implementing function (pg_operator.oprcode). */
  code_oid: number;
  code: string;
  code_extension: string | null;
  code_volatility: string;
}

/** One row of TYPES_SQL. */
export interface TypeRow {
  oid: number;
  schema: string;
  name: string;
  extension: string | null;
}

/** One row of RELATIONS_SQL: a named relation (root) or one of its partitions / inheritance children (member). */
export interface RelationRow {
  root_schema: string;
  root_name: string;
  schema: string;
  name: string;
  /** pg_class.relkind */
  kind: string;
  row_security: boolean;
  /** pg_get_viewdef for views, else null. */
  definition: string | null;
  /** "column type" of every column whose type is not built in (nor of an allowed extension). */
  foreign_columns: string[];
  /** pg_describe_object of non-built-in code that the relation, its indexes, constraints, statistics or rules use. */
  foreign_dependencies: string[];
}

/** One row of TARGETS_SQL: the target of an INSERT/UPDATE/DELETE (root) or one of its partitions / children. */
export interface TargetRow {
  root_schema: string;
  root_name: string;
  schema: string;
  name: string;
  kind: string;
  /** Rules on it (a DO INSTEAD or DO ALSO rule rewrites the statement into other ones). */
  rules: string[];
  /** "<trigger or default> uses <object>" for non-built-in code that its triggers and column defaults use. */
  write_dependencies: string[];
}

/** One row of USER_CASTS_SQL. */
export interface CastRow {
  source: string;
  target: string;
}

/** Reads the catalogs for the gate; the EXPLAIN runner gives it the monitored database's (pinned) connection. */
export interface PostgresCatalog {
  routines(names: string[]): Promise<RoutineRow[]>;
  operators(symbols: string[]): Promise<OperatorRow[]>;
  types(names: string[]): Promise<TypeRow[]>;
  relations(names: string[], allowedExtensions: string[]): Promise<RelationRow[]>;
  /** TARGETS_SQL for the target of an INSERT/UPDATE/DELETE. */
  targets(names: string[], allowedExtensions: string[]): Promise<TargetRow[]>;
  userCasts(allowedExtensions: string[]): Promise<CastRow[]>;
}

export interface GateOptions {
  /** Extensions whose functions, operators and types count as built in (config explain.allowed_extensions). */
  allowedExtensions: readonly string[];
}

/** `extension` of the object (classTable, oidExpression) when it belongs to one. */
function extensionOf(classTable: string, oidExpression: string): string {
  return `(SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
     WHERE d.classid = 'pg_catalog.${classTable}'::pg_catalog.regclass AND d.objid = ${oidExpression}
       AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e' LIMIT 1)`;
}

/** Every function of these names in any schema. $1 = text[] of names. */
export const ROUTINES_SQL = `${DB_SENTINEL_TAG} SELECT p.oid::int8 AS oid, n.nspname AS schema, p.proname AS name,
  p.provolatile::text AS volatility, p.pronargs::int AS args, ${extensionOf('pg_proc', 'p.oid')} AS extension
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname OPERATOR(pg_catalog.=) ANY($1::pg_catalog.text[])`;

/** Every operator of these symbols in any schema, with the function behind it. $1 = text[] of symbols. */
export const OPERATORS_SQL = `${DB_SENTINEL_TAG} SELECT o.oid::int8 AS oid, n.nspname AS schema, o.oprname AS name,
  ${extensionOf('pg_operator', 'o.oid')} AS extension, p.oid::int8 AS code_oid,
  pn.nspname || '.' || p.proname AS code, ${extensionOf('pg_proc', 'p.oid')} AS code_extension,
  p.provolatile::text AS code_volatility
FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
  JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE o.oprname OPERATOR(pg_catalog.=) ANY($1::pg_catalog.text[])`;

/** Every type of these names in any schema. $1 = text[] of names. */
export const TYPES_SQL = `${DB_SENTINEL_TAG} SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name,
  ${extensionOf('pg_type', 't.oid')} AS extension
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typname OPERATOR(pg_catalog.=) ANY($1::pg_catalog.text[])`;

/** Not built in and not of an allowed extension (`extensions`: the text[] parameter of their names): the object. */
function foreignObject(classid: string, objid: string, extensions = '$2'): string {
  return `${objid} OPERATOR(pg_catalog.>=) ${FIRST_NORMAL_OBJECT_ID} AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
     JOIN pg_catalog.pg_extension e ON e.oid = x.refobjid
     WHERE x.classid = ${classid} AND x.objid = ${objid} AND x.deptype = 'e'
       AND x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND e.extname OPERATOR(pg_catalog.=) ANY(${extensions}::pg_catalog.text[]))`;
}

/** Relations named $1 (text[]) in any schema (named), each with its partitions and inheritance children (tree). */
const RELATION_TREE = `WITH RECURSIVE named AS (
  SELECT c.oid AS relid, n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname OPERATOR(pg_catalog.=) ANY($1::pg_catalog.text[])
), tree AS (
  SELECT relid AS root, relid AS member FROM named
  UNION
  SELECT t.root, i.inhrelid FROM tree t JOIN pg_catalog.pg_inherits i ON i.inhparent = t.member
)`;

/**
 * Every relation of these names in any schema, with its partitions and inheritance children, and what the gate
 * judges of each. $1 = text[] of names, $2 = text[] of allowed extensions.
 */
export const RELATIONS_SQL = `${DB_SENTINEL_TAG} ${RELATION_TREE}
SELECT r.schema AS root_schema, r.name AS root_name, mn.nspname AS schema, m.relname AS name, m.relkind::text AS kind,
  m.relrowsecurity AS row_security,
  CASE WHEN m.relkind = 'v' THEN pg_catalog.pg_get_viewdef(m.oid) END AS definition,
  ARRAY(SELECT a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = m.oid AND a.attnum > 0 AND NOT a.attisdropped
      AND ${foreignObject("'pg_catalog.pg_type'::pg_catalog.regclass", 'a.atttypid')}
    ORDER BY a.attnum) AS foreign_columns,
  ARRAY(SELECT DISTINCT pg_catalog.pg_describe_object(d.refclassid, d.refobjid, 0) FROM pg_catalog.pg_depend d
    WHERE d.refclassid IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_operator'::pg_catalog.regclass,
        'pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_opclass'::pg_catalog.regclass,
        'pg_catalog.pg_opfamily'::pg_catalog.regclass)
      AND (d.classid, d.objid) IN (
        SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, m.oid
        UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, x.indexrelid FROM pg_catalog.pg_index x WHERE x.indrelid = m.oid
        UNION ALL SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, k.oid FROM pg_catalog.pg_constraint k WHERE k.conrelid = m.oid
        UNION ALL SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, s.oid FROM pg_catalog.pg_statistic_ext s WHERE s.stxrelid = m.oid
        UNION ALL SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass, w.oid FROM pg_catalog.pg_rewrite w WHERE w.ev_class = m.oid)
      AND ${foreignObject('d.refclassid', 'd.refobjid')}) AS foreign_dependencies
FROM tree JOIN named r ON r.relid = tree.root
  JOIN pg_catalog.pg_class m ON m.oid = tree.member JOIN pg_catalog.pg_namespace mn ON mn.oid = m.relnamespace`;

/**
 * The target of an INSERT/UPDATE/DELETE, in any schema, with its partitions and inheritance children (each is written
 * too): kind, rules, and the non-built-in code its triggers (function, WHEN clause) and column defaults (generated
 * columns too) use. $1 = text[] of names, $2 = text[] of allowed extensions.
 */
export const TARGETS_SQL = `${DB_SENTINEL_TAG} ${RELATION_TREE}
SELECT r.schema AS root_schema, r.name AS root_name, mn.nspname AS schema, m.relname AS name, m.relkind::text AS kind,
  ARRAY(SELECT w.rulename::text FROM pg_catalog.pg_rewrite w WHERE w.ev_class = m.oid ORDER BY w.rulename) AS rules,
  ARRAY(SELECT DISTINCT pg_catalog.pg_describe_object(d.classid, d.objid, 0) || ' uses '
      || pg_catalog.pg_describe_object(d.refclassid, d.refobjid, 0) FROM pg_catalog.pg_depend d
    WHERE d.refclassid IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_operator'::pg_catalog.regclass,
        'pg_catalog.pg_type'::pg_catalog.regclass)
      AND (d.classid, d.objid) IN (
        SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, g.oid FROM pg_catalog.pg_trigger g WHERE g.tgrelid = m.oid
        UNION ALL SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, a.oid FROM pg_catalog.pg_attrdef a WHERE a.adrelid = m.oid)
      AND ${foreignObject('d.refclassid', 'd.refobjid')}) AS write_dependencies
FROM tree JOIN named r ON r.relid = tree.root
  JOIN pg_catalog.pg_class m ON m.oid = tree.member JOIN pg_catalog.pg_namespace mn ON mn.oid = m.relnamespace`;

/** User-made casts between two built-in types (only a superuser or an extension can make one). $1 = allowed extensions. */
export const USER_CASTS_SQL = `${DB_SENTINEL_TAG} SELECT pg_catalog.format_type(c.castsource, NULL) AS source,
  pg_catalog.format_type(c.casttarget, NULL) AS target
FROM pg_catalog.pg_cast c
WHERE c.castsource < ${FIRST_NORMAL_OBJECT_ID} AND c.casttarget < ${FIRST_NORMAL_OBJECT_ID}
  AND ${foreignObject("'pg_catalog.pg_cast'::pg_catalog.regclass", 'c.oid', '$1')}`;

/** Views over views: deeper nesting than this is refused rather than followed. */
const MAX_VIEW_DEPTH = 8;

/** Relation kinds that may be read: table, partitioned table, materialized view, view (its definition gated). */
const READABLE_KINDS: Record<string, string> = { r: 'table', p: 'partitioned table', m: 'materialized view', v: 'view' };
const OTHER_KINDS: Record<string, string> = {
  f: 'foreign table', S: 'sequence', c: 'composite type', i: 'index', I: 'partitioned index', t: 'TOAST table',
};

export { loadPostgresParser };

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const sval = (item as { String?: { sval?: unknown } }).String?.sval;
    return typeof sval === 'string' ? [sval] : [];
  });
}

function qualified(parts: string[]): QualifiedName | null {
  const name = parts[parts.length - 1];
  if (name === undefined) return null;
  return { schema: parts.length > 1 ? parts[parts.length - 2] ?? null : null, name };
}

function label(item: QualifiedName): string {
  return item.schema === null ? item.name : `${item.schema}.${item.name}`;
}

function addName(into: Map<string, QualifiedName>, item: QualifiedName | null): void {
  if (item !== null) into.set(label(item), item);
}

function isBuiltIn(oid: number | string): boolean {
  return Number(oid) < FIRST_NORMAL_OBJECT_ID;
}

function allowedObject(oid: number | string, extension: string | null, options: GateOptions): boolean {
  return isBuiltIn(oid) || (extension !== null && options.allowedExtensions.includes(extension));
}

function notBuiltIn(extension: string | null): string {
  return extension === null ? 'which is not built in'
    : `which belongs to extension ${extension}, not allowed by explain.allowed_extensions`;
}

/**
 * The part of the gate that needs no database: parses `sql` and either refuses it or lists the names the catalogs
 * must judge. Call loadPostgresParser() first.
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
  const command = WRITE_COMMANDS[kind];
  if (kind !== 'SelectStmt' && command === undefined) return { verdict: refuse(`${kind} is not a SELECT, INSERT, UPDATE or DELETE`) };

  const problems = new Set<string>();
  const functions = new Map<string, QualifiedName>();
  const attributes = new Set<string>();
  const operators = new Map<string, QualifiedName>(IMPLICIT_OPERATORS.map((symbol) => [symbol, { schema: null, name: symbol }]));
  const types = new Map<string, QualifiedName>();
  const relations = new Map<string, QualifiedName>();
  let write: WriteTarget | undefined;
  if (command !== undefined) {
    // The statement's own node is walked from its fields (it is the one data-modifying node allowed); its target is
    // a bare RangeVar field, read like any relation and judged as a target too.
    const body = statement[kind] as Record<string, unknown>;
    const relation = body.relation as { schemaname?: unknown; relname?: unknown } | undefined;
    if (typeof relation?.relname !== 'string') return { verdict: refuse(`${command} without a target table`) };
    const target = { schema: typeof relation.schemaname === 'string' ? relation.schemaname : null, name: relation.relname };
    write = { command, target };
    addName(relations, target);
  }
  walkTree(command === undefined ? statement : statement[kind], (node, key) => {
    // A cast's or column definition's type is a field (typeName) holding a TypeName without the node wrapper.
    if (key === 'typeName') addName(types, qualified(stringList(node.names)));
    if (key === null || !/^[A-Z]/.test(key)) return; // lower-case keys are fields of their parent, not nodes
    if (DATA_MODIFYING_NODES.has(key)) problems.add(`data-modifying ${key} inside the SELECT`);
    else if (/Stmt$/.test(key) && key !== 'SelectStmt') problems.add(`${key} inside the SELECT`);
    else if (!JUDGED_NODES.has(key) && !(command !== undefined && WRITE_NODES.has(key))) problems.add(`uses ${key}, `
      + 'which the gate does not judge');
    switch (key) {
      case 'SelectStmt':
        if (node.intoClause !== undefined) problems.add('SELECT INTO creates a table');
        if (Array.isArray(node.lockingClause) && node.lockingClause.length > 0) problems.add('FOR UPDATE/SHARE locks rows');
        break;
      case 'FuncCall':
        addName(functions, qualified(stringList(node.funcname)));
        break;
      case 'IndexElem':
        // ON CONFLICT (col opclass): an operator class is looked up by name; only plain columns and expressions pass.
        if (stringList(node.opclass).length > 0) problems.add('names an operator class in ON CONFLICT');
        break;
      case 'RangeTableSample':
        addName(functions, qualified(stringList(node.method)));
        break;
      case 'A_Expr': {
        const names = stringList(node.name);
        const keyword = names.length === 1 ? KEYWORD_OPERATORS[names[0] ?? ''] : undefined;
        if (keyword !== undefined) for (const symbol of keyword) addName(operators, { schema: null, name: symbol });
        else addName(operators, qualified(names));
        break;
      }
      case 'SubLink':
        addName(operators, qualified(stringList(node.operName)));
        break;
      case 'SortBy':
        addName(operators, qualified(stringList(node.useOp)));
        break;
      case 'TypeName':
        addName(types, qualified(stringList(node.names)));
        break;
      case 'ColumnRef':
        for (const field of stringList(node.fields).slice(1)) attributes.add(field);
        break;
      case 'A_Indirection':
        for (const field of stringList(node.indirection)) attributes.add(field);
        break;
      case 'RangeVar':
        if (typeof node.relname === 'string') {
          addName(relations, { schema: typeof node.schemaname === 'string' ? node.schemaname : null, name: node.relname });
        }
        break;
      default:
        break;
    }
  });
  for (const fn of functions.values()) {
    if (DENIED_FUNCTION_PATTERNS.some((pattern) => pattern.test(fn.name))) problems.add(`calls ${label(fn)}(), which has side effects`);
  }
  if (problems.size > 0) return { verdict: refuse([...problems].join('; ')) };
  return {
    facts: {
      functions: [...functions.values()], attributes: [...attributes], operators: [...operators.values()],
      types: [...types.values()], relations: [...relations.values()], ...(write === undefined ? {} : { write }),
    },
  };
}

function matches(item: QualifiedName, row: { schema: string; name: string }): boolean {
  return row.name === item.name && (item.schema === null || row.schema === item.schema);
}

/** Judges one function name against every overload of it the catalogs hold. */
function judgeRoutine(fn: QualifiedName, rows: RoutineRow[], options: GateOptions, problems: string[]): void {
  const candidates = rows.filter((row) => matches(fn, row));
  if (candidates.length === 0) {
    problems.push(`function ${label(fn)}() not found in pg_proc`);
    return;
  }
  const foreign = candidates.find((row) => !allowedObject(row.oid, row.extension, options));
  if (foreign !== undefined) {
    problems.push(`calls ${foreign.schema}.${foreign.name}(), ${notBuiltIn(foreign.extension)}`);
    return;
  }
  const volatile = candidates.find((row) => row.volatility === 'v' && !HARMLESS_VOLATILE.has(row.name));
  if (volatile !== undefined) problems.push(`calls VOLATILE function ${volatile.schema}.${volatile.name}()`);
}

/** Applies the catalogs' answers to the statement's names. */
export function judgeNames(facts: PostgresStatementFacts, catalog: {
  routines: RoutineRow[]; operators: OperatorRow[]; types: TypeRow[]; casts: CastRow[];
}, options: GateOptions): GateVerdict {
  const problems: string[] = [];
  for (const fn of facts.functions) judgeRoutine(fn, catalog.routines, options, problems);
  for (const attribute of facts.attributes) {
    // Only one-argument functions can be called as t.fn; a name with none is a plain column.
    const callable = catalog.routines.filter((row) => row.name === attribute && Number(row.args) === 1);
    const foreign = callable.find((row) => !allowedObject(row.oid, row.extension, options));
    if (foreign !== undefined) {
      problems.push(`.${attribute} may call ${foreign.schema}.${foreign.name}() by attribute notation, ${notBuiltIn(foreign.extension)}`);
    } else if (callable.length > 0 && DENIED_FUNCTION_PATTERNS.some((pattern) => pattern.test(attribute))) {
      problems.push(`.${attribute} may call ${attribute}() by attribute notation, which has side effects`);
    }
  }
  for (const symbol of facts.operators) {
    const candidates = catalog.operators.filter((row) => matches(symbol, row));
    if (candidates.length === 0) {
      problems.push(`operator ${label(symbol)} not found in pg_operator`);
      continue;
    }
    const foreign = candidates.find((row) => !allowedObject(row.oid, row.extension, options));
    const foreignCode = candidates.find((row) => !allowedObject(row.code_oid, row.code_extension, options));
    const volatile = candidates.find((row) => row.code_volatility === 'v');
    if (foreign !== undefined) problems.push(`uses operator ${foreign.schema}.${foreign.name}, ${notBuiltIn(foreign.extension)}`);
    else if (foreignCode !== undefined) problems.push(`operator ${label(symbol)} runs ${foreignCode.code}(), `
      + `${notBuiltIn(foreignCode.code_extension)}`);
    else if (volatile !== undefined) problems.push(`operator ${label(symbol)} runs VOLATILE function ${volatile.code}()`);
  }
  for (const type of facts.types) {
    const candidates = catalog.types.filter((row) => matches(type, row));
    if (candidates.length === 0) problems.push(`type ${label(type)} not found in pg_type`);
    const foreign = candidates.find((row) => !allowedObject(row.oid, row.extension, options));
    if (foreign !== undefined) problems.push(`names type ${foreign.schema}.${foreign.name}, ${notBuiltIn(foreign.extension)}`);
  }
  for (const cast of catalog.casts) problems.push(`a cast from ${cast.source} to ${cast.target} is not built in and could apply`);
  if (problems.length > 0) return refuse([...new Set(problems)].join('; '));
  const checked = facts.functions.length + facts.operators.length + facts.types.length;
  const what = facts.write === undefined ? 'single SELECT' : `single ${facts.write.command} (plain EXPLAIN only)`;
  return { allowed: true, reason: `${what}; ${checked} functions, operators and types checked in pg_catalog: all built in` };
}

/** Judges every relation read (each row: a named relation or one of its children); returns the views to follow. */
export function judgeRelations(rows: RelationRow[]): { problems: string[]; views: RelationRow[] } {
  const problems: string[] = [];
  const views: RelationRow[] = [];
  for (const row of rows) {
    const name = `${row.schema}.${row.name}`;
    const via = row.schema === row.root_schema && row.name === row.root_name ? '' : ` (a child of ${row.root_schema}.${row.root_name})`;
    const readable = READABLE_KINDS[row.kind];
    if (readable === undefined) {
      problems.push(`reads ${OTHER_KINDS[row.kind] ?? `relation of kind ${row.kind}`} ${name}${via}, `
        + 'which only plain tables and views may be');
      continue;
    }
    if (row.row_security) problems.push(`reads ${readable} ${name}${via}, which has row-level security (its policies run code)`);
    for (const column of row.foreign_columns) problems.push(`reads ${readable} ${name}${via}, whose column ${column} `
      + 'is not of a built-in type');
    for (const dependency of row.foreign_dependencies) {
      problems.push(`reads ${readable} ${name}${via}, which depends on ${dependency}, which is not built in`);
    }
    if (row.kind === 'v') views.push(row);
  }
  return { problems: [...new Set(problems)], views };
}

/** Judges the target of an INSERT/UPDATE/DELETE (each row: the named table or one of its partitions / children). */
export function judgeTargets(write: WriteTarget, rows: TargetRow[]): string[] {
  const problems: string[] = [];
  if (rows.length === 0) problems.push(`${write.command} target ${label(write.target)} not found in pg_class`);
  for (const row of rows) {
    const name = `${row.schema}.${row.name}`;
    const via = row.schema === row.root_schema && row.name === row.root_name ? '' : ` (a child of ${row.root_schema}.${row.root_name})`;
    const writes = `${write.command} writes `
      + `${READABLE_KINDS[row.kind] ?? OTHER_KINDS[row.kind] ?? `relation of kind ${row.kind}`} ${name}${via}`;
    if (row.kind !== 'r' && row.kind !== 'p') problems.push(`${writes}, which only plain and partitioned tables may be when planned`);
    if (row.rules.length > 0) problems.push(`${writes}, which has rule ${row.rules.join(', ')} (rules rewrite it into other statements)`);
    for (const dependency of row.write_dependencies) problems.push(`${writes}, whose ${dependency}, which is not built in`);
  }
  return [...new Set(problems)];
}

/** The whole PostgreSQL gate: parser first, then the catalogs, then the definitions of the views read. */
export async function gatePostgres(sql: string, catalog: PostgresCatalog, options: GateOptions, depth = 0): Promise<PostgresGateVerdict> {
  await loadPostgresParser();
  const inspected = inspectPostgresStatement(sql);
  if ('verdict' in inspected) return inspected.verdict;
  const { facts } = inspected;
  const allowed = [...options.allowedExtensions];
  const routineNames = [...new Set([...facts.functions.map((fn) => fn.name), ...facts.attributes])];
  // One after the other: the catalog's reads share one session, which runs one statement at a time anyway (pg 8
  // queues a query sent while another runs, and warns that pg 9 will refuse it).
  const routines = routineNames.length > 0 ? await catalog.routines(routineNames) : [];
  const operators = await catalog.operators([...new Set(facts.operators.map((op) => op.name))]);
  const types = facts.types.length > 0 ? await catalog.types([...new Set(facts.types.map((type) => type.name))]) : [];
  const casts = depth === 0 ? await catalog.userCasts(allowed) : [];
  const verdict = judgeNames(facts, { routines, operators, types, casts }, options);
  if (!verdict.allowed || facts.relations.length === 0) return verdict;

  // An unqualified name counts in every schema; a WITH query named like a relation counts as that relation (a
  // needless refusal at worst, never a miss).
  const rows = (await catalog.relations([...new Set(facts.relations.map((relation) => relation.name))], allowed))
    .filter((row) => facts.relations.some((relation) => matches(relation, { schema: row.root_schema, name: row.root_name })));
  const { problems, views } = judgeRelations(rows);
  if (facts.write !== undefined) {
    const { target } = facts.write;
    const targets = (await catalog.targets([target.name], allowed))
      .filter((row) => matches(target, { schema: row.root_schema, name: row.root_name }));
    problems.push(...judgeTargets(facts.write, targets));
  }
  if (problems.length > 0) return refuse(problems.join('; '));
  if (views.length > 0 && depth >= MAX_VIEW_DEPTH) return refuse(`views nested deeper than ${MAX_VIEW_DEPTH} levels`);
  for (const view of views) {
    const inner = await gatePostgres(view.definition ?? '', catalog, options, depth + 1);
    if (!inner.allowed) return refuse(`reads view ${view.schema}.${view.name}, whose definition is refused: ${inner.reason}`);
    if (inner.write !== undefined) return refuse(`reads view ${view.schema}.${view.name}, whose definition is not a SELECT`);
  }
  return {
    allowed: true,
    reason: `${verdict.reason}; ${rows.length} relations read, none with row-level security or non-built-in types or code` +
      (views.length > 0 ? `; ${views.length} views' definitions checked the same way` : '') +
      (facts.write === undefined ? '' : `; target ${label(facts.write.target)} without rules, its triggers and defaults built in`),
    ...(facts.write === undefined ? {} : { write: facts.write }),
  };
}
