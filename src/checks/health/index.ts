// The health checks in report order, each a pure function of the database reports and the `health:` thresholds.
import type { HealthConfig } from '../../core/health-config';
import type { CheckResult, DatabaseReport } from '../../core/report';
import { abortedConnectionsCheck } from './aborted-connections';
import { archiverCheck } from './archiver';
import { checkpointsCheck } from './checkpoints';
import { innodbHistoryCheck } from './innodb-history';
import { replicationLagCheck } from './replication-lag';
import { replicationSlotsCheck } from './replication-slots';
import { threadsRunningCheck } from './threads-running';
import { vacuumCheck } from './vacuum';
import { wraparoundCheck } from './wraparound';

export const HEALTH_CHECKS = [
  'replication_lag', 'replication_slots', 'wraparound', 'archiver', 'vacuum', 'checkpoints',
  'innodb_history_length', 'threads_running', 'aborted_connections',
] as const;

export function healthChecks(databases: readonly DatabaseReport[], config: HealthConfig, cpuCount: number): CheckResult[] {
  return [
    replicationLagCheck(databases, config),
    replicationSlotsCheck(databases, config),
    wraparoundCheck(databases, config),
    archiverCheck(databases, config),
    vacuumCheck(databases, config),
    checkpointsCheck(databases, config),
    innodbHistoryCheck(databases, config),
    threadsRunningCheck(databases, config, cpuCount),
    abortedConnectionsCheck(databases, config),
  ];
}
