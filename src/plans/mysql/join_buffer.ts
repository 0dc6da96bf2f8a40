// A table joined through a join buffer (Block Nested Loop, BNLH, or MySQL 8's hash join): there was no index to look
// up the joined rows, so each buffer-full of outer rows rescans it. Warning. MySQL manual, "Block Nested-Loop and
// Batched Key Access Joins" and "Hash Join Optimization"; MariaDB KB "Block-Based Join Algorithms".
// Not findings: Batched Key Access (BKA, BKAH) buffers outer rows to look the joined table up BY AN INDEX in key
// order, so there is no index to add; and a table of fewer than MIN_ROWS rows, which a rescan reads from memory.
import type { MysqlRule } from '../types';
import { count } from '../types';
import { indexSuggestion, mysqlConditionColumns } from '../columns';

export const MIN_ROWS = 1_000;

export const joinBuffer: MysqlRule = {
  id: 'join_buffer',
  description: `table of >= ${MIN_ROWS} rows joined through a join buffer without an index (BNL, BNLH, hash join; not BKA)`,
  evaluate(plan) {
    return plan.tables.flatMap((table) => {
      if (table.joinBuffer === null || /^BKA/i.test(table.joinBuffer)) return [];
      const rows = table.rowsActual ?? table.rowsEstimated;
      if (rows !== null && rows < MIN_ROWS) return [];
      const columns = table.condition === null ? [] : mysqlConditionColumns(table.condition)
        .filter((ref) => ref.table === null || ref.table === table.table);
      return [{
        rule: 'join_buffer',
        severity: 'warning',
        node: `${table.table} (${table.joinBuffer})`,
        message: `${table.table} is joined through a join buffer (${table.joinBuffer})`
          + `${rows === null ? '' : `, ${count(rows)} rows per scan`}`,
        advice: `add ${indexSuggestion(table.table, columns)} on the join column so rows are looked up instead of scanned`,
      }];
    });
  },
};
