// The inner side of a Nested Loop executed very many times: each outer row repeats the inner scan. Thresholds:
// >= 10,000 loops warning, >= 1,000,000 critical. Often the outer row count was underestimated (then a hash join
// would have been picked); pganalyze's and depesz's plan readers flag the same pattern.
import type { PostgresRule } from '../types';
import { count } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';

export const MIN_LOOPS = 10_000;

export const nestedLoopInnerLoops: PostgresRule = {
  id: 'nested_loop_inner_loops',
  description: `Nested Loop whose inner side runs >= ${MIN_LOOPS} times (critical at 1M)`,
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      if (node.nodeType !== 'Nested Loop') return [];
      const inner = node.children.find((child) => child.parentRelationship === 'Inner') ?? node.children[1];
      const outer = node.children.find((child) => child.parentRelationship === 'Outer') ?? node.children[0];
      const loops = inner?.actualLoops ?? null;
      if (inner === undefined || loops === null || loops < MIN_LOOPS) return [];
      const planned = outer === undefined || outer.planRows === null ? null : outer.planRows * Math.max(outer.actualLoops ?? 1, 1);
      const estimate = planned === null ? '' : ` (the planner expected ${count(planned)} outer rows)`;
      const innerTime = inner.actualTotalMs === null ? '' : `, ${(inner.actualTotalMs * loops).toFixed(0)} ms in total`;
      return [{
        rule: 'nested_loop_inner_loops',
        severity: loops >= 1_000_000 ? 'critical' : 'warning',
        node: pgNodeLabel(inner),
        message: `${pgNodeLabel(inner)} ran ${count(loops)} times inside a Nested Loop${estimate}${innerTime}`,
        advice: planned !== null && loops >= planned * 10
          ? `the outer row count is underestimated: ANALYZE ${outer?.relation ?? 'the outer tables'} so the planner can choose a hash join`
          : `make the inner lookup cheap (an index on ${inner.relation ?? 'the inner table'}'s join column) or reduce the outer rows first`,
      }];
    });
  },
};
