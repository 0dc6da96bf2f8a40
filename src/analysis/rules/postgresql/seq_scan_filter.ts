// A sequential scan that reads many rows and throws most of them away: the classic missing index.
// Thresholds: >= 10,000 rows read and >= 90% removed by the filter (warning); >= 1M rows read and >= 99% removed
// (critical). PostgreSQL docs, "Using EXPLAIN" (Rows Removed by Filter) and "Indexes" (an index pays off when a
// condition selects a small fraction of a table); pganalyze's "Seq Scan with selective filter" check uses the same idea.
import type { PostgresRule } from '../types';
import { count, percent, shortCondition } from '../types';
import { pgNodeLabel, pgNodes } from '../../../parsers/plans/postgres';
import { indexSuggestion, pgConditionColumns } from '../columns';

export const MIN_ROWS_READ = 10_000;
export const MIN_REMOVED_RATIO = 0.9;

export const seqScanFilter: PostgresRule = {
  id: 'seq_scan_filter',
  description: `Seq Scan reading >= ${MIN_ROWS_READ} rows whose Filter removes >= ${MIN_REMOVED_RATIO * 100}% of them`,
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      if (!node.nodeType.endsWith('Seq Scan') || node.filter === null || node.actualRows === null) return [];
      const loops = Math.max(node.actualLoops ?? 1, 1);
      const removed = (node.rowsRemovedByFilter ?? 0) * loops;
      const read = node.actualRows * loops + removed;
      if (read < MIN_ROWS_READ || removed / read < MIN_REMOVED_RATIO) return [];
      const ratio = removed / read;
      const table = node.relation ?? '?';
      const columns = pgConditionColumns(node.filter);
      return [{
        rule: 'seq_scan_filter',
        severity: read >= 1_000_000 && ratio >= 0.99 ? 'critical' : 'warning',
        node: pgNodeLabel(node),
        message: `${node.nodeType} on ${table} removes ${percent(ratio)} of ${count(read)} rows by ${shortCondition(node.filter)}`,
        advice: `consider ${indexSuggestion(table, columns)}; the scan returns only ${count(node.actualRows * loops)} rows`,
      }];
    });
  },
};
