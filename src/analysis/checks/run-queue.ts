// run_queue: runnable threads per CPU over the vmstat interval. vmstat's `r` counts vmstat itself (it is running
// when it reads /proc/stat), so one is taken off before dividing: an idle host reads 0, not 1 per CPU.
import type { Thresholds } from '../../core/config';
import type { CheckResult, VmstatSample } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { formatNumber, round } from './format';

export function checkRunQueue(sample: VmstatSample, cpuCount: number, thresholds: Thresholds): CheckResult {
  const others = Math.max(0, sample.runnable - 1);
  const perCpu = round(others / cpuCount, 2);
  return {
    name: 'run_queue',
    status: gradeAbove(perCpu, thresholds.warning, thresholds.critical),
    message: `${formatNumber(perCpu)} runnable per CPU (${others} runnable besides vmstat on ${cpuCount} CPUs, ` +
      `${sample.blocked} blocked; warning >= ${thresholds.warning}, critical >= ${thresholds.critical})`,
    value: perCpu,
    unit: '',
    warning: thresholds.warning,
    critical: thresholds.critical,
  };
}
