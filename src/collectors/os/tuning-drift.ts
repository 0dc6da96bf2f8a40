// tuning_drift: reads the kernel parameters, huge pages and schedulers (the same readers as their own collectors;
// the files are tiny) and compares them with config.tuning, the profile remediation applies.
import type { Collector, CollectorMetrics } from '../collector';
import { compareTuning, driftItems, tuningDriftCheck } from '../../checks/drift';
import { readHugePages } from './hugepages';
import { readSchedulers } from './schedulers';
import { readSysctls, sysctlNames } from './sysctl';

const driftMetrics: CollectorMetrics = {
  families: {
    tuning_drift: { help: '1 if the setting differs from the tuning profile, 0 if it matches.', labels: ['setting', 'actual', 'desired'] },
  },
  samples({ os }, sink) {
    // One series per compared profile setting when the report has the comparison; otherwise only the drifting ones.
    const items = os.tuning ?? (os.drift ?? []).map((item) => ({ ...item, drifting: true }));
    for (const item of items) {
      sink.set('tuning_drift', { setting: item.setting, actual: item.actual ?? '', desired: item.desired }, item.drifting ? 1 : 0);
    }
  },
};

export const tuningDriftCollector: Collector = {
  metrics: driftMetrics,
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
