// Indexes existed for the table (possible_keys) but none was used, or the optimizer could only "range check for
// each record". Warning: usually a type or collation mismatch, a function on the column, or a low-selectivity index.
// MySQL manual, "EXPLAIN Output Format" (possible_keys / key, "Range checked for each record"; the tree form prints
// "Index range scan on t (re-planned for each iteration)"). Tables under MIN_ROWS rows are left alone: reading them
// whole is as cheap as any index.
import type { MysqlRule } from '../types';

export const MIN_ROWS = 1_000;

export const noIndexUsed: MysqlRule = {
  id: 'no_index_used',
  description: `possible_keys listed but key NULL, or Range checked for each record, on >= ${MIN_ROWS} rows`,
  evaluate(plan) {
    return plan.tables.flatMap((table) => {
      const unused = table.key === null && table.possibleKeys.length > 0 && table.accessType === 'ALL';
      if (!unused && !table.rangeChecked) return [];
      const rows = table.rowsActual ?? table.rowsEstimated;
      if (rows !== null && rows < MIN_ROWS) return [];
      const keys = table.possibleKeys.join(', ');
      return [{
        rule: 'no_index_used',
        severity: 'warning',
        node: `${table.table} (${table.accessType})`,
        message: table.rangeChecked
          ? `${table.table}: no index usable at plan time, one is chosen again for every outer row `
            + '(Range checked for each record / re-planned for each iteration)'
          : `${table.table} is read in full although indexes ${keys} were candidates`,
        advice: `check why ${keys || 'its indexes'} ${table.possibleKeys.length === 1 ? 'was' : 'were'} rejected: ` +
          'a condition matching too many rows (then a composite index with a more selective column), ' +
          'a type or collation mismatch, or a function applied to the column',
      }];
    });
  },
};
