// A sort the server does itself (filesort) instead of reading rows in index order. Info when small or unmeasured;
// warning from 10,000 sorted rows, where sort_buffer_size is usually exceeded and merge passes start (MySQL manual,
// "ORDER BY Optimization": "Use of filesort to satisfy ORDER BY"; MariaDB KB "Filesort with small LIMIT").
import type { MysqlRule } from '../types';
import { count } from '../types';

export const MIN_ROWS_WARNING = 10_000;

export const filesort: MysqlRule = {
  id: 'filesort',
  description: `filesort (warning from ${MIN_ROWS_WARNING} sorted rows, info otherwise; ignored under 1,000 measured rows)`,
  evaluate(plan) {
    return plan.operations.flatMap((operation) => {
      if (operation.kind !== 'filesort') return [];
      if (operation.rows !== null && operation.rows < 1_000) return [];
      const rows = operation.rows === null ? ' (rows not measured)' : ` of ${count(operation.rows)} rows`;
      return [{
        rule: 'filesort',
        severity: operation.rows !== null && operation.rows >= MIN_ROWS_WARNING ? 'warning' : 'info',
        node: operation.label,
        message: `${operation.label}${rows}`,
        advice: 'an index whose leading columns match the ORDER BY (after the equality columns of the WHERE) ' +
          'lets the server read rows in order; ' +
          'otherwise raise sort_buffer_size for this session',
      }];
    });
  },
};
