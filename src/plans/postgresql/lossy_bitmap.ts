// A Bitmap Heap Scan whose bitmap went lossy (Lossy Heap Blocks > 0): work_mem could not hold one bit per row, so
// whole pages are rechecked row by row. PostgreSQL docs, "Using EXPLAIN" (Heap Blocks: exact/lossy) and work_mem.
import type { PostgresRule } from '../types';
import { count, percent } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';

export const lossyBitmap: PostgresRule = {
  id: 'lossy_bitmap',
  description: 'Bitmap Heap Scan with Lossy Heap Blocks > 0 (bitmap exceeded work_mem)',
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      if (node.nodeType !== 'Bitmap Heap Scan' || node.lossyHeapBlocks === null || node.lossyHeapBlocks === 0) return [];
      const total = node.lossyHeapBlocks + (node.exactHeapBlocks ?? 0);
      const rechecked = node.rowsRemovedByIndexRecheck === null
        ? ''
        : `; the recheck removed ${count(node.rowsRemovedByIndexRecheck)} rows`;
      return [{
        rule: 'lossy_bitmap',
        severity: 'warning',
        node: pgNodeLabel(node),
        message: `${pgNodeLabel(node)} went lossy on ${count(node.lossyHeapBlocks)} of ${count(total)} heap blocks `
          + `(${percent(node.lossyHeapBlocks / total)})${rechecked}`,
        advice: 'raise work_mem for this query so the bitmap stays exact, or make the index condition on '
          + `${node.relation ?? 'the table'} more selective`,
      }];
    });
  },
};
