// tuning_drift: reads the kernel parameters, huge pages and schedulers (the same readers as their own collectors;
// the files are tiny) and compares them with config.tuning, the profile remediation applies.
import type { Collector } from '../collector';
import { compareTuning, driftItems, tuningDriftCheck } from '../../checks/drift';
import { readHugePages } from './hugepages';
import { readSchedulers } from './schedulers';
import { readSysctls, sysctlNames } from './sysctl';

export const tuningDriftCollector: Collector = {
  name: 'tuning_drift',
  checks: ['tuning_drift'],
  async collect(context) {
    const profile = context.config.tuning;
    const [sysctl, schedulers, hugepages] = await Promise.all([
      readSysctls(context.roots, sysctlNames(profile.sysctl)),
      readSchedulers(context.roots),
      readHugePages(context.roots),
    ]);
    const tuning = compareTuning({ sysctl, schedulers, hugepages }, profile);
    return { os: { drift: driftItems(tuning), tuning }, checks: [tuningDriftCheck(tuning)] };
  },
};
