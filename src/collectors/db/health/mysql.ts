// The MySQL/MariaDB health sections: replication channels (IO/SQL threads, Seconds_Behind_Master/Source, last errors,
// GTID positions), InnoDB history list length, deadlocks and row lock waits, Threads_running and aborted
// connections, on the database's one connection. A section that fails is left out, named in health.unavailable and,
// for a missing privilege, a problem naming the GRANT.
import type { DatabaseReport } from '../../../core/report';
import type { MysqlHealth, MysqlReplicaChannel } from '../../../core/health-report';
import type { Row, SqlSession } from '../../../sources/sql';
import { numberOf, numberOrNull } from '../common';
import { section } from './section';
import { grantee } from '../mysql';
import { mysqlFlavor } from '../../../sources/mysql';
import { MY_HEALTH_SERVER, MY_HEALTH_STATUS, MY_INNODB_METRICS, myReplicaStatusSql, replicaStatusGrant } from './mysql-sql';
import type { CounterRates } from './counter-rate';

export interface MyHealthOptions {
  now: () => Date;
  rates: CounterRates;
}

/** The first of the column names that the row has (MySQL 8.0.22 renamed Slave/Master to Replica/Source). */
function column(row: Row, ...names: string[]): unknown {
  for (const name of names) if (name in row) return row[name];
  return undefined;
}

const text = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));

function replicaChannel(row: Row): MysqlReplicaChannel {
  return {
    channel: String(column(row, 'Connection_name', 'Channel_Name', 'Channel_name') ?? ''),
    source: text(column(row, 'Master_Host', 'Source_Host')) === null ? null
      : `${String(column(row, 'Master_Host', 'Source_Host'))}:${String(column(row, 'Master_Port', 'Source_Port') ?? '')}`,
    io_running: text(column(row, 'Slave_IO_Running', 'Replica_IO_Running')),
    sql_running: text(column(row, 'Slave_SQL_Running', 'Replica_SQL_Running')),
    seconds_behind: numberOrNull(column(row, 'Seconds_Behind_Master', 'Seconds_Behind_Source')),
    last_io_errno: numberOf(column(row, 'Last_IO_Errno')),
    last_io_error: String(column(row, 'Last_IO_Error') ?? ''),
    last_sql_errno: numberOf(column(row, 'Last_SQL_Errno')),
    last_sql_error: String(column(row, 'Last_SQL_Error') ?? ''),
    gtid_received: text(column(row, 'Gtid_IO_Pos', 'Retrieved_Gtid_Set')),
    gtid_executed: text(column(row, 'Gtid_Slave_Pos', 'Executed_Gtid_Set')),
  };
}

export async function collectMysqlHealth(session: SqlSession, report: DatabaseReport, options: MyHealthOptions): Promise<void> {
  const health: MysqlHealth = { engine: 'mysql', unavailable: {} };
  report.health = health;
  const [server] = await session.query('MY_HEALTH_SERVER', MY_HEALTH_SERVER);
  if (server === undefined) throw new Error('MY_HEALTH_SERVER returned no row');
  const flavor = mysqlFlavor(String(server.version), text(server.version_comment));
  const user = grantee(String(server.user_name));

  const replica = myReplicaStatusSql(flavor, String(server.version));
  health.replication = await section(report, health.unavailable, replica.name, replicaStatusGrant(flavor, user), async () =>
    (await session.query(replica.name, replica.sql)).map(replicaChannel));

  const status = await section(report, health.unavailable, 'MY_HEALTH_STATUS', null, async () => {
    const rows = await session.query('MY_HEALTH_STATUS', MY_HEALTH_STATUS);
    return new Map(rows.map((row) => [String(row.Variable_name).toLowerCase(), numberOf(row.Value)]));
  });
  if (status !== undefined) {
    health.threads_running = status.get('threads_running');
    health.threads_connected = status.get('threads_connected');
    health.aborted_connects = status.get('aborted_connects');
    health.aborted_clients = status.get('aborted_clients');
    health.row_lock_waits = status.get('innodb_row_lock_waits');
    health.deadlocks = status.get('innodb_deadlocks');
    health.history_length = status.get('innodb_history_list_length');
    if (health.aborted_connects !== undefined) {
      health.aborted_connects_per_second = options.rates.rate(`${report.name}/aborted_connects`, health.aborted_connects, options.now());
    }
  }

  // INNODB_METRICS needs PROCESS; it is MySQL's only source of the history length and of deadlocks (MariaDB has
  // both as status variables, readable without it).
  if (health.history_length !== undefined && health.deadlocks !== undefined) return;
  const metrics = await section(report, health.unavailable, 'MY_INNODB_METRICS', `GRANT PROCESS ON *.* TO ${user};`, async () =>
    new Map((await session.query('MY_INNODB_METRICS', MY_INNODB_METRICS)).map((row) => [String(row.name), numberOf(row.value)])));
  if (metrics !== undefined) {
    health.history_length ??= metrics.get('trx_rseg_history_len');
    health.deadlocks ??= metrics.get('lock_deadlocks');
  }
}
