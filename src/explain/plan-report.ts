// Building PlanReports: one place for the shape every runner returns.
import type { Finding, PlanMethod, PlanReport } from '../core/report';
import { summarizeFindings } from '../plans/registry';
import { isPermissionDenied } from '../sources/sql';

export const EXPLAIN_FAILED = 'EXPLAIN failed: ';
export const EXPLAIN_DENIED = 'EXPLAIN not permitted: ';
/** A failure that may not happen again (statement timeout, lost connection): cached for explain.retry_ttl_seconds. */
export const EXPLAIN_TIMED_OUT = 'EXPLAIN timed out or lost its connection: ';
/** A statement no sample made runnable (MySQL/MariaDB): it gives way as soon as a sample comes (usableCachedPlan). */
export const NO_LITERAL_SAMPLE = 'no literal sample';

/** True when `error` (a QueryError from src/sources) is a timeout or a lost connection, not a lasting refusal. */
export function isTransientError(error: unknown): boolean {
  const { timedOut, code } = (error as { timedOut?: unknown; code?: unknown } | null) ?? {};
  return timedOut === true || code === null || code === 'PROTOCOL_CONNECTION_LOST' || code === 'ECONNRESET'
    || code === 'ER_QUERY_INTERRUPTED' || code === '57P01';
}

/** The prefix of a failed EXPLAIN's reason: denied, timed out (retried sooner) or failed. */
export function failurePrefix(error: unknown): string {
  if (isPermissionDenied(error)) return EXPLAIN_DENIED;
  return isTransientError(error) ? EXPLAIN_TIMED_OUT : EXPLAIN_FAILED;
}

export function skipped(reason: string, now: Date): PlanReport {
  return { method: 'skipped', reason, findings: [], summary: `skipped: ${reason}`, captured_at: now.toISOString() };
}

export function planned(method: Exclude<PlanMethod, 'skipped'>, plan: unknown, findings: Finding[], now: Date,
  reason?: string): PlanReport {
  const label = method === 'explain_analyze' ? 'EXPLAIN ANALYZE' : method === 'explain' ? 'EXPLAIN (estimates only)'
    : method === 'slow_log' ? 'executed plan from the slow query log' : 'generic plan (estimates only)';
  const report: PlanReport = {
    method, findings, summary: `${label}: ${summarizeFindings(findings)}`, plan, captured_at: now.toISOString(),
  };
  if (reason !== undefined) report.reason = reason;
  return report;
}
