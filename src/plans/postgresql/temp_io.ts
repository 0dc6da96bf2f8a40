// The whole statement wrote temporary files (Temp Written Blocks at the top node, which includes every child):
// >= 1,024 blocks (8 MB) warning, >= 131,072 blocks (1 GB) critical. Each call pays this I/O again; temp files also
// count against temp_file_limit. PostgreSQL docs, "EXPLAIN (BUFFERS)" and "Resource Consumption: temp_file_limit".
import type { PostgresRule } from '../types';
import { blocksToMb } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';

export const WARNING_BLOCKS = 1_024;
export const CRITICAL_BLOCKS = 131_072;

export const tempIo: PostgresRule = {
  id: 'temp_io',
  description: `statement writes >= ${WARNING_BLOCKS} temp blocks (8 MB; critical at 1 GB)`,
  evaluate(plan) {
    const written = plan.root.tempWrittenBlocks;
    if (written === null || written < WARNING_BLOCKS) return [];
    const writers = pgNodes(plan)
      .filter((node) => (node.tempWrittenBlocks ?? 0) > 0
        && node.children.every((child) => (child.tempWrittenBlocks ?? 0) < (node.tempWrittenBlocks ?? 0)))
      .map(pgNodeLabel);
    return [{
      rule: 'temp_io',
      severity: written >= CRITICAL_BLOCKS ? 'critical' : 'warning',
      node: pgNodeLabel(plan.root),
      message: `the statement wrote ${blocksToMb(written)} of temporary files (read back ${blocksToMb(plan.root.tempReadBlocks ?? 0)})` +
        (writers.length > 0 ? `, in ${writers.join(', ')}` : ''),
      advice: 'give the spilling step enough work_mem (SET LOCAL work_mem for this statement or ALTER ROLE … SET work_mem), ' +
        'or reduce the rows it sorts or hashes',
    }];
  },
};
