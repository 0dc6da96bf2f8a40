// A table read in full (access type ALL, or "index": the whole index) on many rows. Thresholds: >= 10,000 rows read
// (per scan x scans, actual where measured) warning, >= 1M critical. MySQL manual, "EXPLAIN Output Format: EXPLAIN
// Join Types" (ALL: "normally, you can avoid ALL by adding indexes"); MariaDB KB "EXPLAIN" (type ALL / index).
import type { MysqlRule } from '../types';
import { count, shortCondition } from '../types';
import { indexSuggestion, mysqlConditionColumns } from '../columns';

export const MIN_ROWS = 10_000;
/**
 * Above this share of rows kept by the condition, a full scan beats an index (MySQL manual, "How MySQL Uses Indexes":
 * the optimizer prefers a scan when a range reads a large part of the table).
 */
export const MAX_KEPT_PERCENT_FOR_INDEX = 30;

export const fullTableScan: MysqlRule = {
  id: 'full_table_scan',
  description: `table read with access type ALL or index on >= ${MIN_ROWS} rows (critical at 1M)`,
  evaluate(plan) {
    return plan.tables.flatMap((table) => {
      if (table.accessType !== 'ALL' && table.accessType !== 'index') return [];
      const perScan = table.rowsActual ?? table.rowsEstimated ?? 0;
      const rows = perScan * Math.max(table.loops ?? 1, 1);
      if (rows < MIN_ROWS) return [];
      const measured = table.rowsActual !== null ? '' : ' (estimated)';
      const what = table.accessType === 'ALL' ? 'Full table scan' : `Full index scan (${table.key ?? '?'})`;
      const passed = table.rFiltered ?? table.filtered;
      const filter = table.condition === null ? '' : ` filtered by ${shortCondition(table.condition)}`;
      const kept = passed === null || table.condition === null ? '' : `, keeping ${passed}%`;
      const columns = table.condition === null ? [] : mysqlConditionColumns(table.condition)
        .filter((ref) => ref.table === null || ref.table === table.table);
      return [{
        rule: 'full_table_scan',
        severity: rows >= 1_000_000 ? 'critical' : 'warning',
        node: `${what} on ${table.table}`,
        message: `${what} on ${table.table} reads ${count(rows)} rows${measured}${filter}${kept}`,
        advice: table.condition === null
          ? `the statement has no usable condition on ${table.table}: add a selective WHERE/LIMIT or a covering index`
          : passed !== null && passed >= MAX_KEPT_PERCENT_FOR_INDEX
            ? `the condition keeps most rows, so an index on it will not help: read fewer rows `
              + `(a LIMIT served by an index on the ORDER BY columns, or a summary table)`
            : `consider ${indexSuggestion(table.table, columns)}`,
      }];
    });
  },
};
