// db_analyzer and db_textfile: the OS checks, the tuning state and the databases. Kept apart from ./registry so
// that the database drivers reach only the bundles that use them.
import type { Collector } from '../core/collector';
import { databasesCollector } from './db/databases';
import { CHECK_COLLECTORS, TUNING_COLLECTORS } from './registry';
import { textfileStatusCollector } from './textfile-status';

/** The analyzer's collectors with a databases collector of the caller's (db_analyzer serve: EXPLAIN in a child). */
export function analyzerCollectors(databases: Collector): readonly Collector[] {
  return [...CHECK_COLLECTORS, ...TUNING_COLLECTORS, databases, textfileStatusCollector];
}

export const ANALYZER_COLLECTORS: readonly Collector[] = analyzerCollectors(databasesCollector);
