// From the digest counters, not the plan: rows examined per row sent. >= 100 examined per sent row and >= 10,000
// examined per call is a warning, >= 10,000 per sent row critical. The ratio is the "rows examined vs rows sent"
// check of pt-query-digest and of the MySQL manual's sys.statements_with_full_table_scans view.
import type { MysqlRule } from '../types';
import { count } from '../types';

export const MIN_RATIO = 100;
export const MIN_EXAMINED_PER_CALL = 10_000;

export const rowsExaminedRatio: MysqlRule = {
  id: 'rows_examined_ratio',
  description: `rows examined / rows sent >= ${MIN_RATIO} with >= ${MIN_EXAMINED_PER_CALL} examined per call (critical at 10,000x)`,
  evaluate(_plan, context) {
    const { rows_examined: examined, rows_sent: sent, calls } = context;
    if (examined === undefined || sent === undefined || calls === undefined || calls <= 0) return [];
    const ratio = examined / Math.max(sent, 1);
    const perCall = examined / calls;
    if (ratio < MIN_RATIO || perCall < MIN_EXAMINED_PER_CALL) return [];
    return [{
      rule: 'rows_examined_ratio',
      severity: ratio >= 10_000 ? 'critical' : 'warning',
      node: 'statement',
      message: `examines ${count(ratio)} rows per row sent (${count(perCall)} examined, ${count(sent / calls)} sent per call)`,
      advice: 'the WHERE clause is not served by an index: see full_table_scan / no_index_used for the table to index',
    }];
  },
};
