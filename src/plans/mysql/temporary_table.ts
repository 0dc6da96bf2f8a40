// An internal temporary table (GROUP BY / DISTINCT / UNION / derived tables without a usable index). Info: it is
// the normal way to group unsorted rows, but it becomes an on-disk table past tmp_table_size/max_heap_table_size.
// MySQL manual, "Internal Temporary Table Use in MySQL"; MariaDB KB "EXPLAIN: Using temporary".
import type { MysqlRule } from '../types';
import { count } from '../types';

export const temporaryTable: MysqlRule = {
  id: 'temporary_table',
  description: 'internal temporary table (info; see Created_tmp_disk_tables for spills)',
  evaluate(plan) {
    return plan.operations.flatMap((operation) => {
      if (operation.kind !== 'temporary_table') return [];
      const rows = operation.rows === null ? '' : ` (${count(operation.rows)} rows)`;
      return [{
        rule: 'temporary_table',
        severity: 'info',
        node: operation.label,
        message: `the statement builds an internal ${operation.label}${rows}`,
        advice: 'an index on the GROUP BY / DISTINCT columns can remove it; if Created_tmp_disk_tables grows, '
          + 'raise tmp_table_size and max_heap_table_size together',
      }];
    });
  },
};
