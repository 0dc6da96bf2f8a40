// Planned vs actual rows (both times loops) off by 10x or more, reported where the error starts (a node whose
// children are estimated well): that is where statistics are stale or missing. Levels 10x info, 100x warning,
// 1000x critical (explain.depesz.com's "rows x" bands). Nodes where both sides are under 100 rows are ignored:
// a small absolute error does not change plans.
import type { PostgresRule } from '../types';
import { count, misestimateFactor, misestimateSeverity, shortCondition } from '../types';
import { pgNodeLabel, pgNodes, type PgPlanNode } from '../../../parsers/plans/postgres';
import { pgConditionColumns } from '../columns';

export const MIN_ROWS = 100;

function factorOf(node: PgPlanNode): number | null {
  if (node.actualRows === null || node.actualLoops === null || node.actualLoops === 0) return null;
  const planned = node.planRows * node.actualLoops;
  const actual = node.actualRows * node.actualLoops;
  if (Math.max(planned, actual) < MIN_ROWS) return null;
  return misestimateFactor(planned, actual);
}

export const rowMisestimate: PostgresRule = {
  id: 'row_misestimate',
  description: 'planned vs actual rows x loops off by >= 10x (info), 100x (warning), 1000x (critical)',
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      const factor = factorOf(node);
      const severity = factor === null ? null : misestimateSeverity(factor);
      if (factor === null || severity === null) return [];
      if (node.children.some((child) => (factorOf(child) ?? 1) >= 10)) return [];
      const loops = node.actualLoops ?? 1;
      const planned = node.planRows * loops;
      const actual = (node.actualRows ?? 0) * loops;
      const direction = actual > planned ? 'under' : 'over';
      const condition = node.filter ?? node.indexCond ?? node.joinCond;
      const columns = condition === null ? [] : pgConditionColumns(condition).map((c) => c.column);
      const where = condition === null ? '' : ` for ${shortCondition(condition, 60)}`;
      const advice = node.relation !== null
        ? `run ANALYZE ${node.relation}${columns.length > 1 ? `; if ${columns.join(', ')} are correlated, CREATE STATISTICS on ${node.relation}(${columns.join(', ')})` : ''}` +
          '; check that autovacuum analyzes it often enough'
        : 'ANALYZE the tables below this node; a misestimated join input leads to the wrong join method';
      return [{
        rule: 'row_misestimate',
        severity,
        node: pgNodeLabel(node),
        message: `${pgNodeLabel(node)} ${direction}estimated rows ${Math.round(factor)}x${where}: planned ${count(planned)}, actual ${count(actual)}`,
        advice,
      }];
    });
  },
};
