// An Index Only Scan that still visits the heap for many rows: the visibility map is not set because the table was
// not vacuumed since it changed. Threshold: >= 1,000 heap fetches and >= 10% of the rows returned (warning).
// PostgreSQL docs, "Index-Only Scans and Covering Indexes" and "Routine Vacuuming: the visibility map".
import type { PostgresRule } from '../types';
import { count, percent } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';

export const MIN_HEAP_FETCHES = 1_000;

export const heapFetches: PostgresRule = {
  id: 'heap_fetches',
  description: `Index Only Scan with >= ${MIN_HEAP_FETCHES} Heap Fetches and >= 10% of its rows`,
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      if (node.nodeType !== 'Index Only Scan' || node.heapFetches === null || node.actualRows === null) return [];
      const loops = Math.max(node.actualLoops ?? 1, 1);
      // Heap Fetches is printed as a total over all loops (explain.c: ioss_HeapFetches), rows per loop.
      const fetches = node.heapFetches;
      const rows = node.actualRows * loops;
      if (fetches < MIN_HEAP_FETCHES || fetches < rows * 0.1) return [];
      const table = node.relation ?? '?';
      return [{
        rule: 'heap_fetches',
        severity: 'warning',
        node: pgNodeLabel(node),
        message: `${pgNodeLabel(node)} fetched ${count(fetches)} heap rows `
          + `(${percent(fetches / Math.max(rows, 1))} of ${count(rows)} returned)`,
        advice: `VACUUM ${table} to set its visibility map, and let autovacuum visit it more often `
          + `(lower autovacuum_vacuum_scale_factor for ${table})`,
      }];
    });
  },
};
