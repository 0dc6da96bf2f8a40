// Planned vs actual rows (both times loops) off by 10x or more, reported where the error starts (a node whose
// children are estimated well) and only where a wrong estimate changes a plan choice and statistics can fix it:
// scans of tables and the inputs of joins (the join method and order are chosen from them). Levels 10x info, 100x
// warning, 1000x critical (explain.depesz.com's "rows x" bands). Nodes where both sides are under 100 rows are
// ignored: a small absolute error does not change plans. Not judged:
//   - the nodes above the last join (a top-level Aggregate's group count, e.g. GROUP BY date_trunc(…), is the
//     planner's default guess for an expression and changes no choice above it);
//   - scans of a recursive CTE (CTE Scan of it, WorkTable Scan): the planner cannot know the recursion depth and no
//     statistics change that.
// A misestimated scan whose conditions (Filter, Index Cond, Recheck Cond) use two or more columns of its table gets
// CREATE STATISTICS advice: the planner multiplies their selectivities as if independent (PostgreSQL docs, "Extended
// Statistics" and "Planner Statistics: Multivariate Statistics Examples").
import type { Finding } from '../../core/report';
import type { PostgresRule } from '../types';
import { count, misestimateFactor, misestimateSeverity, shortCondition } from '../types';
import { pgNodeLabel, pgNodes, type PgPlan, type PgPlanNode } from '../../parsers/plans/postgres';
import { pgConditionColumns } from '../columns';

export const MIN_ROWS = 100;
const JOINS = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);

function factorOf(node: PgPlanNode): number | null {
  if (node.actualRows === null || node.actualLoops === null || node.actualLoops === 0 || node.planRows === null) return null;
  // Repeated lookups of at most one row: before PostgreSQL 18 actual rows per loop are rounded to an integer, so
  // 0.2 rows per loop prints as 0 and any product with loops is an artifact.
  if (node.actualLoops > 1 && node.planRows <= 1 && node.actualRows <= 1) return null;
  const planned = node.planRows * node.actualLoops;
  const actual = node.actualRows * node.actualLoops;
  if (Math.max(planned, actual) < MIN_ROWS) return null;
  return misestimateFactor(planned, actual);
}

/** Names of the CTEs computed by a Recursive Union ("Subplan Name": "CTE search_graph"). */
function recursiveCtes(plan: PgPlan): Set<string> {
  return new Set(pgNodes(plan).flatMap((node) =>
    node.nodeType === 'Recursive Union' && node.subplanName?.startsWith('CTE ') ? [node.subplanName.slice(4)] : []));
}

/** The nodes whose estimate steers a plan choice: table scans, and the inputs of joins (a Hash stands for its input). */
function judgedNodes(plan: PgPlan): Set<PgPlanNode> {
  const recursive = recursiveCtes(plan);
  const judged = new Set<PgPlanNode>();
  for (const node of pgNodes(plan)) {
    if (node.relation !== null) judged.add(node);
    if (!JOINS.has(node.nodeType)) continue;
    for (const child of node.children) judged.add(child.nodeType === 'Hash' && child.children[0] !== undefined ? child.children[0] : child);
  }
  for (const node of judged) {
    if (node.nodeType === 'WorkTable Scan'
      || (node.nodeType === 'CTE Scan' && node.cteName !== null && recursive.has(node.cteName))) judged.delete(node);
  }
  return judged;
}

/** Columns of this scan's own table in its Filter, Index Cond and Recheck Cond. */
function scanColumns(node: PgPlanNode): string[] {
  const own = (table: string | null): boolean => table === null || table === node.alias || table === node.relation;
  const columns = [node.filter, node.indexCond, node.recheckCond]
    .flatMap((condition) => (condition === null ? [] : pgConditionColumns(condition)))
    .filter((ref) => own(ref.table))
    .map((ref) => ref.column);
  return [...new Set(columns)];
}

function adviceFor(node: PgPlanNode): string {
  if (node.nodeType === 'CTE Scan') {
    return `the rows of CTE ${node.cteName ?? ''} are estimated from its query: fix the estimates inside it; ` +
      'a CTE read once can be inlined ' +
      '(PostgreSQL 12+, or WITH … AS NOT MATERIALIZED) so the outer conditions reach its tables';
  }
  if (node.relation === null) {
    return node.nodeType === 'Function Scan'
      ? 'the planner takes the row count of a set-returning function from its ROWS setting (1000 unless declared): '
        + 'ALTER FUNCTION … ROWS <typical count>'
      : 'ANALYZE the tables below this node; a misestimated join input leads to the wrong join method';
  }
  const analyze = `run ANALYZE ${node.relation}; check that autovacuum analyzes it often enough`;
  const columns = scanColumns(node);
  if (columns.length < 2) return analyze;
  return `${analyze}; if the estimate stays off, the conditions combine ${columns.join(', ')} of ${node.relation}, whose ` +
    `selectivities the planner multiplies as if independent: CREATE STATISTICS ON ${columns.join(', ')} FROM ${node.relation}; ` +
    `ANALYZE ${node.relation}`;
}

export const rowMisestimate: PostgresRule = {
  id: 'row_misestimate',
  description: 'planned vs actual rows x loops off by >= 10x (info), 100x (warning), 1000x (critical), on table scans and join inputs',
  evaluate(plan) {
    const judged = judgedNodes(plan);
    return pgNodes(plan).flatMap((node): Finding[] => {
      if (!judged.has(node)) return [];
      const factor = factorOf(node);
      const severity = factor === null ? null : misestimateSeverity(factor);
      if (factor === null || severity === null) return [];
      if (node.children.some((child) => (factorOf(child) ?? 1) >= 10)) return [];
      const loops = node.actualLoops ?? 1;
      const planned = (node.planRows ?? 0) * loops;
      const actual = (node.actualRows ?? 0) * loops;
      const direction = actual > planned ? 'under' : 'over';
      const condition = node.filter ?? node.indexCond ?? node.joinCond;
      const where = condition === null ? '' : ` for ${shortCondition(condition, 60)}`;
      return [{
        rule: 'row_misestimate',
        severity,
        node: pgNodeLabel(node),
        message: `${pgNodeLabel(node)} ${direction}estimated rows ${Math.round(factor)}x${where}: `
          + `planned ${count(planned)}, actual ${count(actual)}`,
        advice: adviceFor(node),
      }];
    });
  },
};
