// run_queue: runnable threads per CPU at the end of the vmstat interval. vmstat's `r` (procs_running of /proc/stat)
// counts vmstat itself, running as it reads, so one is taken off before dividing: an idle host reads 0, not 1 per CPU.
// iostat wakes at about the same moment and may add one more now and then; the thresholds leave room for that.
import type { Thresholds } from '../core/config';
import type { CheckResult, VmstatSample } from '../core/report';
import { gradeAbove } from '../core/status';
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
