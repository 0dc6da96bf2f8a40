// db_analyzer and db_textfile: the OS checks, the tuning state and the databases. Kept apart from ./registry so
// that the database drivers reach only the bundles that use them.
import type { Collector, CollectorMetrics } from './collector';
import { createDatabasesCollector, type DatabaseDependencies } from './db/databases';
import { DATABASE_METRICS } from './db/metrics';
import { pressureCollector } from './os/pressure';
import { CHECK_COLLECTORS, TUNING_COLLECTORS } from './registry';
import { textfileStatusCollector } from './textfile-status';

/** db_analyzer, db_textfile and db_beacon: every OS collector (db_check runs CHECK_COLLECTORS alone). */
export const HOST_COLLECTORS: readonly Collector[] = [...CHECK_COLLECTORS, pressureCollector, ...TUNING_COLLECTORS];

/** The analyzer's collectors; the database collector gets its plan cache (and session openers) from the caller. */
export function analyzerCollectors(dependencies: DatabaseDependencies): readonly Collector[] {
  return [...HOST_COLLECTORS, createDatabasesCollector(dependencies), textfileStatusCollector];
}

/** The metrics of every analyzer collector, in this order on /metrics and in the textfile: the Prometheus output
 * renders reports it did not collect (serve's last report), so it takes them from here, not from instances. */
export const ANALYZER_METRICS: readonly CollectorMetrics[] = [
  ...HOST_COLLECTORS.flatMap((collector) => (collector.metrics === undefined ? [] : [collector.metrics])),
  DATABASE_METRICS,
];
