// A Gather that got fewer parallel workers than planned: max_parallel_workers or max_worker_processes were used up
// when it ran, so the statement ran (partly) serially on a plan costed for parallelism.
// PostgreSQL docs, "Parallel Query: How Parallel Query Works" (Workers Planned vs Workers Launched).
import type { PostgresRule } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';

export const workersNotLaunched: PostgresRule = {
  id: 'workers_not_launched',
  description: 'Gather / Gather Merge with Workers Launched < Workers Planned',
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      if (node.workersPlanned === null || node.workersLaunched === null) return [];
      if (node.workersLaunched >= node.workersPlanned) return [];
      return [{
        rule: 'workers_not_launched',
        severity: node.workersLaunched === 0 ? 'warning' : 'info',
        node: pgNodeLabel(node),
        message: `${node.nodeType} launched ${node.workersLaunched} of ${node.workersPlanned} planned parallel workers`,
        advice: 'raise max_parallel_workers (and max_worker_processes, which needs a restart) or lower concurrency of parallel queries',
      }];
    });
  },
};
