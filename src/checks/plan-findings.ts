// Check plan_findings: the worst plan finding over the slow queries of the databases that are up (critical finding
// -> critical, warning -> warning, info or none -> ok). A pure function of the database reports; one detail per
// database names its worst finding so the Nagios line says what to look at.
import type { CheckDetail, CheckResult, DatabaseReport, Finding, FindingSeverity } from '../core/report';
import { worstStatus } from '../core/status';
import { SEVERITY_ORDER } from '../plans/types';

const STATUS_OF: Record<FindingSeverity, CheckDetail['status']> = { info: 'ok', warning: 'warning', critical: 'critical' };

function findingsOf(db: DatabaseReport): Array<{ finding: Finding; rank: number }> {
  return db.slow_queries.flatMap((query) => (query.plan?.findings ?? []).map((finding) => ({ finding, rank: query.rank })));
}

export function planFindingsCheck(databases: readonly DatabaseReport[]): CheckResult {
  const up = databases.filter((db) => db.up);
  if (up.length === 0) return { name: 'plan_findings', status: 'ok', message: 'no database up to explain (see db_up)', value: null };
  const details: CheckDetail[] = up.map((db) => {
    const all = findingsOf(db);
    const worst = all.reduce<{ finding: Finding; rank: number } | undefined>(
      (max, item) => (max === undefined || SEVERITY_ORDER[item.finding.severity] > SEVERITY_ORDER[max.finding.severity] ? item : max),
        undefined);
    if (worst === undefined) return { subject: db.name, status: 'ok', value: 0, message: `${db.name}: no plan findings` };
    const atWorst = all.filter((item) => item.finding.severity === worst.finding.severity).length;
    return {
      subject: db.name, status: STATUS_OF[worst.finding.severity], value: atWorst,
      message: `${db.name}: ${atWorst} ${worst.finding.severity} finding${atWorst === 1 ? '' : 's'}, `
        + `e.g. #${worst.rank} ${worst.finding.rule}: ${worst.finding.message}`,
    };
  });
  const status = worstStatus(details.map((detail) => detail.status));
  const value = details.reduce((sum, detail) => sum + (detail.status === status ? detail.value ?? 0 : 0), 0);
  return { name: 'plan_findings', status, message: details.map((detail) => detail.message).join('; '), value, unit: '', details };
}
