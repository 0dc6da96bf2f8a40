// Estimated vs measured rows (MariaDB ANALYZE rows x filtered vs r_rows x r_filtered; MySQL EXPLAIN ANALYZE rows vs
// actual rows, both times loops) off by 10x or more. Levels 10x info, 100x warning, 1000x critical, as for
// PostgreSQL (explain.depesz.com bands); steps where both sides are under 100 rows are ignored.
// Derived tables, materialized subqueries and temporary tables (<derived2>, <subquery2>, <temporary>) have no
// statistics: their estimate is the optimizer's guess of what the query inside returns, so ANALYZE TABLE is not the
// remedy, and the finding is info at most; the tables inside are judged on their own steps.
import type { MysqlRule } from '../types';
import { count, misestimateFactor, misestimateSeverity } from '../types';

export const MIN_ROWS = 100;

export const mysqlRowMisestimate: MysqlRule = {
  id: 'row_misestimate',
  description: 'estimated vs actual rows x loops off by >= 10x (info), 100x (warning), 1000x (critical)',
  evaluate(plan) {
    return plan.steps.flatMap((step) => {
      const estimated = step.rowsEstimated * step.loops;
      const actual = step.rowsActual * step.loops;
      if (Math.max(estimated, actual) < MIN_ROWS) return [];
      const factor = misestimateFactor(estimated, actual);
      const severity = misestimateSeverity(factor);
      if (severity === null) return [];
      const table = plan.tables.find((candidate) => step.label.startsWith(`${candidate.table} `)
        || step.label.includes(` on ${candidate.table} `));
      const materialized = /<(derived|subquery|union|temporary|materialize)/i.test(table?.table ?? step.label);
      return [{
        rule: 'row_misestimate',
        severity: materialized ? 'info' : severity,
        node: step.label,
        message: `${step.label}: estimated ${count(estimated)} rows, actual ${count(actual)} `
          + `(${Math.round(factor)}x ${actual > estimated ? 'under' : 'over'})`,
        advice: materialized
          ? 'this is a materialized result (derived table, subquery or temporary table) without statistics: its estimate '
            + 'comes from the query inside it, whose own tables are judged separately; rewriting it (a join, or a '
            + 'LATERAL/correlated form) gives the optimizer real numbers'
          : table === undefined
          ? 'run ANALYZE TABLE on the tables involved; build histograms on the filtered columns'
          : `run ANALYZE TABLE ${table.table}; the optimizer has no statistics for the filtered columns: ` +
            'MySQL 8 ANALYZE TABLE … UPDATE HISTOGRAM ON <column>, MariaDB ANALYZE TABLE … PERSISTENT FOR COLUMNS (<column>) INDEXES ()',
      }];
    });
  },
};
