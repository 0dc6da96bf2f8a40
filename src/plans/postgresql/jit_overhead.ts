// JIT compilation that costs more than it saves: JIT Timing Total >= 100 ms and >= 10% of the execution time.
// PostgreSQL docs, "JIT: When to JIT?" (jit_above_cost) — short OLTP statements often pay compile time for nothing.
import type { PostgresRule } from '../types';
import { percent } from '../types';
import { pgNodeLabel } from '../../parsers/plans/postgres';

export const MIN_JIT_MS = 100;
export const MIN_JIT_SHARE = 0.1;

export const jitOverhead: PostgresRule = {
  id: 'jit_overhead',
  description: `JIT Timing Total >= ${MIN_JIT_MS} ms and >= ${MIN_JIT_SHARE * 100}% of Execution Time`,
  evaluate(plan) {
    const jitMs = plan.jit?.totalMs ?? null;
    const executionMs = plan.executionMs;
    if (jitMs === null || executionMs === null || executionMs <= 0) return [];
    if (jitMs < MIN_JIT_MS || jitMs / executionMs < MIN_JIT_SHARE) return [];
    return [{
      rule: 'jit_overhead',
      severity: jitMs / executionMs >= 0.5 ? 'critical' : 'warning',
      node: pgNodeLabel(plan.root),
      message: `JIT took ${jitMs.toFixed(0)} ms (${percent(jitMs / executionMs)} of ${executionMs.toFixed(0)} ms execution) `
        + `for ${plan.jit?.functions ?? '?'} functions`,
      advice: 'raise jit_above_cost / jit_inline_above_cost / jit_optimize_above_cost, or SET jit = off for this workload',
    }];
  },
};
