// aborted_connections (MySQL/MariaDB): failed connection attempts per second (Aborted_connects: wrong passwords,
// handshake timeouts, refused hosts) since the previous collection of the same process. The first collection has no
// rate and is ok, saying so; Prometheus computes the rate from the exported counter in any case.
import type { HealthConfig } from '../../core/health-config';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { fold, mysqlDatabases, nothingToGrade, unavailable } from './common';

export function abortedConnectionsCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'aborted_connections';
  const none = nothingToGrade(name, databases, ['mysql'], 'MySQL/MariaDB');
  if (none !== null) return none;
  const details: CheckDetail[] = mysqlDatabases(databases).map((db) => {
    const health = db.health;
    if (health?.aborted_connects === undefined) return unavailable(db.name, health?.unavailable.MY_HEALTH_STATUS);
    const rate = health.aborted_connects_per_second ?? null;
    const since = `${health.aborted_connects} aborted connects and ${health.aborted_clients ?? '?'} aborted clients since start`;
    if (rate === null) return { subject: db.name, status: 'ok', value: null, message: `${db.name}: ${since}; a rate needs the previous collection of this process` };
    return {
      subject: db.name, status: gradeAbove(rate, config.aborted_connects_per_second.warning, config.aborted_connects_per_second.critical), value: rate,
      message: `${db.name}: ${rate.toFixed(2)} aborted connects per second (${since})`,
    };
  });
  return fold(name, '/s', config.aborted_connects_per_second, details);
}
