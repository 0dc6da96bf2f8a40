// Column names in a plan's condition text ("(customer_id = 101)", "orders.`status` = 'paid'"), read with the same
// real parsers as the SQL gate, so that advice can name the columns to index. Unparsable text yields no columns.
import { sqlParser } from '../parsers/sql/mysql';
import { walkTree } from '../parsers/sql/tree';
import { loadPostgresParser, parsePostgres, ParserNotLoadedError } from '../parsers/sql/postgres';

export { loadPostgresParser };

export interface ColumnRef {
  table: string | null;
  column: string;
}

function unique(refs: ColumnRef[]): ColumnRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.table ?? ''}.${ref.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Columns of a PostgreSQL plan condition. Requires loadPostgresParser() to have finished. */
export function pgConditionColumns(condition: string): ColumnRef[] {
  let tree: unknown;
  try {
    tree = parsePostgres(`SELECT 1 WHERE ${condition}`);
  } catch (error: unknown) {
    // Plan conditions can hold text the parser does not take back (e.g. "(SubPlan 1)"): then no column names.
    if (error instanceof ParserNotLoadedError) throw error;
    return [];
  }
  const refs: ColumnRef[] = [];
  walkTree(tree, (node, key) => {
    if (key !== 'ColumnRef' || !Array.isArray(node.fields)) return;
    const names = node.fields.flatMap((field) => {
      const sval = (field as { String?: { sval?: unknown } }).String?.sval;
      return typeof sval === 'string' ? [sval] : [];
    });
    const column = names[names.length - 1];
    if (column !== undefined) refs.push({ table: names.length > 1 ? names[names.length - 2] ?? null : null, column });
  });
  return unique(refs);
}

/** Columns of a MySQL/MariaDB attached_condition. */
export function mysqlConditionColumns(condition: string): ColumnRef[] {
  let ast: unknown;
  try {
    ast = sqlParser('mariadb').astify(`SELECT 1 FROM t WHERE ${condition}`, { database: 'MariaDB' });
  } catch {
    // Conditions with optimizer notation (<cache>(…), <in_optimizer>) do not parse: then no column names.
    return [];
  }
  const refs: ColumnRef[] = [];
  walkTree(ast, (node) => {
    if (node.type !== 'column_ref') return;
    const column = typeof node.column === 'string' ? node.column
      : (node.column as { expr?: { value?: unknown } } | null)?.expr?.value;
    if (typeof column !== 'string') return;
    const table = typeof node.table === 'string' ? node.table : null;
    refs.push({ table, column });
  });
  return unique(refs);
}

/** "orders(customer_id, status)" for advice. */
export function indexSuggestion(table: string, columns: ColumnRef[]): string {
  return columns.length === 0
    ? `an index on ${table} matching the filter`
    : `an index on ${table}(${columns.map((c) => c.column).join(', ')})`;
}
