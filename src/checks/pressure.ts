// pressure: the share of the last minute in which at least one task waited for CPU, I/O or memory (PSI "some"
// avg60), each resource against its own thresholds; the worst resource decides, every resource is a detail.
import type { Thresholds } from '../core/config';
import type { CheckDetail, CheckResult, PressureResource, PressureState } from '../core/report';
import { gradeAbove, worstStatus } from '../core/status';
import { formatNumber } from './format';

export type PressureThresholds = Record<PressureResource, Thresholds>;

export function checkPressure(states: readonly PressureState[], thresholds: PressureThresholds): CheckResult {
  const details: CheckDetail[] = states.map(({ resource, some }) => {
    const limits = thresholds[resource];
    return {
      subject: resource,
      status: gradeAbove(some.avg60, limits.warning, limits.critical),
      value: some.avg60,
      message: `${resource} ${formatNumber(some.avg60)}% (warning >= ${limits.warning}%, critical >= ${limits.critical}%)`,
    };
  });
  const status = worstStatus(details.map((detail) => detail.status));
  // The worst resource: the most severe status, then the highest share.
  const worst = details.reduce((a, b) => (worstStatus([a.status, b.status]) !== a.status
    || (a.status === b.status && (b.value ?? 0) > (a.value ?? 0)) ? b : a));
  const flagged = details.filter((detail) => detail.status !== 'ok');
  const message = `${(flagged.length > 0 ? flagged : details).map((detail) => detail.message).join(', ')}: share of the last minute `
    + 'some task stalled (PSI some avg60)';
  const worstLimits = thresholds[worst.subject as PressureResource];
  return {
    name: 'pressure', status, message, value: worst.value, unit: '%',
    warning: worstLimits.warning, critical: worstLimits.critical, details,
  };
}

/** The kernel reports no pressure: it predates PSI (4.20), lacks CONFIG_PSI, or was booted with psi=0. */
export function pressureUnavailable(reason: string): CheckResult {
  return { name: 'pressure', status: 'unknown', value: null, message: `no pressure stall information: ${reason}` };
}
