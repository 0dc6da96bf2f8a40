// Nagios plugin status words and exit codes: the vocabulary every output shares.
export const STATUSES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

export const EXIT_CODE: Record<Status, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

// Severity order for "worst of": critical outranks unknown, because a known failure is more urgent than a
// missing measurement (the convention of check_multi and Icinga's worst-state logic).
const SEVERITY: Record<Status, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'ok';
  for (const status of statuses) {
    if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  }
  return worst;
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** Grades a value against warning/critical thresholds where higher is worse. */
export function gradeAbove(value: number, warning: number, critical: number): Status {
  if (value >= critical) return 'critical';
  if (value >= warning) return 'warning';
  return 'ok';
}
