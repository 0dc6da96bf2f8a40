// Most data blocks came from outside shared_buffers (Shared Read Blocks vs Shared Hit Blocks at the top node):
// >= 1,000 blocks read and >= 50% of all blocks (info), >= 10,000 blocks and >= 90% (warning). A healthy OLTP
// cache hit ratio is 99% (PostgreSQL wiki "Performance Optimization"; pg_stat_database blks_hit/blks_read).
import type { PostgresRule } from '../types';
import { blocksToMb, percent } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';

export const MIN_READ_BLOCKS = 1_000;
export const MIN_READ_SHARE = 0.5;

export const cacheMisses: PostgresRule = {
  id: 'cache_misses',
  description: `>= ${MIN_READ_BLOCKS} shared blocks read and >= ${MIN_READ_SHARE * 100}% of all blocks (warning at 10,000 and 90%)`,
  evaluate(plan) {
    const read = plan.root.sharedReadBlocks;
    if (read === null || read < MIN_READ_BLOCKS) return [];
    const total = read + (plan.root.sharedHitBlocks ?? 0);
    const share = read / total;
    if (share < MIN_READ_SHARE) return [];
    const readers = pgNodes(plan).filter((node) => node.relation !== null && (node.sharedReadBlocks ?? 0) >= read * 0.2);
    const tables = [...new Set(readers.map((node) => node.relation))].join(', ');
    return [{
      rule: 'cache_misses',
      severity: read >= 10_000 && share >= 0.9 ? 'warning' : 'info',
      node: readers.length === 1 && readers[0] !== undefined ? pgNodeLabel(readers[0]) : pgNodeLabel(plan.root),
      message: `${percent(share)} of ${blocksToMb(total)} came from outside shared_buffers `
        + `(${blocksToMb(read)} read${tables === '' ? '' : ` from ${tables}`})`,
      advice: `read fewer blocks (an index instead of a scan${tables === '' ? '' : ` of ${tables}`}) `
        + 'or, if this working set should stay cached, size shared_buffers for it',
    }];
  },
};
