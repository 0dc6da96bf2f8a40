// The remediation plan: what a tuning profile means on this host, setting by setting and device by device, with the
// actual and desired value of each and whether it must change. It is built on compareTuning (the drift check's own
// comparison), so remediation applies exactly what db_analyzer measures, and the Salt states render nothing of their
// own: they write the paths and values this plan names. A profile that cannot be applied on this host is an error
// naming the profile key, before anything changes. Pure: the host's state comes in as ActualTuning.
import { DbSentinelError } from '../core/errors';
import type { DeviceClass, TuningComparison } from '../core/report';
import { globPattern, managesScheduler, type TuningProfile } from '../core/tuning-profile';
import { sysctlPath } from '../parsers/os/sysctl';
import { compareTuning, type ActualTuning } from './drift';

/** A profile key this host cannot apply (unknown parameter, missing scheduler, glob matching no device). */
export class TuningPlanError extends DbSentinelError {
  readonly keyPath: string;
  constructor(keyPath: string, message: string) {
    super(`${keyPath}: ${message}`);
    this.keyPath = keyPath;
  }
}

export type PlannedKind = 'sysctl' | 'transparent_hugepage' | 'scheduler';

export interface PlannedSetting extends TuningComparison {
  kind: PlannedKind;
  /** The file remediation writes the desired value to, to apply it now (sysctl: under /proc/sys). */
  path: string;
  /** Scheduler settings: the device, its class and the schedulers its kernel driver offers. */
  device?: string;
  device_class?: DeviceClass;
  available?: string[];
}

export interface TuningPlan {
  /** Every setting of the profile on this host, matching ones included. */
  settings: PlannedSetting[];
  /** The settings that differ now: what remediation changes (actual -> desired). */
  changes: PlannedSetting[];
  /** What remediation writes so that the settings survive a reboot. */
  persist: {
    /** Kernel parameters for the sysctl.d file, vm.nr_hugepages included when the profile manages it. */
    sysctl: Record<string, string>;
    /** udev rules (one per device class) setting the scheduler of the managed devices as they appear. */
    udev_rules: string[];
    /** The tmpfiles.d line that sets the THP mode at boot; null when the profile leaves THP alone. */
    thp_tmpfiles: string | null;
  };
  /** Globs of scheduler_devices that match no device here (allowed while another glob matches one). */
  unmatched_globs: string[];
}

export interface PlanRoots {
  proc: string;
  sys: string;
}

const THP_FILE = 'kernel/mm/transparent_hugepage/enabled';

/** udev rules by device class: globs starting with nvme name NVMe namespaces (deviceClass() goes by name too). */
function udevRules(profile: TuningProfile): string[] {
  const nvme = profile.scheduler_devices.filter((glob) => glob.startsWith('nvme'));
  const others = profile.scheduler_devices.filter((glob) => !nvme.includes(glob));
  const head = 'ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk"';
  const rules: string[] = [];
  if (others.length > 0) {
    const kernel = `KERNEL=="${others.join('|')}"`;
    rules.push(`${head}, ${kernel}, ATTR{queue/rotational}=="1", ATTR{queue/scheduler}="${profile.schedulers.rotational}"`);
    rules.push(`${head}, ${kernel}, ATTR{queue/rotational}=="0", ATTR{queue/scheduler}="${profile.schedulers.non_rotational}"`);
  }
  if (nvme.length > 0) rules.push(`${head}, KERNEL=="${nvme.join('|')}", ATTR{queue/scheduler}="${profile.schedulers.nvme}"`);
  return rules;
}

/**
 * The plan of `profile` on a host in state `actual`. `where` names the profile in errors (the pillar key
 * `db_sentinel:remediation` when Salt asks).
 */
export function planTuning(actual: ActualTuning, profile: TuningProfile, roots: PlanRoots, where: string): TuningPlan {
  const key = (...parts: Array<string | number>) => [where, ...parts].join('.');
  for (const name of Object.keys(profile.sysctl)) {
    if (actual.sysctl[name] === undefined) {
      throw new TuningPlanError(key('sysctl', name), `this kernel has no parameter ${name} (no ${roots.proc}/${sysctlPath(name)})`);
    }
  }
  if (profile.transparent_hugepage !== null && (actual.hugepages?.transparent_enabled ?? null) === null) {
    throw new TuningPlanError(key('transparent_hugepage'), `this kernel has no transparent hugepages (/sys/${THP_FILE}); set it to null`);
  }
  const managed = actual.schedulers.filter((scheduler) => managesScheduler(profile, scheduler.device));
  if (profile.scheduler_devices.length > 0 && managed.length === 0) {
    const present = actual.schedulers.map((scheduler) => scheduler.device).join(', ') || 'none';
    throw new TuningPlanError(key('scheduler_devices'),
      `${profile.scheduler_devices.map((glob) => JSON.stringify(glob)).join(', ')} match no block device with an I/O `
        + `scheduler on this host (devices: ${present})`);
  }
  for (const scheduler of managed) {
    const desired = profile.schedulers[scheduler.device_class];
    if (!scheduler.available.includes(desired)) {
      throw new TuningPlanError(key('schedulers', scheduler.device_class),
        `${scheduler.device} (${scheduler.device_class}) does not offer the I/O scheduler ${desired} `
          + `(available: ${scheduler.available.join(', ')})`);
    }
  }

  const byDevice = new Map(managed.map((scheduler) => [`scheduler.${scheduler.device}`, scheduler]));
  const settings = compareTuning(actual, profile).map((comparison): PlannedSetting => {
    const scheduler = byDevice.get(comparison.setting);
    if (scheduler !== undefined) {
      return { ...comparison, kind: 'scheduler', path: `${roots.sys}/block/${scheduler.device}/queue/scheduler`,
        device: scheduler.device, device_class: scheduler.device_class, available: scheduler.available };
    }
    if (comparison.setting === 'transparent_hugepage') return { ...comparison, kind: 'transparent_hugepage',
      path: `${roots.sys}/${THP_FILE}` };
    return { ...comparison, kind: 'sysctl', path: `${roots.proc}/${sysctlPath(comparison.setting)}` };
  });
  const persistSysctl: Record<string, string> = { ...profile.sysctl };
  if (profile.hugepages !== null) persistSysctl['vm.nr_hugepages'] = String(profile.hugepages);
  return {
    settings,
    changes: settings.filter((setting) => setting.drifting),
    persist: {
      sysctl: persistSysctl,
      udev_rules: udevRules(profile),
      thp_tmpfiles: profile.transparent_hugepage === null ? null : `w /sys/${THP_FILE} - - - - ${profile.transparent_hugepage}`,
    },
    unmatched_globs: profile.scheduler_devices
      .filter((glob) => !actual.schedulers.some((scheduler) => globPattern(glob).test(scheduler.device))),
  };
}
