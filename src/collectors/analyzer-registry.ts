// db_analyzer and db_textfile: the OS checks, the tuning state and the databases. Kept apart from ./registry so
// that the database drivers reach only the bundles that use them.
import type { Collector } from './collector';
import { databasesCollector } from './db/databases';
import { CHECK_COLLECTORS, TUNING_COLLECTORS } from './registry';
import { textfileStatusCollector } from './textfile-status';

export const ANALYZER_COLLECTORS: readonly Collector[] = [...CHECK_COLLECTORS, ...TUNING_COLLECTORS, databasesCollector, textfileStatusCollector];
