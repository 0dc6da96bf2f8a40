// What a plan rule is: a pure function of one parsed plan (and the statement's counters) to findings.
import type { Finding, FindingSeverity } from '../core/report';
import type { PgPlan } from '../parsers/plans/postgres';
import type { MyPlan } from '../parsers/plans/mysql';

/** Counters of the statement from pg_stat_statements / the digest table, where a rule needs them. */
export interface RuleContext {
  calls?: number;
  /** Rows returned to the client, summed over calls. */
  rows_sent?: number;
  /** Rows the server read, summed over calls (MySQL/MariaDB digests). */
  rows_examined?: number;
  /** pg_class.reltuples of the scanned relations, for plans without ANALYZE (estimates against estimates). */
  relation_rows?: Record<string, number>;
}

export interface PlanRule<P> {
  id: string;
  /** One line: what the rule looks for, its thresholds and where they come from. */
  description: string;
  evaluate(plan: P, context: RuleContext): Finding[];
}

export type PostgresRule = PlanRule<PgPlan>;
export type MysqlRule = PlanRule<MyPlan>;

export const SEVERITY_ORDER: Record<FindingSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** 1234 -> "1.2k", 1234567 -> "1.2M". */
export function count(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value * 10) / 10);
}

/** 0.99995 -> "99.99%" (never rounded up to a misleading 100%), 0.25 -> "25.0%". */
export function percent(ratio: number): string {
  const digits = ratio >= 0.99 || ratio < 0.001 ? 2 : 1;
  const scale = 10 ** digits;
  return `${(Math.floor(ratio * 100 * scale) / scale).toFixed(digits)}%`;
}

/** 8 kB blocks -> "12.3 MB". */
export function blocksToMb(blocks: number): string {
  return `${((blocks * 8192) / 1048576).toFixed(1)} MB`;
}

/** Misestimate factor between an estimate and a measurement, both >= 1 so that zero rows do not divide. */
export function misestimateFactor(estimated: number, actual: number): number {
  const low = Math.max(Math.min(estimated, actual), 1);
  const high = Math.max(estimated, actual, 1);
  return high / low;
}

/**
 * Misestimate levels 10x / 100x / 1000x: the bands explain.depesz.com colours the "rows x" column by, and where the
 * PostgreSQL docs' "Using EXPLAIN" section says a wrong estimate starts to change plan choices.
 */
export function misestimateSeverity(factor: number): FindingSeverity | null {
  if (factor >= 1000) return 'critical';
  if (factor >= 100) return 'warning';
  if (factor >= 10) return 'info';
  return null;
}

/** Conditions shortened for messages: long filters make unreadable Nagios lines. */
export function shortCondition(condition: string, max = 90): string {
  const oneLine = condition.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
