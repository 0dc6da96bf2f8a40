// The one explicit list of collectors. A command picks a set by name; adding a collector means one file plus one
// line here (and its test).
import type { Collector } from '../core/collector';
import { databasesCollector } from './db/databases';
import { hugePagesCollector } from './os/hugepages';
import { iostatCollector } from './os/iostat';
import { memoryCollector } from './os/memory';
import { schedulersCollector } from './os/schedulers';
import { serviceCollector } from './os/service';
import { sysctlCollector } from './os/sysctl';
import { tuningDriftCollector } from './os/tuning-drift';
import { vmstatCollector } from './os/vmstat';

/** db_check (cron): cheap OS checks sampled over one interval. */
export const CHECK_COLLECTORS: readonly Collector[] = [vmstatCollector, iostatCollector, memoryCollector, serviceCollector];

/** db_analyzer: the check collectors plus tuning state and the databases. */
export const ANALYZER_COLLECTORS: readonly Collector[] = [
  ...CHECK_COLLECTORS,
  schedulersCollector,
  hugePagesCollector,
  sysctlCollector,
  tuningDriftCollector,
  databasesCollector,
];
