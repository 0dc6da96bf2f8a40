// db_analyzer and db_textfile: the OS checks, the tuning state and the databases. Kept apart from ./registry so
// that the database drivers reach only the bundles that use them.
import type { Collector } from './collector';
import { createDatabasesCollector, type DatabaseDependencies } from './db/databases';
import { CHECK_COLLECTORS, TUNING_COLLECTORS } from './registry';
import { textfileStatusCollector } from './textfile-status';

/** The analyzer's collectors; the database collector gets its plan cache (and session openers) from the caller. */
export function analyzerCollectors(dependencies: DatabaseDependencies): readonly Collector[] {
  return [...CHECK_COLLECTORS, ...TUNING_COLLECTORS, createDatabasesCollector(dependencies), textfileStatusCollector];
}
