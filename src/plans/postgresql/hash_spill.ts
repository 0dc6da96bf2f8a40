// A hash join's Hash or a HashAggregate split into batches on disk (Hash Batches > 1, HashAgg Batches > 1, PG13+):
// the hash table did not fit in work_mem x hash_mem_multiplier. PostgreSQL docs, "Resource Consumption"
// (hash_mem_multiplier) and "Using EXPLAIN" (Batches).
import type { PostgresRule } from '../types';
import { pgNodeLabel, pgNodes } from '../../parsers/plans/postgres';

export const hashSpill: PostgresRule = {
  id: 'hash_spill',
  description: 'Hash Batches > 1 or HashAgg Batches > 1 (hash table spilled to disk)',
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      const batches = node.nodeType === 'Hash' ? node.hashBatches : node.nodeType === 'Aggregate' ? node.aggBatches : null;
      if (batches === null || batches <= 1) return [];
      const source = node.children[0];
      const input = source?.relation ?? null;
      const disk = node.diskUsageKb !== null && node.diskUsageKb > 0 ? `, ${(node.diskUsageKb / 1024).toFixed(1)} MB on disk` : '';
      const grown = node.originalHashBatches !== null && node.originalHashBatches < batches
        ? ` (planned ${node.originalHashBatches}: the input was larger than estimated)` : '';
      return [{
        rule: 'hash_spill',
        severity: 'warning',
        node: pgNodeLabel(node),
        message: `${node.nodeType === 'Hash' ? 'Hash' : 'HashAggregate'}${input === null ? '' : ` of ${input}`} `
          + `used ${batches} batches${grown}${disk}`,
        advice: 'raise work_mem (or hash_mem_multiplier) for this query so the hash table fits in memory' +
          (input === null ? '' : `, or filter ${input} earlier so fewer rows are hashed`),
      }];
    });
  },
};
