// Tuning drift: the host's actual kernel parameters, transparent hugepage mode, explicit huge pages and I/O
// schedulers compared with the desired profile (the one remediation applies). Pure functions of collected state.
import { managesScheduler, type TuningProfile } from '../core/tuning-profile';
import type { CheckResult, DriftItem, HugePagesState, SchedulerState, TuningComparison } from '../core/report';
import { normalizeSysctlValue } from '../parsers/os/sysctl';

export interface ActualTuning {
  sysctl: Record<string, string>;
  schedulers: SchedulerState[];
  hugepages: HugePagesState | null;
}

function compare(setting: string, actual: string | null, desired: string, same = actual === desired): TuningComparison {
  return { setting, actual, desired, drifting: !same };
}

/**
 * One comparison per profile setting: every sysctl (compared as sysctl -n prints, blank runs normalized), the THP
 * mode (`transparent_hugepage`), vm.nr_hugepages when the profile manages it, and one `scheduler.<device>` per block
 * device of `scheduler_devices` (desired by its device class): exactly the devices remediation sets.
 */
export function compareTuning(actual: ActualTuning, profile: TuningProfile): TuningComparison[] {
  const comparisons: TuningComparison[] = [];
  for (const [name, desired] of Object.entries(profile.sysctl).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = actual.sysctl[name];
    const normalized = value === undefined ? null : normalizeSysctlValue(value);
    comparisons.push(compare(name, normalized, desired, normalized === normalizeSysctlValue(desired)));
  }
  if (profile.transparent_hugepage !== null) {
    comparisons.push(compare('transparent_hugepage', actual.hugepages?.transparent_enabled ?? null, profile.transparent_hugepage));
  }
  if (profile.hugepages !== null) {
    const total = actual.hugepages === null ? null : String(actual.hugepages.total);
    comparisons.push(compare('vm.nr_hugepages', total, String(profile.hugepages)));
  }
  for (const scheduler of actual.schedulers) {
    if (!managesScheduler(profile, scheduler.device)) continue;
    comparisons.push(compare(`scheduler.${scheduler.device}`, scheduler.active, profile.schedulers[scheduler.device_class]));
  }
  return comparisons;
}

export function driftItems(comparisons: readonly TuningComparison[]): DriftItem[] {
  return comparisons.filter((item) => item.drifting).map(({ setting, actual, desired }) => ({ setting, actual, desired }));
}

/** tuning_drift: warning when any setting drifts from the profile, ok when all match. */
export function tuningDriftCheck(comparisons: readonly TuningComparison[]): CheckResult {
  const drifting = comparisons.filter((item) => item.drifting);
  const describe = (item: TuningComparison): string => `${item.setting} is ${item.actual ?? 'missing'}, desired ${item.desired}`;
  return {
    name: 'tuning_drift',
    status: drifting.length > 0 ? 'warning' : 'ok',
    message: drifting.length > 0
      ? `${drifting.length} of ${comparisons.length} settings drift from the tuning profile: ${drifting.map(describe).join('; ')}`
      : `all ${comparisons.length} settings match the tuning profile`,
    value: drifting.length,
    unit: '',
    warning: 1,
    details: comparisons.map((item) => ({
      subject: item.setting,
      status: item.drifting ? 'warning' : 'ok',
      value: null,
      message: item.drifting ? describe(item) : `${item.setting} is ${item.actual}`,
    })),
  };
}
