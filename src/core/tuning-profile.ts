// The desired tuning profile: the data file salt/db_sentinel/parameters/tuning.yaml, embedded as data by the build, and
// overridden by the `tuning:` section of the config file that Salt renders from the remediation pillar.
import defaultProfileData from '../../salt/db_sentinel/parameters/tuning.yaml';
import { ConfigError } from './errors';
import type { DeviceClass } from './report';
import { checkNumber, describe, expectMap, join, rejectUnknownKeys, type YamlMap } from './validate';

export interface TuningProfile {
  /** Kernel parameter -> desired value, as `sysctl -n` prints it. */
  sysctl: Record<string, string>;
  transparent_hugepage: string | null;
  /** vm.nr_hugepages; null leaves it unmanaged. */
  hugepages: number | null;
  schedulers: Record<DeviceClass, string>;
  /** Kernel names (globs, as udev's KERNEL matches them) of the block devices whose scheduler is managed. */
  scheduler_devices: string[];
}

export const THP_MODES = ['always', 'madvise', 'never'] as const;
export const KNOWN_SCHEDULERS = ['none', 'mq-deadline', 'bfq', 'kyber', 'noop', 'deadline', 'cfq'] as const;
const DEVICE_CLASSES: readonly DeviceClass[] = ['rotational', 'non_rotational', 'nvme'];
const SYSCTL_NAME = /^[a-z0-9_]+(\.[a-z0-9_-]+)+$/;
const DEVICE_GLOB = /^[A-Za-z0-9_*?-]+$/;

function sysctlValue(value: unknown, where: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim().split(/\s+/).join('\t');
  throw new ConfigError(where, `expected a number or a non-empty string, got ${describe(value)}`);
}

/** Validates a profile document; `base` supplies every key the document leaves out. */
export function parseTuningProfile(document: unknown, path: string, base?: TuningProfile): TuningProfile {
  const map = expectMap(document, path);
  rejectUnknownKeys(map, ['sysctl', 'transparent_hugepage', 'hugepages', 'schedulers', 'scheduler_devices'], path);

  const sysctl: Record<string, string> = { ...(base?.sysctl ?? {}) };
  const sysctlMap = expectMap(map.sysctl, join(path, 'sysctl'));
  for (const [name, value] of Object.entries(sysctlMap)) {
    const where = join(join(path, 'sysctl'), name);
    if (!SYSCTL_NAME.test(name)) throw new ConfigError(where, 'not a kernel parameter name (like vm.swappiness)');
    if (name === 'vm.swappiness') checkNumber(value, where, { min: 0, max: 200, integer: true });
    if (name === 'vm.overcommit_memory') checkNumber(value, where, { min: 0, max: 2, integer: true });
    if (name.endsWith('_ratio')) checkNumber(value, where, { min: 0, max: 100, integer: true });
    sysctl[name] = sysctlValue(value, where);
  }

  let transparent = base?.transparent_hugepage ?? null;
  if ('transparent_hugepage' in map) {
    const value = map.transparent_hugepage;
    if (value !== null && !(typeof value === 'string' && (THP_MODES as readonly string[]).includes(value))) {
      throw new ConfigError(join(path, 'transparent_hugepage'),
        `expected one of ${THP_MODES.join(', ')} or null, got ${describe(value)}`);
    }
    transparent = value as string | null;
  }

  let hugepages = base?.hugepages ?? null;
  if ('hugepages' in map) {
    hugepages = map.hugepages === null ? null : checkNumber(map.hugepages, join(path, 'hugepages'), { min: 0, integer: true });
  }

  const schedulers = { ...(base?.schedulers ?? { rotational: 'mq-deadline', non_rotational: 'mq-deadline', nvme: 'none' }) };
  const schedulerMap: YamlMap = expectMap(map.schedulers, join(path, 'schedulers'));
  rejectUnknownKeys(schedulerMap, DEVICE_CLASSES, join(path, 'schedulers'));
  for (const deviceClass of DEVICE_CLASSES) {
    const value = schedulerMap[deviceClass];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !(KNOWN_SCHEDULERS as readonly string[]).includes(value)) {
      throw new ConfigError(join(join(path, 'schedulers'), deviceClass),
        `unknown I/O scheduler ${describe(value)} (expected one of ${KNOWN_SCHEDULERS.join(', ')})`);
    }
    schedulers[deviceClass] = value;
  }
  let schedulerDevices = base?.scheduler_devices ?? [];
  if ('scheduler_devices' in map) {
    const where = join(path, 'scheduler_devices');
    if (!Array.isArray(map.scheduler_devices)) throw new ConfigError(where,
      `expected a list of device name globs, got ${describe(map.scheduler_devices)}`);
    schedulerDevices = map.scheduler_devices.map((glob: unknown, index) => {
      if (typeof glob !== 'string' || !DEVICE_GLOB.test(glob)) {
        throw new ConfigError(join(where, index), `expected a device name glob like sd* or nvme*n*, got ${describe(glob)}`);
      }
      return glob;
    });
  }
  return { sysctl, transparent_hugepage: transparent, hugepages, schedulers, scheduler_devices: schedulerDevices };
}

/** Whether `device` (a kernel name such as sda or nvme0n1) is one whose scheduler the profile manages. */
export function managesScheduler(profile: TuningProfile, device: string): boolean {
  return profile.scheduler_devices.some((glob) => globPattern(glob).test(device));
}

/** A device glob (letters, digits, _ and -, with * and ?; nothing to escape) as udev's KERNEL== matches it. */
export function globPattern(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

let embedded: TuningProfile | undefined;

/** The repository's default profile (embedded at build time). */
export function defaultTuningProfile(): TuningProfile {
  embedded ??= parseTuningProfile(defaultProfileData, 'tuning.yaml');
  return embedded;
}
