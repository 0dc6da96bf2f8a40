// The health sections of one database, by engine, on the connection the database collector already holds.
import { errorMessage } from '../../../core/errors';
import type { HealthConfig } from '../../../core/health-config';
import type { DatabaseReport } from '../../../core/report';
import type { SqlSession } from '../../../sources/sql';
import type { CounterRates } from './counter-rate';
import { collectMysqlHealth } from './mysql';
import { collectPostgresHealth } from './postgres';

export interface HealthOptions {
  config: HealthConfig;
  now: () => Date;
  rates: CounterRates;
}

export async function collectDatabaseHealth(session: SqlSession, report: DatabaseReport, options: HealthOptions): Promise<void> {
  try {
    if (report.engine === 'postgresql') await collectPostgresHealth(session, report, { vacuumMinRows: options.config.vacuum_min_rows });
    else await collectMysqlHealth(session, report, { now: options.now, rates: options.rates });
  } catch (error: unknown) {
    // Only the first statement of a section-less start can get here (the sections catch their own failures).
    report.problems.push({ code: 'health_failed', message: `health: ${errorMessage(error)}` });
  }
}
