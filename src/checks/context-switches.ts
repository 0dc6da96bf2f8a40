// context_switches: context switches per CPU per second over the vmstat interval.
import type { Thresholds } from '../core/config';
import type { CheckResult, VmstatSample } from '../core/report';
import { gradeAbove } from '../core/status';
import { round } from './format';

export function checkContextSwitches(sample: VmstatSample, cpuCount: number, thresholds: Thresholds): CheckResult {
  const perCpu = round(sample.context_switches_per_second / cpuCount, 0);
  return {
    name: 'context_switches',
    status: gradeAbove(perCpu, thresholds.warning, thresholds.critical),
    message: `${perCpu}/s per CPU (${sample.context_switches_per_second}/s on ${cpuCount} CPUs; ` +
      `warning >= ${thresholds.warning}, critical >= ${thresholds.critical})`,
    value: perCpu,
    unit: '',
    warning: thresholds.warning,
    critical: thresholds.critical,
  };
}
