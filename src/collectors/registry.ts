// The explicit lists of collectors, one per command. Adding a collector means one file plus one line here (and
// its test; collectors that only the analyzer runs are listed in ./analyzer-registry); its metrics come with it
// (outputs/prometheus.ts reads them through ./analyzer-registry). The database collectors are listed in ./analyzer-registry instead, so that db_check, which imports
// this file, never bundles the database drivers (esbuild keeps a CommonJS package that is imported
// even when nothing calls it; test/unit/db-check-bundle.test.ts guards this).
import type { CheckCollector, Collector } from './collector';
import { hugePagesCollector } from './os/hugepages';
import { iostatCollector } from './os/iostat';
import { memoryCollector } from './os/memory';
import { schedulersCollector } from './os/schedulers';
import { serviceCollector } from './os/service';
import { sysctlCollector } from './os/sysctl';
import { tuningDriftCollector } from './os/tuning-drift';
import { vmstatCollector } from './os/vmstat';

/** db_check (cron): cheap OS checks sampled over one interval. */
export const CHECK_COLLECTORS: readonly CheckCollector[] = [vmstatCollector, iostatCollector, memoryCollector, serviceCollector];

/** The host's tuning state and its drift from the desired profile. */
export const TUNING_COLLECTORS: readonly Collector[] = [
  schedulersCollector,
  hugePagesCollector,
  sysctlCollector,
  tuningDriftCollector,
];
