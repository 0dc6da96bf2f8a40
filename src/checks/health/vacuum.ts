// vacuum (PostgreSQL): the table with the most dead tuples (share of live + dead, among tables with at least
// vacuum_min_rows rows) and the oldest snapshot holding back the xmin horizon (a long or idle-in-transaction session:
// VACUUM cannot remove anything deleted after it, in any table). The value is the age of that transaction; the
// details carry the worst table and the table vacuumed longest ago.
import type { HealthConfig } from '../../core/health-config';
import type { PgVacuum } from '../../core/health-report';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { fold, formatSeconds, nothingToGrade, postgresDatabases, unavailable } from './common';

function vacuumDetails(db: string, vacuum: PgVacuum, config: HealthConfig, replicationBlind: string | undefined): CheckDetail[] {
  const details: CheckDetail[] = [];
  const worst = vacuum.dead_tuples[0];
  const stalest = vacuum.stalest[0];
  const stale = stalest === undefined ? '' : `; vacuumed longest ago: ${stalest.table} `
    + `(${stalest.seconds_since_vacuum === null ? 'never' : `${formatSeconds(stalest.seconds_since_vacuum)} ago`})`;
  if (worst === undefined) {
    details.push({ subject: `${db}/tables`, status: 'ok', value: null, message: `${db}: no table with ${config.vacuum_min_rows}+ rows` });
  } else {
    details.push({
      subject: `${db}/tables`, status: gradeAbove(worst.dead_ratio, config.dead_tuple_ratio.warning,
        config.dead_tuple_ratio.critical), value: null,
      message: `${db}: ${worst.table} has ${worst.dead_tuples} dead tuples `
        + `(${(worst.dead_ratio * 100).toFixed(1)} % of ${worst.live_tuples + worst.dead_tuples}; last vacuum `
        + `${worst.seconds_since_vacuum === null ? 'never' : `${formatSeconds(worst.seconds_since_vacuum)} ago`})${stale}`,
    });
  }
  if (replicationBlind !== undefined) {
    details.push(unavailable(`${db}/xmin`, replicationBlind));
    return details;
  }
  const holder = vacuum.xmin_holders.find((item) => item.transaction_seconds !== null) ?? vacuum.xmin_holders[0];
  if (holder === undefined) {
    details.push({ subject: `${db}/xmin`, status: 'ok', value: 0, message: `${db}: no session holds back the xmin horizon` });
  } else {
    const seconds = holder.transaction_seconds;
    details.push({
      subject: `${db}/xmin`, value: seconds,
      status: seconds === null ? 'ok' : gradeAbove(seconds, config.xmin_horizon_seconds.warning, config.xmin_horizon_seconds.critical),
      message: `${db}: pid ${holder.pid} (${holder.user ?? '?'}, ${holder.application || 'no application_name'}, `
        + `${holder.state ?? 'no state'}) holds the xmin horizon ${holder.xmin_age} transactions back`
        + `${seconds === null ? '' : ` in a transaction open ${formatSeconds(seconds)}`}`,
    });
  }
  return details;
}

export function vacuumCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'vacuum';
  const none = nothingToGrade(name, databases, ['postgresql'], 'PostgreSQL');
  if (none !== null) return none;
  const details: CheckDetail[] = [];
  for (const db of postgresDatabases(databases)) {
    const vacuum = db.health?.vacuum;
    if (vacuum === undefined) details.push(unavailable(db.name, db.health?.unavailable.PG_VACUUM_TABLES));
    else details.push(...vacuumDetails(db.name, vacuum, config,
      db.health?.unavailable.replication ?? db.health?.unavailable.PG_XMIN_HOLDERS));
  }
  return fold(name, 's', config.xmin_horizon_seconds, details);
}
