// A sequential scan that reads many rows and throws most of them away: the classic missing index.
// Thresholds: >= 10,000 rows read and >= 90% removed by the filter (warning); >= 1M rows read and >= 99% removed
// (critical). PostgreSQL docs, "Using EXPLAIN" (Rows Removed by Filter) and "Indexes" (an index pays off when a
// condition selects a small fraction of a table); pganalyze's "Seq Scan with selective filter" check uses the same idea.
import type { PostgresRule } from '../types';
import { count, percent, shortCondition } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';
import { indexSuggestion, pgConditionColumns } from '../columns';

export const MIN_ROWS_READ = 10_000;
export const MIN_REMOVED_RATIO = 0.9;

export const seqScanFilter: PostgresRule = {
  id: 'seq_scan_filter',
  description: `Seq Scan reading >= ${MIN_ROWS_READ} rows whose Filter removes >= ${MIN_REMOVED_RATIO * 100}% of them`,
  evaluate(plan, context) {
    return pgNodes(plan).flatMap((node) => {
      if (!node.nodeType.endsWith('Seq Scan') || node.filter === null) return [];
      const table = node.relation ?? '?';
      let read: number;
      let returned: number;
      let estimated = '';
      if (node.actualRows !== null) {
        const loops = Math.max(node.actualLoops ?? 1, 1);
        returned = node.actualRows * loops;
        read = returned + (node.rowsRemovedByFilter ?? 0) * loops;
      } else {
        // Without ANALYZE: the planner's output estimate against the table's row count (pg_class.reltuples).
        const tableRows = context.relation_rows?.[table];
        if (tableRows === undefined || tableRows <= 0 || node.planRows === null) return [];
        read = tableRows;
        returned = Math.min(node.planRows, tableRows);
        estimated = ' (estimated)';
      }
      const removed = read - returned;
      if (read < MIN_ROWS_READ || removed / read < MIN_REMOVED_RATIO) return [];
      const ratio = removed / read;
      const columns = pgConditionColumns(node.filter);
      return [{
        rule: 'seq_scan_filter',
        severity: estimated === '' && read >= 1_000_000 && ratio >= 0.99 ? 'critical' : 'warning',
        node: pgNodeLabel(node),
        message: `${node.nodeType} on ${table} removes ${percent(ratio)} of ${count(read)} rows${estimated} `
          + `by ${shortCondition(node.filter)}`,
        advice: `consider ${indexSuggestion(table, columns)}; the scan returns only ${count(returned)} rows${estimated}`,
      }];
    });
  },
};
