// A sort that did not fit in work_mem and went to disk (Sort Method "external merge"/"external sort", Sort Space
// Type Disk). PostgreSQL docs, "Resource Consumption: work_mem" and "Using EXPLAIN" (Sort Method). Always a warning:
// the sort writes and reads back temporary files on every call.
import type { PostgresRule } from '../types';
import { pgNodeLabel, pgNodes, type PgPlanNode } from '../../../parsers/plans/postgres';

function scannedRelation(node: PgPlanNode): string | null {
  if (node.relation !== null) return node.relation;
  for (const child of node.children) {
    const found = scannedRelation(child);
    if (found !== null) return found;
  }
  return null;
}

export const sortSpill: PostgresRule = {
  id: 'sort_spill',
  description: 'Sort with Sort Space Type Disk / external merge (work_mem too small for it)',
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      const external = (node.sortMethod ?? '').startsWith('external') || node.sortSpaceType === 'Disk';
      if (!node.nodeType.includes('Sort') || !external) return [];
      const usedMb = node.sortSpaceUsedKb === null ? null : node.sortSpaceUsedKb / 1024;
      const size = usedMb === null ? '' : ` ${usedMb.toFixed(1)} MB`;
      const keys = node.sortKey.join(', ');
      const relation = scannedRelation(node);
      const memory = usedMb === null ? 'raise work_mem' : `raise work_mem for it (SET LOCAL work_mem = '${Math.max(4, Math.ceil(usedMb * 2))}MB', about twice the spill)`;
      const index = relation !== null && keys !== '' ? ` or serve the order from an index on ${relation}(${keys})` : '';
      return [{
        rule: 'sort_spill',
        severity: 'warning',
        node: pgNodeLabel(node),
        message: `Sort${keys === '' ? '' : ` by ${keys}`} spilled${size} to disk (${node.sortMethod ?? 'Disk'})`,
        advice: `${memory}${index}`,
      }];
    });
  },
};
