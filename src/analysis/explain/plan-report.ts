// Building PlanReports: one place for the shape every runner returns.
import type { Finding, PlanMethod, PlanReport } from '../../core/report';
import { summarizeFindings } from '../rules/registry';

export function skipped(reason: string, now: Date): PlanReport {
  return { method: 'skipped', reason, findings: [], summary: `skipped: ${reason}`, captured_at: now.toISOString() };
}

export function planned(method: Exclude<PlanMethod, 'skipped'>, plan: unknown, findings: Finding[], now: Date,
  reason?: string): PlanReport {
  const label = method === 'explain_analyze' ? 'EXPLAIN ANALYZE' : method === 'explain' ? 'EXPLAIN (estimates only)' : 'generic plan (estimates only)';
  const report: PlanReport = { method, findings, summary: `${label}: ${summarizeFindings(findings)}`, plan, captured_at: now.toISOString() };
  if (reason !== undefined) report.reason = reason;
  return report;
}
