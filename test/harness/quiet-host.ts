// The config sections of a test that watches one check change on this real host while everything else holds still:
// the tuning profile as the host is now (tuning_drift ok), thresholds no busy test machine reaches (PSI is at most
// 100 %), and no devices. Used by the tests that run the beacon's and the textfile's code against the real host.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { defaultTuningProfile, type TuningProfile } from '../../src/core/tuning-profile';
import { acquireHostLock, HOST_SETTINGS_LOCK } from './salt';

/** Host thresholds the busiest test machine does not reach. */
export const UNREACHABLE_HOST_THRESHOLDS = {
  run_queue_per_cpu: { warning: 10000, critical: 20000 }, context_switches_per_cpu: { warning: 1e9, critical: 2e9 },
  pressure_cpu_some_percent: { warning: 101, critical: 101 }, pressure_io_some_percent: { warning: 101, critical: 101 },
  pressure_memory_some_percent: { warning: 101, critical: 101 },
};

/** The `check` and `tuning` sections; `sysctl` may change the profile (a drift made on purpose). */
export function quietHostSections(dir: string, sysctlOverride: (sysctl: Record<string, string | number>) => void = () => undefined): {
  check: Record<string, unknown>;
  tuning: Pick<TuningProfile, 'transparent_hugepage'> & { sysctl: Record<string, string | number> };
} {
  const sysctl: Record<string, string | number> = {};
  for (const name of Object.keys(defaultTuningProfile().sysctl)) {
    const value = readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim().split(/\s+/).join(' ');
    sysctl[name] = /^\d+$/.test(value) ? Number(value) : value;
  }
  sysctlOverride(sysctl);
  const thp = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? null;
  return {
    check: { thresholds: UNREACHABLE_HOST_THRESHOLDS, ignore_devices: ['.*'], lock_file: join(dir, 'check.lock') },
    tuning: { sysctl, transparent_hugepage: thp },
  };
}

/** Called in a describe(): holds, from its first test to its last, the host lock the Salt tests take while they
 * retune this host's kernel settings (acquireHostLock): a suite that compares the host with a profile read a moment
 * before must not run while they do. */
export function holdHostSettingsInSuite(): void {
  let release: () => void = () => undefined;
  before(async () => {
    release = await acquireHostLock(HOST_SETTINGS_LOCK);
  });
  after(() => release());
}
